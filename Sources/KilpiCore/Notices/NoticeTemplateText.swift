/// One language's notice template as the company edits it: a subject line, a plain-text part and an HTML part,
/// each a Mustache template over the variables of `NoticeContent`.
public struct NoticeTemplateText: Sendable, Equatable, Codable {
    public var subject: String
    public var text: String
    public var html: String

    public init(subject: String, text: String, html: String) {
        self.subject = subject
        self.text = text
        self.html = html
    }
}

/// Checks a template before it is saved: it parses, and names only variables that exist. Implemented by
/// `KilpiMail` (which holds the template engine) and handed to the notices service, so every path that saves a
/// template (console, API, command line) is checked the same way.
public protocol NoticeTemplateChecker: Sendable {
    /// The problems of `template`, each naming the part (`subject`, `text`, `html`) and the line; empty when the
    /// template is good to save.
    func problems(_ template: NoticeTemplateText, language: Language) -> [FieldProblem]
}

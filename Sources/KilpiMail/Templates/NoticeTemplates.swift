import KilpiCore
import Mustache

/// A notice rendered for one customer: what the MIME builder puts into a message.
public struct RenderedNotice: Sendable, Equatable {
    /// One line, no control characters.
    public let subject: String
    /// Plain text with `\n` line breaks, no HTML escaping.
    public let text: String
    /// HTML, every value escaped.
    public let html: String

    public init(subject: String, text: String, html: String) {
        self.subject = subject
        self.text = text
        self.html = html
    }
}

/// A template that did not compile; each problem names the part and the line (`MustacheTemplateChecker`).
public struct NoticeTemplateError: Error, Sendable, CustomStringConvertible {
    public let problems: [FieldProblem]
    public init(_ problems: [FieldProblem]) { self.problems = problems }
    public var description: String { problems.map(\.description).joined(separator: "; ") }
}

/// A checked template, parsed once, ready to render any number of notices (from any thread).
public struct CompiledNoticeTemplate: Sendable {
    /// Subject, text and HTML, in that order. The subject and text are parsed with the `TEXT` content type, so a
    /// value is written as it is (`&` stays `&`); the HTML part keeps the engine's default HTML escaping.
    let templates: [MustacheTemplate]

    public func render(_ content: NoticeContent) -> RenderedNotice {
        let value = content.mustacheValue
        return RenderedNotice(
            subject: NoticeText.line(templates[0].render(value)),
            text: Self.tidyText(templates[1].render(value)),
            html: templates[2].render(value)
        )
    }

    /// Plain text as a person reads it: `\n` line breaks, no spaces at line ends, at most one empty line in a row
    /// (a section that showed nothing leaves none behind), one line break at the end.
    static func tidyText(_ text: String) -> String {
        var lines: [Substring] = []
        var blank = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = raw
            if line.last == "\r" { line = line.dropLast() }
            while let last = line.last, last == " " || last == "\t" { line = line.dropLast() }
            if line.isEmpty {
                blank += 1
                if blank > 1 || lines.isEmpty { continue }
            } else {
                blank = 0
            }
            lines.append(line)
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Compiling notice templates, and the ones Kilpi ships.
public enum NoticeTemplates {
    /// The pragma that turns HTML escaping off for the subject and text parts. It sits on a line of its own, which
    /// Mustache drops whole (a standalone tag), so the part renders exactly as written.
    static let textPragma = "{{% CONTENT_TYPE: TEXT}}\n"

    /// Checks `text` as `MustacheTemplateChecker` does without rendering (syntax, variables, unescaped HTML, the
    /// subject on one line) and parses its parts.
    public static func compile(_ text: NoticeTemplateText) throws(NoticeTemplateError) -> CompiledNoticeTemplate {
        let problems = MustacheTemplateChecker.structuralProblems(text)
        guard problems.isEmpty else { throw NoticeTemplateError(problems) }
        do {
            return CompiledNoticeTemplate(templates: [
                try MustacheTemplate(string: textPragma + text.subject),
                try MustacheTemplate(string: textPragma + text.text),
                try MustacheTemplate(string: text.html),
            ])
        } catch {
            // The checker parsed each part already; this is only reached if the engine disagrees with itself.
            throw NoticeTemplateError([FieldProblem("text", TemplateMessage.syntax(1, error))])
        }
    }

    /// The template Kilpi ships for `language` (Finnish, Swedish, English), for every threat kind; the company
    /// edits and approves its own versions from these.
    public static func shipped(_ language: Language) -> NoticeTemplateText {
        ShippedNoticeTemplate.phrases(language).template
    }

    /// `shipped` for every language, as the store's `installShipped` takes them.
    public static var shippedByLanguage: [Language: NoticeTemplateText] {
        Dictionary(uniqueKeysWithValues: Language.allCases.map { ($0, shipped($0)) })
    }
}

import KilpiCore

/// What every page needs to render its frame: language, the signed-in user, the form token, the demo flag.
public struct ViewContext: Sendable {
    public let language: Language
    public let user: StaffUser?
    /// The CSRF token to put in every form on the page.
    public let csrfToken: String
    public let demo: Bool
    /// The current path, for the language switch links.
    public let path: String

    public func t(_ text: UIText) -> String { text.text(language) }

    /// A string given in both languages at its point of use (pages with many one-off labels); as with
    /// `UIText`, leaving out a translation does not compile.
    public func l(_ en: String, _ fi: String) -> String { language == .fi ? fi : en }

    /// Domain text that carries both languages.
    public func l(_ text: LocalizedText) -> String { language == .fi ? text.fi : text.en }

    /// A hidden CSRF field: every POST form includes it.
    public var csrfField: HTML { "<input type=\"hidden\" name=\"_csrf\" value=\"\(csrfToken)\">" }

    /// Whether the signed-in user may use `route`: the console hides links a role could not follow anyway.
    public func may(_ route: Route) -> Bool {
        guard let user else { return false }
        return route.access.allows(user.role)
    }
}

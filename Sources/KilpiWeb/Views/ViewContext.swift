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

    /// A string given in English and Finnish at its point of use (pages with many one-off labels); as with
    /// `UIText`, leaving out the Finnish does not compile, and other languages come from `MessageCatalogue`
    /// keyed by the English (`LocalisationTests` fails for a literal without an entry).
    public func l(_ en: String, _ fi: String) -> String { MessageCatalogue.text(en: en, fi: fi, language) }

    /// Domain text that carries English and Finnish (playbooks, plan findings): English for other readers.
    /// Prefer `text(_:)` in markup, which marks such a fallback with its language.
    public func l(_ text: LocalizedText) -> String { text.resolved(language).text }

    /// Company data in the reader's language, or in the language it falls back to, marked `lang` when that
    /// differs from the page's, so screen readers pronounce it right and a translator can find it.
    public func text(_ resolved: ResolvedText) -> HTML {
        resolved.language == language
            ? "\(resolved.text)" : "<span lang=\"\(resolved.language.tag)\">\(resolved.text)</span>"
    }

    /// Domain text in the reader's language, marked `lang="en"` where it falls back to English.
    public func text(_ text: LocalizedText) -> HTML { self.text(text.resolved(language)) }

    /// A hidden CSRF field: every POST form includes it.
    public var csrfField: HTML { "<input type=\"hidden\" name=\"_csrf\" value=\"\(csrfToken)\">" }

    /// Whether the signed-in user may use `route`: the console hides links a role could not follow anyway.
    public func may(_ route: Route) -> Bool {
        guard let user else { return false }
        return route.access.allows(user.role)
    }
}

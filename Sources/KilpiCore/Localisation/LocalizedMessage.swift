/// One of Kilpi's own messages, written in English and Finnish where it is made and put into the reader's language
/// where it is shown: Swedish (and any later language) comes from `MessageCatalogue`, keyed by the English, as the
/// views' `view.l("Save", "Tallenna")` does. Core builds these for field problems and timeline events, which are
/// made long before anyone knows who will read them.
///
/// Write them as `.l("at most \(maximum) characters", "enintään \(maximum) merkkiä")`: the source-scan test
/// (`LocalisationTests`) finds that form and fails when the catalogue lacks the English.
public struct LocalizedMessage: Sendable, Equatable, Hashable, Codable {
    public let en: String
    public let fi: String

    public init(en: String, fi: String) {
        self.en = en
        self.fi = fi
    }

    /// A message in English and Finnish (the short name keeps call sites readable and scannable).
    public static func l(_ en: String, _ fi: String) -> LocalizedMessage { LocalizedMessage(en: en, fi: fi) }

    /// Text that exists in English only (a value from outside, an older caller): the same for every reader.
    public static func english(_ text: String) -> LocalizedMessage { LocalizedMessage(en: text, fi: text) }

    /// The message for a reader of `language`.
    public func text(_ language: Language) -> String { MessageCatalogue.text(en: en, fi: fi, language) }
}

extension Language {
    /// A message given in English and Finnish at its point of use, in this language (`MessageCatalogue.text`).
    func l(_ en: String, _ fi: String) -> String { MessageCatalogue.text(en: en, fi: fi, self) }
}

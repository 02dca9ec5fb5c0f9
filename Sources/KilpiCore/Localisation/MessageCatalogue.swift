import Foundation

/// Translations of the user interface's English messages, gettext-style: the message id is the English text as
/// it is written in the source.
///
/// Views write English and Finnish at the point of use (`view.l("Save", "Tallenna")`, `UIText`); every further
/// language is a catalogue from that English to its own text, so adding a string in a view cannot forget
/// Finnish (it does not compile) and the source-scan test (`LocalisationTests`) fails when a catalogue lacks it.
///
/// **Messages with values.** A message built by interpolation, such as `"\(count) task(s) overdue."`, is keyed by
/// its source text with the placeholders as written (`\(count)`), and its translation uses the same placeholders,
/// in any order: `"\(count) uppgift(er) försenade."`. At run time the interpolated English is matched against
/// these templates (the literal text between placeholders must match exactly) and each placeholder's value is
/// put into the translation. Catalogue files write such entries as raw strings (`#"…"#`) so that `\(count)`
/// stays text. No call site changes: the English a view produces is the key.
///
/// A message without an entry falls back to English (the test keeps that from happening for source literals;
/// text built elsewhere, such as company-edited names, falls back on purpose).
public struct MessageCatalogue: Sendable {
    public let language: Language
    private let exact: [String: String]
    private let templates: [Template]

    /// Entries from English to this language; a key containing `\(` is a template (see the type's comment).
    public init(language: Language, entries: [String: String]) {
        self.language = language
        var exact: [String: String] = [:]
        var templates: [Template] = []
        for (english, translation) in entries {
            exact[english] = translation
            if let template = Template(english: english, translation: translation) { templates.append(template) }
        }
        self.exact = exact
        // Longest literal text first: the most specific template wins when two could match.
        self.templates = templates.sorted {
            $0.literalLength != $1.literalLength ? $0.literalLength > $1.literalLength : $0.english < $1.english
        }
    }

    /// Whether the catalogue has an entry for this message id (a template counts by its source text).
    public func hasEntry(for messageID: String) -> Bool { exact[messageID] != nil }

    /// Every message id with its translation, for tests and tools.
    public var entries: [String: String] { exact }

    /// The translation of `english`, or nil when the catalogue has none.
    public func lookup(_ english: String) -> String? {
        if let translation = exact[english] { return translation }
        for template in templates {
            if let translation = template.translate(english) { return translation }
        }
        return nil
    }

    /// The translation of `english`, or the English itself when there is none.
    public func translate(_ english: String) -> String { lookup(english) ?? english }

    /// The catalogue of a language that is not written at the call site (English and Finnish are); nil for those.
    public static func catalogue(for language: Language) -> MessageCatalogue? {
        switch language {
        case .en, .fi: nil
        case .sv: swedish
        }
    }

    /// Swedish: `Swedish.swift` and the area files beside it (`Swedish+Incidents`, `+Accounts`, `+API`, `+Parsers`,
    /// `+Notices`, `+Templates`, `+Mail`),
    /// plus the display names of Core's enums and shipped data categories. No message is in two files
    /// (`SwedishCatalogueFilesTests`), so the merge never has to choose.
    public static let swedish = MessageCatalogue(
        language: .sv,
        entries: Swedish.messages.merging(Swedish.incidentMessages, uniquingKeysWith: { written, _ in written })
            .merging(Swedish.accountMessages) { written, _ in written }
            .merging(Swedish.apiMessages) { written, _ in written }
            .merging(Swedish.parserMessages) { written, _ in written }
            .merging(Swedish.noticeMessages) { written, _ in written }
            .merging(Swedish.noticePageMessages) { written, _ in written }
            .merging(Swedish.templateMessages) { written, _ in written }
            .merging(Swedish.mailMessages) { written, _ in written }
            .merging(Swedish.slaMessages) { written, _ in written }
            .merging(Swedish.supportStoreMessages) { written, _ in written }
            .merging(Swedish.supportPageMessages) { written, _ in written }
            .merging(Swedish.supportInboxMessages) { written, _ in written }
            .merging(Swedish.postMessages) { written, _ in written }
            .merging(Swedish.trustCenterMessages) { written, _ in written }
            .merging(Swedish.trustCenterPostMessages) { written, _ in written }
            .merging(Swedish.measureMessages) { written, _ in written }
            .merging(Swedish.namesFromCore) { written, _ in written }
    )

    /// A message given in English and Finnish at its point of use, in `language`.
    public static func text(en: String, fi: String, _ language: Language) -> String {
        switch language {
        case .en: en
        case .fi: fi
        case .sv: swedish.translate(en)
        }
    }

    /// The placeholders `\(…)` of a message as written, in order (the expressions inside the parentheses).
    public static func placeholders(in message: String) -> [String] { Template.split(message)?.placeholders ?? [] }

    /// A catalogue entry whose English contains placeholders `\(name)`.
    struct Template: Sendable {
        let english: String
        /// The literal text around the placeholders: one more piece than placeholders.
        let pieces: [String]
        let placeholders: [String]
        /// The translation split the same way: literal text and placeholder names in their own order.
        let output: [Part]
        let literalLength: Int

        enum Part: Sendable {
            case text(String)
            case placeholder(String)
        }

        init?(english: String, translation: String) {
            guard let (pieces, placeholders) = Self.split(english), !placeholders.isEmpty else { return nil }
            guard let (outPieces, outPlaceholders) = Self.split(translation) else { return nil }
            self.english = english
            self.pieces = pieces
            self.placeholders = placeholders
            var output: [Part] = []
            for (index, piece) in outPieces.enumerated() {
                if !piece.isEmpty { output.append(.text(piece)) }
                if index < outPlaceholders.count { output.append(.placeholder(outPlaceholders[index])) }
            }
            self.output = output
            literalLength = pieces.reduce(0) { $0 + $1.count }
        }

        /// Splits `text` at `\(…)` (balanced parentheses) into literal pieces and placeholder expressions.
        static func split(_ text: String) -> (pieces: [String], placeholders: [String])? {
            var pieces: [String] = []
            var placeholders: [String] = []
            var current = ""
            var index = text.startIndex
            while index < text.endIndex {
                let next = text.index(after: index)
                if text[index] == "\\", next < text.endIndex, text[next] == "(" {
                    var depth = 0
                    var end = next
                    while end < text.endIndex {
                        if text[end] == "(" { depth += 1 }
                        if text[end] == ")" {
                            depth -= 1
                            if depth == 0 { break }
                        }
                        end = text.index(after: end)
                    }
                    guard end < text.endIndex else { return nil }
                    pieces.append(current)
                    current = ""
                    placeholders.append(String(text[text.index(after: next)..<end]))
                    index = text.index(after: end)
                } else {
                    current.append(text[index])
                    index = next
                }
            }
            pieces.append(current)
            return (pieces, placeholders)
        }

        /// The translation of `text` if it is this template with values in place of the placeholders.
        func translate(_ text: String) -> String? {
            guard let values = match(text) else { return nil }
            var result = ""
            for part in output {
                switch part {
                case .text(let literal): result += literal
                case .placeholder(let name):
                    guard let value = values[name] else { return nil }
                    result += value
                }
            }
            return result
        }

        private func match(_ text: String) -> [String: String]? {
            let first = pieces[0]
            let last = pieces[pieces.count - 1]
            guard text.hasPrefix(first), text.count >= first.count + last.count else { return nil }
            let afterPrefix = text.index(text.startIndex, offsetBy: first.count)
            guard text[afterPrefix...].hasSuffix(last) else { return nil }
            let bodyEnd = text.index(text.endIndex, offsetBy: -last.count)
            var values: [String: String] = [:]
            var position = afterPrefix
            // Each inner literal piece is found at its first occurrence after the previous value.
            for (offset, piece) in pieces.dropFirst().dropLast().enumerated() {
                guard !piece.isEmpty, let found = text[position..<bodyEnd].range(of: piece) else { return nil }
                values[placeholders[offset]] = String(text[position..<found.lowerBound])
                position = found.upperBound
            }
            values[placeholders[placeholders.count - 1]] = String(text[position..<bodyEnd])
            return values
        }
    }
}

import Foundation

/// The languages of the user interface. English is the source language: every message is written in English at
/// its point of use, Finnish beside it, and the other languages come from a `MessageCatalogue` keyed by the English.
///
/// To add a language: add a case (its `rawValue` is its BCP 47 primary language subtag), its `name` and a
/// catalogue in `MessageCatalogue.catalogue(for:)`; the source-scan test then lists every message it still lacks.
public enum Language: String, Sendable, CaseIterable, Codable {
    case en, fi, sv

    /// The language's name in the language itself, as a language switch shows it.
    public var name: String {
        switch self {
        case .en: "English"
        case .fi: "Suomi"
        case .sv: "Svenska"
        }
    }

    /// The BCP 47 tag for `<html lang>` and `Content-Language`.
    public var tag: String { rawValue }

    /// The language of a BCP 47 tag by its primary subtag, in any case: `sv-FI` → Swedish, `FI` → Finnish.
    public init?(tag: some StringProtocol) {
        let primary = tag.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        guard let language = Language(rawValue: primary.lowercased()) else { return nil }
        self = language
    }

    /// The most preferred language of an `Accept-Language` header (RFC 9110 §12.5.4) that Kilpi has, or nil.
    ///
    /// Each range's `q` weight counts (missing means 1, `q=0` means "not this one"); equal weights keep the
    /// header's order. A range matches by its primary subtag (`sv-FI` and `sv` are Swedish); `*` names no language, so
    /// it leaves the choice to the caller's default. A malformed weight makes its range unacceptable.
    public static func preferred(acceptLanguage header: String) -> Language? {
        var ranges: [(language: Language, weight: Double, position: Int)] = []
        var refused: Set<Language> = []
        for (position, part) in header.split(separator: ",").enumerated() {
            let fields = part.split(separator: ";")
            guard let range = fields.first?.trimmingCharacters(in: .whitespaces), !range.isEmpty else { continue }
            var weight = 1.0
            for parameter in fields.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1).map {
                    $0.trimmingCharacters(in: .whitespaces)
                }
                guard pair.count == 2, pair[0].lowercased() == "q" else { continue }
                guard let value = Double(pair[1]), value >= 0, value <= 1 else {
                    weight = 0
                    break
                }
                weight = value
            }
            guard let language = Language(tag: range) else { continue }
            if weight == 0 {
                // "sv;q=0" says "not Swedish": no other range of Swedish brings it back.
                refused.insert(language)
                continue
            }
            ranges.append((language, weight, position))
        }
        return
            ranges
            .filter { !refused.contains($0.language) }
            .sorted { $0.weight != $1.weight ? $0.weight > $1.weight : $0.position < $1.position }
            .first?.language
    }
}

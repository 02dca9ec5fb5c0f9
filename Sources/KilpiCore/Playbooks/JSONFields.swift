import Foundation

/// Strict readers for hand-edited JSON documents (playbooks, the response plan): every problem names its field.
struct JSONFields {
    func object(_ value: Any, at path: String) throws(DocumentError) -> [String: Any] {
        guard let object = value as? [String: Any] else {
            throw DocumentError(at: path, .l("must be an object", "on oltava olio"))
        }
        return object
    }

    func known(_ object: [String: Any], _ keys: Set<String>, at prefix: String) throws(DocumentError) {
        if let unknown = object.keys.sorted().first(where: { !keys.contains($0) }) {
            let names = keys.sorted().joined(separator: ", ")
            throw DocumentError(
                at: prefix + unknown,
                .l("unknown field; known fields are \(names)", "tuntematon kenttä; tunnetut kentät ovat \(names)")
            )
        }
    }

    func string(_ value: Any?, at path: String) throws(DocumentError) -> String {
        guard let value else { throw DocumentError(at: path, .l("missing", "puuttuu")) }
        guard let text = value as? String else { throw DocumentError(at: path, .mustBeText) }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw DocumentError(at: path, .l("must not be empty", "ei saa olla tyhjä")) }
        guard trimmed.count <= Self.maximumText else { throw DocumentError(at: path, .tooLong) }
        return trimmed
    }

    func localized(_ value: Any?, at path: String) throws(DocumentError) -> LocalizedText {
        guard let value else { throw DocumentError(at: path, .l("missing", "puuttuu")) }
        let object = try self.object(value, at: path)
        try known(object, ["en", "fi", "sv"], at: path + ".")
        // Swedish may be left out (English is shown instead); given, it follows the same rules as the others.
        return LocalizedText(
            en: try string(object["en"], at: "\(path).en"),
            fi: try string(object["fi"], at: "\(path).fi"),
            sv: object["sv"] == nil ? nil : try string(object["sv"], at: "\(path).sv")
        )
    }

    func optionalString(_ value: Any?, at path: String) throws(DocumentError) -> String {
        guard let value, !(value is NSNull) else { return "" }
        guard let text = value as? String else { throw DocumentError(at: path, .mustBeText) }
        guard text.count <= Self.maximumText else { throw DocumentError(at: path, .tooLong) }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static let maximumText = 2000
}

extension LocalizedMessage {
    static let mustBeText = LocalizedMessage.l("must be text", "on oltava tekstiä")
    static let mustBeAList = LocalizedMessage.l("must be a list", "on oltava luettelo")

    static var tooLong: LocalizedMessage {
        let maximum = JSONFields.maximumText
        return .l("at most \(maximum) characters", "enintään \(maximum) merkkiä")
    }

    /// A date field that does not hold a day (`reviewed_on`, an exercise's `date`).
    static func notADate(_ text: String) -> LocalizedMessage {
        .l("\"\(text)\" is not a date (YYYY-MM-DD)", "\"\(text)\" ei ole päivämäärä (VVVV-KK-PP)")
    }
}

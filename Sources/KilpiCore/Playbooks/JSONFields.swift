import Foundation

/// Strict readers for hand-edited JSON documents (playbooks, the response plan): every problem names its field.
struct JSONFields {
    func object(_ value: Any, at path: String) throws(DocumentError) -> [String: Any] {
        guard let object = value as? [String: Any] else {
            throw DocumentError(location: path, reason: "must be an object")
        }
        return object
    }

    func known(_ object: [String: Any], _ keys: Set<String>, at prefix: String) throws(DocumentError) {
        if let unknown = object.keys.sorted().first(where: { !keys.contains($0) }) {
            throw DocumentError(
                location: prefix + unknown,
                reason: "unknown field; known fields are \(keys.sorted().joined(separator: ", "))"
            )
        }
    }

    func string(_ value: Any?, at path: String) throws(DocumentError) -> String {
        guard let value else { throw DocumentError(location: path, reason: "missing") }
        guard let text = value as? String else { throw DocumentError(location: path, reason: "must be text") }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw DocumentError(location: path, reason: "must not be empty") }
        guard trimmed.count <= 2000 else { throw DocumentError(location: path, reason: "at most 2000 characters") }
        return trimmed
    }

    func localized(_ value: Any?, at path: String) throws(DocumentError) -> LocalizedText {
        guard let value else { throw DocumentError(location: path, reason: "missing") }
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
        guard let text = value as? String else { throw DocumentError(location: path, reason: "must be text") }
        guard text.count <= 2000 else { throw DocumentError(location: path, reason: "at most 2000 characters") }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

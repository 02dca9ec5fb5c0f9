import Foundation
import KilpiCore
import SQLKit

/// Key rotation for the outbox: each reference code sealed under an older key is sealed again under the current
/// one and its blind index recomputed with it, in small committed batches (`KeyRotation.run` calls this after the
/// customers). `Vault.sealedColumns` lists `notice_outbox.code_sealed`, so a key cannot be retired while a code
/// still needs it; a code's index is always made with the key that sealed it.
enum NoticeCodeRotation {
    static func run(database: Database, keys: Vault.Keys, batchSize: Int) async throws -> Int {
        let current = "v2:\(keys.cipher.currentKeyID):"
        let length = current.utf8.count
        var after: Int64 = 0
        var done = 0
        while true {
            let start = after
            let (count, last) = try await database.transaction { sql in
                let rows = try await sql.raw(
                    """
                    SELECT id, notice_key, code_sealed FROM notice_outbox
                    WHERE id > \(bind: start) AND substr(code_sealed, 1, \(literal: length)) <> \(bind: current)
                    ORDER BY id LIMIT \(literal: batchSize)
                    """
                ).all()
                var last = start
                for row in rows {
                    let id = try row.decode(column: "id", as: Int64.self)
                    let key = try row.decode(column: "notice_key", as: String.self)
                    let sealed = try row.decode(column: "code_sealed", as: String.self)
                    let code = try keys.cipher.open(sealed, context: NoticeOutboxRepository.codeContext, row: key)
                    let canonical = code.replacingOccurrences(of: "-", with: "")
                    try await sql.raw(
                        """
                        UPDATE notice_outbox SET code_sealed = \(bind: try keys.cipher.seal(code, context: NoticeOutboxRepository.codeContext, row: key)),
                            code_hash = \(bind: keys.index.index(canonical, purpose: NoticeOutboxRepository.codePurpose))
                        WHERE id = \(bind: id) AND code_sealed = \(bind: sealed)
                        """
                    ).run()
                    last = id
                }
                return (rows.count, last)
            }
            if count == 0 { return done }
            done += count
            after = last
        }
    }
}

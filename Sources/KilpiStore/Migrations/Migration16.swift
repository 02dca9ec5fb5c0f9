import SQLKit

extension Migrations {
    /// The audit checkpoint carries a MAC under the audit key (`AuditChain.checkpointMAC`): without it, whoever can
    /// write the database could move the checkpoint past entries they rewrote, and the console's walk from the
    /// checkpoint would skip them. A checkpoint without a MAC (every one written before) is ignored, so the next
    /// walk is a full one and writes a checkpoint that has one.
    static let v16 = Migration(
        16,
        "audit log: checkpoints carry a MAC",
        statements: { _ in
            ["ALTER TABLE audit_checkpoints ADD COLUMN mac TEXT"]
        }
    )
}

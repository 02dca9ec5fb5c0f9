import ArgumentParser
import Foundation
import KilpiCore
import KilpiStore

struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Manage the PII vault's keys.",
        subcommands: [Rotate.self]
    )

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-encrypt every personal field under a new key. Safe to interrupt: run it again to resume.",
            discussion:
                "When it finishes, old keys are removed from the key file: database backups taken before the rotation can then no longer be read with it."
        )
        @OptionGroup var db: DatabaseOptions
        @Option(help: "Re-encrypt at most this many customers now (the rest on the next run).") var limit: Int?

        func run() async throws {
            try await CLI.run {
                let keyFile = db.resolvedKeyFile
                try await db.withDatabase { database in
                    var ring = try await db.loadVault(database: database).ring
                    let pending = try await KeyRotation(database: database, vault: Vault(ring: ring)).remaining()
                    if pending == 0 {
                        // Saved before any row changes: an interrupted run must still find the new key.
                        ring = ring.adding()
                        try KeyRingSource.save(ring, path: keyFile)
                        CLI.say("New key \(ring.current.id) saved to \(keyFile); re-encrypting…")
                    } else {
                        CLI.say(
                            "Resuming an interrupted rotation to key \(ring.current.id): \(pending) customers left."
                        )
                    }
                    let rotation = KeyRotation(database: database, vault: Vault(ring: ring))
                    let bar = ProgressBar(label: "re-encrypting")
                    let done = try await rotation.run(limit: limit) { done, total in
                        bar.show(done: Int64(done), total: Int64(total), suffix: "\(done)/\(total)")
                    }
                    bar.finish()
                    let left = try await rotation.remaining()
                    let store = Store(database: database, vault: Vault(ring: ring))
                    try await store.audit.append(
                        AuditEvent(
                            actor: "cli",
                            action: "keys.rotate",
                            target: "key:\(ring.current.id)",
                            ip: "local",
                            detail: "\(done) re-encrypted, \(left) left"
                        ),
                        now: Date()
                    )
                    if left > 0 {
                        CLI.say(
                            "Re-encrypted \(done) customers; \(left) left. Run `kilpi keys rotate` again to continue."
                        )
                        return
                    }
                    let retired = ring.retiringOldKeys()
                    if retired.keys.count != ring.keys.count { try KeyRingSource.save(retired, path: keyFile) }
                    CLI.say(
                        "Rotation complete: every personal field is under key \(ring.current.id); older keys removed from \(keyFile)."
                    )
                }
            }
        }
    }
}

import ArgumentParser
import Foundation
import KilpiCore
import KilpiStore

struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Manage the PII vault's keys.",
        subcommands: [Rotate.self, Retire.self]
    )

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-encrypt every personal field under a new key. Safe to interrupt: run it again to resume.",
            discussion: """
                The new key is added to the key file and listed in the database before any row changes; running \
                servers pick it up by themselves. Old keys stay in the key file (a server that started before the \
                rotation may still be sealing under one): remove them with `kilpi keys retire` once this has \
                finished. The first rotation also re-seals fields written before they were bound to their row.
                """
        )
        @OptionGroup var db: DatabaseOptions
        @Option(help: "Re-encrypt at most this many customers now (the rest on the next run).") var limit: Int?

        func run() async throws {
            try await CLI.run {
                let keyFile = db.resolvedKeyFile
                try await db.withDatabase { database in
                    var vault = try await db.loadVault(database: database)
                    let older = try await KeyRotation(database: database, vault: vault).remainingUnderOlderKeys()
                    if older == 0 {
                        // Saved before any row changes, and before the database lists it: an interrupted run must
                        // still find the new key, and a server that sees it listed must find it in the file.
                        let ring = vault.ring.adding()
                        try KeyRingSource.save(ring, path: keyFile)
                        vault = try await db.loadVault(database: database)
                        CLI.say("New key \(ring.current.id) saved to \(keyFile); re-encrypting…")
                    } else {
                        CLI.say(
                            "Resuming an interrupted rotation to key \(vault.ring.current.id): \(older) customers left."
                        )
                    }
                    let current = vault.ring.current.id
                    let rotation = KeyRotation(database: database, vault: vault)
                    let bar = ProgressBar(label: "re-encrypting")
                    let done = try await rotation.run(limit: limit) { done, total in
                        bar.show(done: Int64(done), total: Int64(total), suffix: "\(done)/\(total)")
                    }
                    bar.finish()
                    let left = try await rotation.remaining()
                    let store = Store(database: database, vault: vault)
                    // Staff TOTP secrets follow the current key too (a few rows; done in one go).
                    try await store.sealStaffTOTPSecrets()
                    try await store.audit.append(
                        AuditEvent(
                            actor: "cli",
                            action: .keysRotate,
                            target: "key:\(current)",
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
                    CLI.say(
                        "Rotation complete: every personal field is under key \(current). Older keys stay in \(keyFile) until `kilpi keys retire`."
                    )
                }
            }
        }
    }

    struct Retire: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove keys that no row uses any more from the key file, and mark them retired.",
            discussion: """
                Checks every sealed column first and refuses, changing nothing, while any row is still sealed \
                under an old key (run `kilpi keys rotate` to finish). Database backups taken before a rotation \
                can no longer be read once their keys are retired: keep a copy of the old key file with them.
                """
        )
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            try await CLI.run {
                let keyFile = db.resolvedKeyFile
                try await db.withDatabase { database in
                    let vault = try await db.loadVault(database: database)
                    let ring = vault.ring
                    guard ring.keys.count > 1 else {
                        CLI.say("Nothing to retire: \(keyFile) holds only the current key \(ring.current.id).")
                        return
                    }
                    let store = Store(database: database, vault: vault)
                    let retired = try await KeyRetirement(store: store).retireOldKeys(
                        of: ring,
                        actor: "cli",
                        now: Date()
                    )
                    // After the database says so: a key file saved first would lose keys a refusal still needs.
                    try KeyRingSource.save(ring.retiringOldKeys(), path: keyFile)
                    let removed = ring.keys.dropLast().map(\.id).joined(separator: ", ")
                    CLI.say(
                        "Retired \(retired.isEmpty ? removed : retired.joined(separator: ", ")): removed from \(keyFile); key \(ring.current.id) remains."
                    )
                }
            }
        }
    }
}

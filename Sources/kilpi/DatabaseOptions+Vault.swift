import Foundation
import KilpiCore
import KilpiStore

extension DatabaseOptions {
    /// `--key-file`, else `KILPI_KEY_FILE`, else `kilpi.key` in the working folder.
    var resolvedKeyFile: String {
        keyFile ?? ProcessInfo.processInfo.environment["KILPI_KEY_FILE"] ?? "kilpi.key"
    }

    /// Loads the vault's key ring (creating the key file on first start) and checks it against the key check
    /// values in the database, listing new keys there. Refuses a freshly created key when the database already
    /// holds sealed data (that means the wrong key file, and carrying on would seal new rows under a key that
    /// cannot open the old ones), and a key whose id the database knows under another check value.
    ///
    /// The vault reads the same source again when the database lists a key it lacks, so a running server picks
    /// up the key a `kilpi keys rotate` adds.
    func loadVault(database: Database) async throws -> Vault {
        let path = resolvedKeyFile
        let (ring, created) = try KeyRingSource.load(path: path)
        if created, try await Migrator(database: database).appliedVersions().contains(2),
            try await CustomerRepository(database: database, vault: Vault(ring: ring)).count() > 0
        {
            try? FileManager.default.removeItem(atPath: path)
            throw VaultSetupError(
                message:
                    "the database holds encrypted customer data but no key file existed at \(path); point --key-file (or KILPI_KEY_FILE / KILPI_MASTER_KEY) at the key that sealed it"
            )
        }
        // The vault keys first: a key file from another installation is named as such, before the audit key's
        // check (which would refuse it too, less plainly) or its upgrade touches anything.
        do {
            try await Vault(ring: ring).register(in: database, now: Date())
        } catch {
            if created { try? FileManager.default.removeItem(atPath: path) }
            throw error
        }
        // A key file from before the audit key gets one (and the log continues with HMAC from there).
        let keyed = try await AuditKeyUpgrade.prepare(
            ring,
            database: database,
            reload: { try KeyRingSource.reload(path: path) },
            save: { upgraded in
                guard !upgraded.isFromEnvironment else {
                    let until = upgraded.audit.map { $0.sha256Until > 0 ? " sha256-until=\($0.sha256Until)" : "" }
                    throw VaultSetupError(
                        message:
                            "\(KeyRing.environmentVariable) holds no audit key: add the entry \"@audit <base64 of 32 bytes>\(until ?? "")\" (e.g. from `openssl rand -base64 32`), after a ';' or a newline"
                    )
                }
                try KeyRingSource.save(upgraded, path: path)
            }
        )
        return Vault(ring: keyed, reloadingFrom: { try KeyRingSource.reload(path: path) })
    }

    struct VaultSetupError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}

import Foundation
import KilpiCore
import SQLKit

/// The PII vault as the store uses it: field encryption plus blind indexes, over one key ring that a running
/// process can pick up anew.
///
/// `kilpi keys rotate` adds a key to the key file and lists it in the database (`vault_keys`) while servers
/// run. A server must then seal under the new key and open rows sealed under it, so the vault reads its key
/// source again when the database lists a key id its ring lacks: before every sealing transaction
/// (`keysForSealing`, one small query per transaction, not per row) and when a ciphertext names an unknown key.
/// Every ring it adopts is checked against the check values in `vault_keys` first.
public final class Vault: @unchecked Sendable {
    /// One consistent set of keys: seal, index and MAC a row with the same `Keys`, so a reload in between cannot
    /// leave a row sealed under one key and indexed under another.
    public struct Keys: Sendable {
        public let ring: KeyRing
        public let cipher: FieldCipher
        public let index: BlindIndex

        init(ring: KeyRing) {
            self.ring = ring
            self.cipher = FieldCipher(ring: ring)
            self.index = BlindIndex(ring: ring)
        }
    }

    private let lock = NSLock()
    private var state: Keys
    private let source: (@Sendable () throws -> KeyRing)?

    /// A vault over `ring`. `reloadingFrom` reads the key source again (the key file or `KILPI_MASTER_KEY`);
    /// without it the ring never changes (tests, throwaway databases).
    public init(ring: KeyRing, reloadingFrom source: (@Sendable () throws -> KeyRing)? = nil) {
        self.state = Keys(ring: ring)
        self.source = source
    }

    /// A vault with a fresh random key, for tests and throwaway databases.
    public static func ephemeral() throws -> Vault {
        Vault(ring: try KeyRing(keys: [VaultKey.generate(id: "k1")]))
    }

    /// The keys as they are now.
    public var keys: Keys { lock.withLock { state } }
    public var ring: KeyRing { keys.ring }
    public var cipher: FieldCipher { keys.cipher }
    public var index: BlindIndex { keys.index }

    /// The column contexts bind each ciphertext to its column: a value moved to another column fails to open.
    /// The row key (a customer's external id) binds it to its row as well.
    enum Context {
        static let name = "customers.name"
        static let email = "customers.email"
        static let phone = "customers.phone"
        static let address = "customers.address"
        static let nationalID = "customers.national_id"
    }

    /// Every column that holds sealed text, as (table, column, condition for rows that count): what
    /// `kilpi keys retire` checks before a key may go.
    static let sealedColumns: [(table: String, column: String)] = [
        ("customers", "name_sealed"), ("customers", "email_sealed"), ("customers", "phone_sealed"),
        ("customers", "address_sealed"), ("customers", "national_id_sealed"), ("staff_users", "totp_secret"),
        ("notice_outbox", "code_sealed"),
        ("support_messages", "text_sealed"), ("support_inquiries", "contact_email_sealed"),
        ("support_verifications", "email_sealed"),
        ("support_mail", "recipient_sealed"), ("support_mail", "code_sealed"),
    ]

    // MARK: - Registering and picking up keys

    /// Checks the ring against the database and lists its new keys there; run when a process loads its keys.
    ///
    /// Refuses a key whose id the database knows under another check value (another installation's `k1`), a
    /// ring whose newest key was retired (a key file older than the database), and a ring that lacks a key the
    /// database still lists as in use (rows sealed under it could not be opened).
    public func register(in database: Database, now: Date) async throws {
        let ring = self.ring
        try await database.transaction { sql in
            let registered = try await KeyRegistry.read(sql, engine: database.engine)
            try KeyRegistry.verify(ring, against: registered)
            if let missing = registered.values.sorted(by: { $0.id < $1.id }).first(where: {
                $0.retiredAt == nil && ring.key(id: $0.id) == nil
            }) {
                throw VaultError.keyMismatch(
                    "the database uses vault key \(missing.id), which the key file lacks: point --key-file (or KILPI_KEY_FILE / KILPI_MASTER_KEY) at the current key file"
                )
            }
            try await KeyRegistry.add(ring, missingFrom: registered, in: sql, now: now)
        }
    }

    /// The keys to seal with inside the caller's transaction `sql`: called once per sealing transaction.
    ///
    /// Reads `vault_keys` (on PostgreSQL `FOR SHARE`, so a concurrent `kilpi keys retire` of the key used here
    /// waits for this transaction and then sees its rows). When the database lists a key the ring lacks, or the
    /// ring's current key was retired, the key source is read again first. Throws when the ring's keys do not
    /// match the database or its current key stays retired; lists ring keys the database does not know yet.
    func keysForSealing(in sql: any SQLDatabase, engine: SQLEngine, now: Date) async throws -> Keys {
        let registered = try await KeyRegistry.read(sql, engine: engine, lock: true)
        var keys = self.keys
        if Self.isStale(keys.ring, registered) {
            keys = try adopt(try source?() ?? keys.ring, registered: registered)
        }
        try KeyRegistry.verify(keys.ring, against: registered)
        if let retired = registered[keys.ring.current.id]?.retiredAt {
            throw VaultError.retiredKey(
                "vault key \(keys.ring.current.id) was retired on \(ISO8601DateFormatter().string(from: retired)); the key file is older than the database"
            )
        }
        try await KeyRegistry.add(keys.ring, missingFrom: registered, in: sql, now: now)
        return keys
    }

    /// Reads the key source again when the database lists a key the ring lacks; true when the keys changed.
    /// For reads: a blind-index lookup must use the newest key too.
    func refreshIfStale(in sql: any SQLDatabase, engine: SQLEngine) async throws -> Bool {
        guard source != nil else { return false }
        let registered = try await KeyRegistry.read(sql, engine: engine)
        let before = ring
        guard Self.isStale(before, registered) else { return false }
        return try adopt(try source!(), registered: registered).ring.keys.map(\.id) != before.keys.map(\.id)
    }

    /// Reads the key source again after a ciphertext named a key the ring lacks; true when the keys changed.
    func reload(database: Database) async throws -> Bool {
        guard let source else { return false }
        let before = ring
        let fresh = try source()
        guard fresh.keys.map(\.id) != before.keys.map(\.id) else { return false }
        let registered = try await database.withConnection { sql in
            try await KeyRegistry.read(sql, engine: database.engine)
        }
        _ = try adopt(fresh, registered: registered)
        return true
    }

    private static func isStale(_ ring: KeyRing, _ registered: [String: KeyRegistry.Entry]) -> Bool {
        registered[ring.current.id]?.retiredAt != nil
            || registered.values.contains { $0.retiredAt == nil && ring.key(id: $0.id) == nil }
    }

    /// Makes `ring` the vault's keys once it matches the database's check values; keeps the old keys otherwise.
    private func adopt(_ ring: KeyRing, registered: [String: KeyRegistry.Entry]) throws -> Keys {
        try KeyRegistry.verify(ring, against: registered)
        let keys = Keys(ring: ring)
        lock.withLock { state = keys }
        return keys
    }
}

import Crypto
import Foundation

/// The rules of the tamper-evident audit chain.
///
/// Each entry's hash covers its own fields and the previous entry's hash, so editing, deleting or reordering
/// any entry breaks every hash after it. The hash is an HMAC-SHA256 under the audit key (`AuditKey`), which
/// lives with the vault keys and not in the database: someone who can write the database can edit an entry but
/// cannot recompute the hashes after it. Entries written before an installation had an audit key were chained
/// with plain SHA-256; they still verify as such, up to the point recorded with the key (`sha256Until`), and
/// the first keyed entry pins their last hash.
///
/// Ids are consecutive, so a deleted last entry shows as a gap only when something is appended after it;
/// `kilpi audit verify` also prints the head (id and hash) for an operator to keep elsewhere and can append it
/// to an anchor file, which catches truncation.
public enum AuditChain {
    /// The `previousHash` of the first entry.
    public static let genesis = String(repeating: "0", count: 64)

    /// How an entry's hash was computed (the `chain` column).
    public enum Version: Int, Sendable, Equatable, CaseIterable {
        /// Plain SHA-256: entries written before the installation had an audit key.
        case sha256 = 1
        /// HMAC-SHA256 under the audit key.
        case hmacSHA256 = 2
    }

    /// SHA-256 over a length-prefixed encoding of every field, so no two different entries can encode alike.
    /// Only entries written before the audit key existed are hashed this way.
    public static func hash(
        id: Int64,
        atMilliseconds: Int64,
        actor: String,
        action: String,
        target: String,
        ip: String,
        detail: String,
        previousHash: String
    ) -> String {
        var hasher = SHA256()
        for field in [String(id), String(atMilliseconds), actor, action, target, ip, detail, previousHash] {
            hasher.update(data: encoded(field))
        }
        return Digest.hex(Array(hasher.finalize()))
    }

    /// HMAC-SHA256 under the audit key over the same length-prefixed fields, after a label that keeps it apart
    /// from any other use of the key.
    public static func mac(
        key: AuditKey,
        id: Int64,
        atMilliseconds: Int64,
        actor: String,
        action: String,
        target: String,
        ip: String,
        detail: String,
        previousHash: String
    ) -> String {
        var hmac = HMAC<Crypto.SHA256>(key: key.material)
        for field in [
            "kilpi audit chain v2", String(id), String(atMilliseconds), actor, action, target, ip, detail, previousHash,
        ] {
            hmac.update(data: encoded(field))
        }
        return Digest.hex(Array(hmac.finalize()))
    }

    /// The MAC a verify checkpoint (the last entry a walk found intact) carries, so that it cannot be moved without
    /// the audit key: a walk resumes only from a checkpoint whose MAC is right.
    public static func checkpointMAC(key: AuditKey, name: String, entryID: Int64, hash: String) -> String {
        var hmac = HMAC<Crypto.SHA256>(key: key.material)
        for field in ["kilpi audit checkpoint v1", name, String(entryID), hash] {
            hmac.update(data: encoded(field))
        }
        return Digest.hex(Array(hmac.finalize()))
    }

    private static func encoded(_ field: String) -> [UInt8] {
        let bytes = Array(field.utf8)
        return Array(String(bytes.count).utf8) + [0x3A] + bytes
    }

    /// The hash `entry` should carry, computed the way its `chain` says.
    public static func expectedHash(of entry: AuditEntry, key: AuditKey) -> String {
        // `epochMilliseconds` rounds to the nearest millisecond, so a time decoded from stored milliseconds
        // hashes exactly as it did when written.
        switch entry.chain {
        case .sha256:
            hash(
                id: entry.id,
                atMilliseconds: entry.at.epochMilliseconds,
                actor: entry.actor,
                action: entry.action,
                target: entry.target,
                ip: entry.ip,
                detail: entry.detail,
                previousHash: entry.previousHash
            )
        case .hmacSHA256:
            mac(
                key: key,
                id: entry.id,
                atMilliseconds: entry.at.epochMilliseconds,
                actor: entry.actor,
                action: entry.action,
                target: entry.target,
                ip: entry.ip,
                detail: entry.detail,
                previousHash: entry.previousHash
            )
        }
    }

    /// Why the chain is broken, at the first bad entry.
    public enum Break: Sendable, Equatable, CustomStringConvertible {
        /// The entry's content no longer matches its hash: it was edited (or the audit key is not the one the
        /// log was written with).
        case contentChanged(id: Int64)
        /// The entry does not point at the entry before it: one was deleted, inserted or moved.
        case linkBroken(id: Int64)
        /// Ids are not consecutive: entries are missing.
        case gap(afterID: Int64, nextID: Int64)
        /// The entry carries a plain SHA-256 hash where the audit key's HMAC is required: it was rewritten by
        /// someone without the key.
        case unkeyed(id: Int64)

        public var description: String {
            switch self {
            case .contentChanged(let id):
                "entry \(id) was altered: its content does not match its hash (or the audit key is not the log's)"
            case .linkBroken(let id):
                "entry \(id) does not follow the entry before it (deleted, inserted or reordered entries)"
            case .gap(let after, let next): "entries between \(after) and \(next) are missing"
            case .unkeyed(let id):
                "entry \(id) carries a plain SHA-256 hash where the audit key's HMAC is required: it was rewritten without the key"
            }
        }
    }

    /// Walks entries in id order, carrying the state between calls so huge logs can be checked page by page.
    public struct Verifier: Sendable {
        public let key: AuditKey
        public private(set) var lastHash = AuditChain.genesis
        public private(set) var lastID: Int64?
        /// Entries checked by this verifier (not counting the one it resumed after).
        public private(set) var count = 0
        /// Once a keyed entry has been seen, no plain SHA-256 entry may follow.
        private var keyed = false

        /// A verifier that starts at the first entry.
        public init(key: AuditKey) {
            self.key = key
        }

        /// A verifier that continues after `entry`, taken as verified (a checkpoint): only later entries are
        /// checked, so an edit at or before `entry` is not seen.
        public init(key: AuditKey, resumingAfter entry: AuditEntry) {
            self.key = key
            lastHash = entry.hash
            lastID = entry.id
            keyed = entry.chain == .hmacSHA256
        }

        /// Checks the next entry; returns the first break found, or nil while the chain holds.
        public mutating func check(_ entry: AuditEntry) -> Break? {
            if let lastID, entry.id != lastID + 1 {
                return .gap(afterID: lastID, nextID: entry.id)
            }
            if lastID == nil, entry.id != 1 {
                return .linkBroken(id: entry.id)
            }
            if entry.previousHash != lastHash {
                return .linkBroken(id: entry.id)
            }
            if entry.chain == .sha256, keyed || entry.id > key.sha256Until {
                return .unkeyed(id: entry.id)
            }
            if AuditChain.expectedHash(of: entry, key: key) != entry.hash {
                return .contentChanged(id: entry.id)
            }
            keyed = keyed || entry.chain == .hmacSHA256
            lastHash = entry.hash
            lastID = entry.id
            count += 1
            return nil
        }
    }
}

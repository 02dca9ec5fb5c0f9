import Crypto
import Foundation

/// The rules of the tamper-evident audit chain.
///
/// Each entry's hash covers its own fields and the previous entry's hash, so editing, deleting or reordering
/// any entry breaks every hash after it. Ids are consecutive, so a deleted last entry shows as a gap only
/// when something is appended after it; `kilpi audit verify` also prints the head hash for an operator to
/// keep elsewhere (anchoring), which catches truncation.
public enum AuditChain {
    /// The `previousHash` of the first entry.
    public static let genesis = String(repeating: "0", count: 64)

    /// SHA-256 over a length-prefixed encoding of every field, so no two different entries can encode alike.
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
            let bytes = Array(field.utf8)
            hasher.update(data: Array(String(bytes.count).utf8) + [0x3A])
            hasher.update(data: bytes)
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    public static func expectedHash(of entry: AuditEntry) -> String {
        // `epochMilliseconds` rounds to the nearest millisecond, so a time decoded from stored milliseconds
        // hashes exactly as it did when written.
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
    }

    /// Why the chain is broken, at the first bad entry.
    public enum Break: Sendable, Equatable, CustomStringConvertible {
        /// The entry's content no longer matches its hash: it was edited.
        case contentChanged(id: Int64)
        /// The entry does not point at the entry before it: one was deleted, inserted or moved.
        case linkBroken(id: Int64)
        /// Ids are not consecutive: entries are missing.
        case gap(afterID: Int64, nextID: Int64)

        public var description: String {
            switch self {
            case .contentChanged(let id): "entry \(id) was altered: its content does not match its hash"
            case .linkBroken(let id):
                "entry \(id) does not follow the entry before it (deleted, inserted or reordered entries)"
            case .gap(let after, let next): "entries between \(after) and \(next) are missing"
            }
        }
    }

    /// Walks entries in id order, carrying the state between calls so huge logs can be checked page by page.
    public struct Verifier: Sendable {
        public private(set) var lastHash = AuditChain.genesis
        public private(set) var lastID: Int64?
        public private(set) var count = 0

        public init() {}

        /// Checks the next entry; returns the first break found, or nil while the chain holds.
        public mutating func check(_ entry: AuditEntry) -> Break? {
            if let lastID, entry.id != lastID + 1 {
                return .gap(afterID: lastID, nextID: entry.id)
            }
            if entry.previousHash != lastHash {
                return .linkBroken(id: entry.id)
            }
            if AuditChain.expectedHash(of: entry) != entry.hash {
                return .contentChanged(id: entry.id)
            }
            lastHash = entry.hash
            lastID = entry.id
            count += 1
            return nil
        }
    }
}

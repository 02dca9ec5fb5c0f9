import Crypto
import Foundation

/// The secret the audit chain is keyed with: every entry's hash is an HMAC-SHA256 under it, so whoever can
/// write the database but does not hold the key file cannot recompute the chain after editing an entry.
///
/// It lives in the key file (or `KILPI_MASTER_KEY`) beside the vault keys, on a line of its own,
/// `@audit <base64 of 32 bytes>`, and is never rotated with them: `kilpi keys rotate` and the retirement of old
/// vault keys keep it, because every entry ever written must stay verifiable.
///
/// An installation that kept its log before the key existed was upgraded at a known point: entries up to
/// `sha256Until` were chained with plain SHA-256 and still verify as such; every later entry must carry the
/// HMAC. The point is stored with the key (`@audit <base64> sha256-until=<id>`), outside the database, so
/// recomputing later entries with plain SHA-256 is detected.
public struct AuditKey: Sendable, Equatable {
    /// Bytes of key material.
    public static let byteCount = 32

    /// 32 bytes of secret material; used only through `AuditChain.mac`.
    public let material: SymmetricKey
    /// The last entry id chained with plain SHA-256 before the key existed; 0 when the log was keyed from its
    /// first entry.
    public let sha256Until: Int64

    public init(material: SymmetricKey, sha256Until: Int64 = 0) throws(VaultError) {
        guard material.bitCount == Self.byteCount * 8 else {
            throw .invalidKeys("the audit key is not \(Self.byteCount) bytes")
        }
        guard sha256Until >= 0 else { throw .invalidKeys("the audit key's sha256-until must not be negative") }
        self.material = material
        self.sha256Until = sha256Until
    }

    /// A fresh key from the system's CSPRNG.
    public static func generate(sha256Until: Int64 = 0) -> AuditKey {
        // Cannot fail: 32 bytes, a non-negative id.
        try! AuditKey(material: SymmetricKey(size: .bits256), sha256Until: max(0, sha256Until))
    }

    /// The key file line, without its newline.
    var line: String {
        let base64 = material.withUnsafeBytes { Data($0).base64EncodedString() }
        return sha256Until > 0 ? "@audit \(base64) sha256-until=\(sha256Until)" : "@audit \(base64)"
    }
}

extension AuditKey: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Never the material.
    public var description: String { "AuditKey(sha256Until: \(sha256Until))" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["sha256Until": sha256Until]) }
}

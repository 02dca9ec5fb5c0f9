import Crypto
import Foundation

/// A versioned master key of the PII vault.
///
/// The id travels inside every ciphertext (`v1:<id>:…`) so that a value can be opened after newer keys were
/// added. Ids are short, stable and never reused: "k1", "k2", …
///
/// The material never appears in `description`, `debugDescription` or a mirror, so a key that reaches a log line
/// or a test failure shows its id only.
public struct VaultKey: Sendable, Equatable {
    /// Longest id accepted; far shorter than any base64 key, so a misplaced key can never pass for an id.
    static let maximumIDLength = 32
    /// Bytes of master key material (AES-256).
    public static let byteCount = 32

    /// The key's name inside ciphertexts and the key file.
    public let id: String
    /// 32 bytes of secret material. Never used directly: field and index keys are derived from it with HKDF.
    public let material: SymmetricKey

    /// A key from existing material; the id must be 1–32 ASCII letters, digits, `-` or `_`.
    public init(id: String, material: SymmetricKey) throws(VaultError) {
        guard Self.isValidID(id) else {
            throw .invalidKeys("key id \"\(id)\" is invalid: use 1–\(Self.maximumIDLength) letters, digits, '-' or '_'")
        }
        guard material.bitCount == Self.byteCount * 8 else {
            throw .invalidKeys("key \(id) is not \(Self.byteCount) bytes")
        }
        self.init(uncheckedID: id, material: material)
    }

    init(uncheckedID id: String, material: SymmetricKey) {
        self.id = id
        self.material = material
    }

    /// A fresh key from the system's CSPRNG.
    public static func generate(id: String) throws(VaultError) -> VaultKey {
        try VaultKey(id: id, material: SymmetricKey(size: .bits256))
    }

    static func isValidID(_ id: String) -> Bool {
        let utf8 = id.utf8
        guard !utf8.isEmpty, utf8.count <= maximumIDLength else { return false }
        return utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }
    }

    /// A fingerprint that tells this key from another with the same id, safe to store beside the data.
    ///
    /// HMAC-SHA256 of a constant under a key derived from the material with HKDF-SHA256 (info "kilpi key check
    /// v1"), as 64 hex digits: it reveals nothing about the material, and no field or index key is derived the
    /// same way. The database keeps one per key id (`vault_keys`), so a key file from another installation whose
    /// key is also called `k1` is refused instead of sealing new rows that the real `k1` cannot open.
    public var checkValue: String {
        let checkKey = HKDF<Crypto.SHA256>.deriveKey(
            inputKeyMaterial: material,
            info: Array("kilpi key check v1".utf8),
            outputByteCount: 32
        )
        let mac = HMAC<Crypto.SHA256>.authenticationCode(
            for: Array("kilpi vault key check value".utf8),
            using: checkKey
        )
        return Digest.hex(Array(mac))
    }

    /// The material as padded standard base64, the spelling of `openssl rand -base64 32`.
    var materialBase64: String {
        material.withUnsafeBytes { Data($0).base64EncodedString() }
    }

    /// The number after the id's last non-digit ("k12" → 12); 0 when there is none.
    var numericSuffix: Int {
        let digits = id.utf8.reversed().prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        return Int(String(decoding: digits.reversed(), as: UTF8.self)) ?? 0
    }
}

extension VaultKey: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "VaultKey(\(id))" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["id": id], displayStyle: .struct) }
}

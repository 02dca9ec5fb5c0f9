import Crypto
import Foundation

/// Encrypts and decrypts single personal-data fields.
///
/// A sealed field is text, `v2:<key id>:<base64(nonce ‖ ciphertext ‖ tag)>`, in standard base64 without padding;
/// only the canonical spelling is accepted, so no two texts open to the same value. AES-256-GCM with a random
/// 12-byte nonce: sealing the same value twice gives different texts.
///
/// The associated data binds the ciphertext to its place: the column context (e.g. "customers.email"), a zero
/// byte, and the row key (the customer's external id). A ciphertext copied into another column, or into another
/// customer's row, fails to open there: a notice can never go to an address that belongs to someone else.
/// Format `v1` (written before rows were bound) authenticated the column context only; it still opens, with
/// that context, until `kilpi keys rotate` has re-sealed every v1 field as v2.
///
/// AES keys are derived from each master key with HKDF-SHA256 (info "kilpi field encryption v1"), so the
/// master material never keys a cipher directly and blind indexes use unrelated keys.
///
/// Random 96-bit nonces keep the chance of a repeat below 2⁻³² for up to 2³² seals per key; a key rotation
/// every few years on a customer database stays far below that.
public struct FieldCipher: Sendable {
    static let version = "v2"
    /// The column-only format, opened but never written.
    static let legacyVersion = "v1"
    static let nonceByteCount = 12
    static let tagByteCount = 16
    static let derivationInfo = Array("kilpi field encryption v1".utf8)

    private let currentID: String
    private let currentKey: SymmetricKey
    private let keysByID: [String: SymmetricKey]

    /// A cipher that seals under the ring's current key and opens under any of its keys.
    public init(ring: KeyRing) {
        var keysByID: [String: SymmetricKey] = [:]
        for key in ring.keys {
            keysByID[key.id] = HKDF<Crypto.SHA256>.deriveKey(
                inputKeyMaterial: key.material,
                info: Self.derivationInfo,
                outputByteCount: 32
            )
        }
        self.keysByID = keysByID
        self.currentID = ring.current.id
        self.currentKey = keysByID[ring.current.id]!
    }

    /// The id of the key that new seals use.
    public var currentKeyID: String { currentID }

    /// The associated data of a v2 field: the column context, a zero byte, the row key. Contexts are constants
    /// without a zero byte, so no two (context, row) pairs give the same bytes.
    static func associatedData(context: String, row: String) -> [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(context.utf8.count + 1 + row.utf8.count)
        bytes += context.utf8
        bytes.append(0)
        bytes += row.utf8
        return bytes
    }

    /// Encrypts `plaintext` under the current key, bound to `context` (the column) and `row` (the row's stable
    /// key; empty for a value that belongs to no particular row).
    public func seal(_ plaintext: String, context: String, row: String = "") throws(VaultError) -> String {
        let box: AES.GCM.SealedBox
        do {
            box = try AES.GCM.seal(
                Array(plaintext.utf8),
                using: currentKey,
                authenticating: Self.associatedData(context: context, row: row)
            )
        } catch {
            throw .cannotEncrypt("cannot encrypt \(context)")
        }
        // A 12-byte nonce always gives a combined form; nil would mean a swift-crypto change.
        guard let combined = box.combined else { throw .cannotEncrypt("cannot encrypt \(context)") }
        return "\(Self.version):\(currentID):\(UnpaddedBase64.encode(Array(combined)))"
    }

    /// Seals many fields at once, as `sealOptional` would one by one (nil stays nil), each bound to no row.
    public func seal(_ fields: [(plaintext: String?, context: String)]) throws(VaultError) -> [String?] {
        try seal(fields.map { (plaintext: $0.plaintext, context: $0.context, row: "") })
    }

    /// Seals many fields at once, as `sealOptional` would one by one (nil stays nil).
    ///
    /// Every nonce is still 12 fresh bytes from the operating system's CSPRNG, used once: they are read in one
    /// call into a buffer local to this call, and each 12-byte slice goes to exactly one field. (One or two
    /// system calls per seal were a fifth of an import's sealing time.)
    public func seal(
        _ fields: [(plaintext: String?, context: String, row: String)]
    ) throws(VaultError) -> [String?] {
        let sealedCount = fields.reduce(0) { $0 + ($1.plaintext == nil ? 0 : 1) }
        var nonces = [UInt8](repeating: 0, count: sealedCount * Self.nonceByteCount)
        nonces.withUnsafeMutableBytes { SecureRandom.fill($0) }
        let prefix = "\(Self.version):\(currentID):"
        var result: [String?] = []
        result.reserveCapacity(fields.count)
        var next = 0
        for field in fields {
            guard let plaintext = field.plaintext else {
                result.append(nil)
                continue
            }
            let nonceBytes = nonces[next..<next + Self.nonceByteCount]
            next += Self.nonceByteCount
            let box: AES.GCM.SealedBox
            do {
                box = try AES.GCM.seal(
                    Array(plaintext.utf8),
                    using: currentKey,
                    nonce: try AES.GCM.Nonce(data: nonceBytes),
                    authenticating: Self.associatedData(context: field.context, row: field.row)
                )
            } catch {
                throw .cannotEncrypt("cannot encrypt \(field.context)")
            }
            var payload = [UInt8]()
            payload.reserveCapacity(Self.nonceByteCount + box.ciphertext.count + Self.tagByteCount)
            payload += nonceBytes
            payload += box.ciphertext
            payload += box.tag
            result.append(prefix + UnpaddedBase64.encode(payload))
        }
        return result
    }

    /// A v1 text (column context only), as Kilpi wrote before rows were bound. Kilpi never writes one now:
    /// this exists so that tests can build the databases the v1 → v2 upgrade meets.
    func sealLegacy(_ plaintext: String, context: String) throws -> String {
        let box = try AES.GCM.seal(Array(plaintext.utf8), using: currentKey, authenticating: Array(context.utf8))
        return "\(Self.legacyVersion):\(currentID):\(UnpaddedBase64.encode(Array(box.combined!)))"
    }

    /// `seal` for columns that may be NULL: nil stays nil.
    public func sealOptional(_ plaintext: String?, context: String, row: String = "") throws(VaultError) -> String? {
        guard let plaintext else { return nil }
        return try seal(plaintext, context: context, row: row)
    }

    /// Decrypts a sealed field that was sealed with the same `context` and `row`.
    ///
    /// Throws `.unknownKeyID` when the ring lacks the key it names and `.cannotDecrypt` when the text is not a
    /// Kilpi ciphertext, was altered, or belongs to another column or row. Messages name the context and key id
    /// only (never the row key, which may be a customer's id). A v1 text is opened with the column context alone.
    public func open(_ sealed: String, context: String, row: String = "") throws(VaultError) -> String {
        guard let parts = Self.parse(sealed) else {
            throw .cannotDecrypt("cannot decrypt \(context): not a Kilpi ciphertext")
        }
        guard let key = keysByID[parts.keyID] else {
            throw .unknownKeyID(
                "cannot decrypt \(context): key \(parts.keyID) is not in the key ring (retired before rotation finished?)"
            )
        }
        guard let payload = UnpaddedBase64.decode(parts.payload),
            payload.count >= Self.nonceByteCount + Self.tagByteCount
        else {
            throw .cannotDecrypt("cannot decrypt \(context): not a Kilpi ciphertext")
        }
        let associatedData =
            parts.isLegacy ? Array(context.utf8) : Self.associatedData(context: context, row: row)
        do {
            let box = try AES.GCM.SealedBox(combined: payload)
            let plaintext = try AES.GCM.open(box, using: key, authenticating: associatedData)
            return String(decoding: plaintext, as: UTF8.self)
        } catch {
            throw .cannotDecrypt(
                "cannot decrypt \(context) under key \(parts.keyID): altered, copied from another field or row, or not sealed with this key"
            )
        }
    }

    /// `open` for columns that may be NULL: nil stays nil.
    public func openOptional(_ sealed: String?, context: String, row: String = "") throws(VaultError) -> String? {
        guard let sealed else { return nil }
        return try open(sealed, context: context, row: row)
    }

    /// The key id a sealed field names, or nil when it is not a Kilpi ciphertext. Does not decrypt.
    public func keyID(of sealed: String) -> String? {
        Self.parse(sealed)?.keyID
    }

    /// True when `sealed` is in the v1 format (bound to its column only), which a rotation re-seals as v2.
    public func isLegacy(_ sealed: String) -> Bool {
        Self.parse(sealed)?.isLegacy ?? false
    }

    /// True when `sealed` is not a v2 text under the current key and so needs re-encrypting by a rotation.
    /// Text that is not a Kilpi ciphertext also answers true: a rotation must look at it.
    public func needsReencryption(_ sealed: String) -> Bool {
        guard let parts = Self.parse(sealed) else { return true }
        return parts.keyID != currentID || parts.isLegacy
    }

    /// `sealed` as a v2 text under the current key: unchanged when it already is (so a resumed rotation skips
    /// finished rows cheaply), otherwise opened and sealed afresh, bound to `row`. Fails like `open`.
    public func reencrypt(_ sealed: String, context: String, row: String = "") throws(VaultError) -> String {
        guard needsReencryption(sealed) else { return sealed }
        return try seal(try open(sealed, context: context, row: row), context: context, row: row)
    }

    private static func parse(_ sealed: String) -> (keyID: String, payload: Substring, isLegacy: Bool)? {
        let fields = sealed.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard fields.count == 3, fields[0] == version || fields[0] == legacyVersion else { return nil }
        let keyID = String(fields[1])
        guard VaultKey.isValidID(keyID) else { return nil }
        return (keyID, fields[2], fields[0] == legacyVersion)
    }
}

import Crypto
import Foundation

/// Keyed HMAC-SHA256 fingerprints of personal data for exact-match lookups without decrypting.
///
/// An index is 64 lowercase hex digits: the full 32-byte HMAC-SHA256 of the value's UTF-8 bytes. Its key is
/// derived from a master key with HKDF-SHA256, info `"kilpi blind index v1:" + purpose`, so indexes of one
/// purpose ("email") cannot be matched against those of another ("phone"), and none is related to the field
/// encryption keys. The same value gives the same index under the same key: that is the point, and also the
/// leak (equal values are visible as equal), which is why only columns that need lookups get one.
///
/// Values are indexed byte for byte; normalise first (`normalizeEmail`, or use `emailIndex`).
public struct BlindIndex: Sendable {
    static let derivationInfoPrefix = "kilpi blind index v1:"
    /// The purpose `emailIndex` and `allEmailIndexes` use.
    public static let emailPurpose = "email"

    /// Master keys, newest first.
    private let masterKeys: [SymmetricKey]
    /// HMAC states with each purpose's key already absorbed, shared by copies of this value.
    private let keyedStates: KeyedStates

    /// Indexes under the ring's current key; `allIndexes` uses every key in it.
    public init(ring: KeyRing) {
        masterKeys = ring.keys.reversed().map(\.material)
        keyedStates = KeyedStates()
    }

    /// The index of `value` under the current key.
    public func index(_ value: String, purpose: String) -> String {
        Self.index(value, using: states(for: purpose)[0])
    }

    /// The index of `value` under every key in the ring, current key first, without repeats.
    ///
    /// During a rotation some rows still carry an index under an older key, so lookups ask for any of these
    /// (`WHERE email_index IN (…)`).
    public func allIndexes(_ value: String, purpose: String) -> [String] {
        var result: [String] = []
        for state in states(for: purpose) {
            let index = Self.index(value, using: state)
            if !result.contains(index) { result.append(index) }
        }
        return result
    }

    /// The index of a normalised email address under the current key.
    public func emailIndex(_ email: String) -> String {
        index(Self.normalizeEmail(email), purpose: Self.emailPurpose)
    }

    /// The indexes of a normalised email address under every key, current key first.
    public func allEmailIndexes(_ email: String) -> [String] {
        allIndexes(Self.normalizeEmail(email), purpose: Self.emailPurpose)
    }

    /// Email normalisation used before indexing: surrounding whitespace trimmed, Unicode-aware lower case,
    /// NFC. Nothing provider-specific (dots and `+tags` stay): two addresses that a mail server may treat
    /// differently must not collapse into one customer.
    public static func normalizeEmail(_ email: String) -> String {
        if let ascii = normalizeASCII(email) { return ascii }
        // NFC both before and after lower-casing: lower-casing can leave a letter and a combining mark that
        // compose ("T̈" → "ẗ").
        return email.trimmingCharacters(in: .whitespacesAndNewlines)
            .precomposedStringWithCanonicalMapping
            .lowercased()
            .precomposedStringWithCanonicalMapping
    }

    /// The same result for pure ASCII, where NFC changes nothing, without Foundation's Unicode machinery
    /// (about 10× faster on a typical address); nil when `text` has any other byte.
    private static func normalizeASCII(_ text: String) -> String? {
        var text = text
        return text.withUTF8 { bytes -> String? in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            // ASCII whitespace and newlines: tab, line feed, vertical tab, form feed, carriage return, space.
            func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }
            guard let first = bytes.firstIndex(where: { !isSpace($0) }),
                let last = bytes.lastIndex(where: { !isSpace($0) })
            else { return "" }
            return String(unsafeUninitializedCapacity: last - first + 1) { buffer in
                for (offset, byte) in bytes[first...last].enumerated() {
                    buffer[offset] = (0x41...0x5A).contains(byte) ? byte | 0x20 : byte
                }
                return last - first + 1
            }
        }
    }

    /// One keyed HMAC state per master key (newest first) for `purpose`, derived on first use.
    ///
    /// Deriving the key (HKDF) and absorbing it into HMAC costs about twice the HMAC of a short value, so it is
    /// done once per purpose rather than once per value.
    private func states(for purpose: String) -> [HMAC<Crypto.SHA256>] {
        if let states = keyedStates.states(for: purpose) { return states }
        let states = masterKeys.map { masterKey in
            HMAC<Crypto.SHA256>(key: Self.derivedKey(masterKey: masterKey, purpose: purpose))
        }
        keyedStates.store(states, for: purpose)
        return states
    }

    static func derivedKey(masterKey: SymmetricKey, purpose: String) -> SymmetricKey {
        HKDF<Crypto.SHA256>.deriveKey(
            inputKeyMaterial: masterKey,
            info: Array((derivationInfoPrefix + purpose).utf8),
            outputByteCount: 32
        )
    }

    private static func index(_ value: String, using keyedState: HMAC<Crypto.SHA256>) -> String {
        // HMAC's hash state is copy-on-write: updating this copy leaves the shared keyed state untouched.
        var hmac = keyedState
        var value = value
        value.withUTF8 { hmac.update(data: UnsafeRawBufferPointer($0)) }
        return Digest.hex(Array(hmac.finalize()))
    }

    /// A small lock-guarded cache: purposes are a handful of constants, so it never grows large.
    private final class KeyedStates: @unchecked Sendable {
        private let lock = NSLock()
        private var statesByPurpose: [String: [HMAC<Crypto.SHA256>]] = [:]

        func states(for purpose: String) -> [HMAC<Crypto.SHA256>]? {
            lock.withLock { statesByPurpose[purpose] }
        }

        func store(_ states: [HMAC<Crypto.SHA256>], for purpose: String) {
            lock.withLock { statesByPurpose[purpose] = states }
        }
    }
}

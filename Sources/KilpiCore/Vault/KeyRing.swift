import Crypto
import Foundation

/// The master keys Kilpi knows, oldest first.
///
/// The newest key is `current`: every new encryption and blind index uses it. Older keys still open what was
/// sealed under them until `kilpi keys rotate` has re-encrypted everything; then `retiringOldKeys()` drops them.
/// A rotation therefore runs: `adding()` → save the ring → re-encrypt every field → `retiringOldKeys()` → save.
/// Saving the grown ring before touching any row is what makes an interrupted rotation safe to resume.
///
/// The text form (key file and `KILPI_MASTER_KEY`) has one key per line, `<id> <base64 of 32 bytes>`, oldest
/// first, so the last line is the current key. `#` starts a comment; blank lines are ignored. One more line,
/// `@audit <base64 of 32 bytes>` (optionally followed by `sha256-until=<id>`), holds the audit chain's key
/// (`AuditKey`), which no rotation changes.
public struct KeyRing: Sendable {
    /// The name of the environment variable that, when set, replaces the key file.
    public static let environmentVariable = "KILPI_MASTER_KEY"

    /// Every key, oldest first; never empty, ids unique.
    public let keys: [VaultKey]
    /// True when the ring was read from `KILPI_MASTER_KEY` (or derived from such a ring): it cannot be saved,
    /// because the operator owns the variable.
    public let isFromEnvironment: Bool
    /// The key of the audit chain; nil only for a key file written before Kilpi had one, until it is upgraded
    /// (`addingAuditKey`). Rotation and retirement keep it.
    public let audit: AuditKey?

    /// The newest key, used for every new encryption and index.
    public var current: VaultKey { keys[keys.count - 1] }

    /// A ring of `keys`, oldest first, and an audit key (a fresh one unless given). Refuses an empty list and
    /// repeated ids.
    public init(keys: [VaultKey], audit: AuditKey? = .generate()) throws(VaultError) {
        try self.init(keys: keys, isFromEnvironment: false, audit: audit)
    }

    init(keys: [VaultKey], isFromEnvironment: Bool, audit: AuditKey?) throws(VaultError) {
        guard !keys.isEmpty else { throw .invalidKeys("no vault keys given") }
        var seen = Set<String>()
        for key in keys where !seen.insert(key.id).inserted {
            throw .invalidKeys("key id \(key.id) appears twice")
        }
        self.init(validatedKeys: keys, isFromEnvironment: isFromEnvironment, audit: audit)
    }

    private init(validatedKeys keys: [VaultKey], isFromEnvironment: Bool, audit: AuditKey?) {
        self.keys = keys
        self.isFromEnvironment = isFromEnvironment
        self.audit = audit
    }

    /// The key with this id, if the ring holds it.
    public func key(id: String) -> VaultKey? {
        keys.first { $0.id == id }
    }

    /// Parses the text form. `source` begins every error message, which then names the line:
    /// `key file /etc/kilpi/master.key line 3: not 32 bytes of base64`.
    public init(parsing text: String, source: String = "key file") throws(VaultError) {
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        try self.init(entries: lines, isFromEnvironment: false, sourceName: source, entryName: "line")
    }

    /// Parses `KILPI_MASTER_KEY`, whose entries may be separated by newlines or `;` (one-line shells and
    /// container settings cannot always hold newlines).
    init(parsingEnvironmentValue text: String) throws(VaultError) {
        let entries = text.split(omittingEmptySubsequences: false) { $0.isNewline || $0 == ";" }
        try self.init(
            entries: entries,
            isFromEnvironment: true,
            sourceName: Self.environmentVariable,
            entryName: "entry"
        )
    }

    private init(
        entries: [Substring],
        isFromEnvironment: Bool,
        sourceName: String,
        entryName: String
    ) throws(VaultError) {
        func location(_ number: Int) -> String { "\(sourceName) \(entryName) \(number)" }
        var keys: [VaultKey] = []
        var audit: AuditKey?
        for (offset, entry) in entries.enumerated() {
            let content = entry.prefix { $0 != "#" }
            let fields = content.split(whereSeparator: \.isWhitespace)
            if fields.isEmpty { continue }
            if fields[0] == "@audit" {
                // '@' cannot start a key id, so this line never collides with a vault key's.
                guard audit == nil else { throw .invalidKeys("\(location(offset + 1)): a second @audit line") }
                audit = try Self.parseAuditKey(fields, location: location(offset + 1))
                continue
            }
            // Messages never quote the line: a misplaced key must not end up in a log.
            guard fields.count == 2 else {
                throw .invalidKeys("\(location(offset + 1)): expected \"<key id> <base64 of 32 bytes>\"")
            }
            let id = String(fields[0])
            guard VaultKey.isValidID(id) else {
                throw .invalidKeys(
                    "\(location(offset + 1)): the key id must be 1–\(VaultKey.maximumIDLength) letters, digits, '-' or '_'"
                )
            }
            guard let bytes = Self.decodeKeyBase64(fields[1]), bytes.count == VaultKey.byteCount else {
                throw .invalidKeys("\(location(offset + 1)): not \(VaultKey.byteCount) bytes of base64")
            }
            guard !keys.contains(where: { $0.id == id }) else {
                throw .invalidKeys("\(location(offset + 1)): key id \(id) appears twice")
            }
            keys.append(VaultKey(uncheckedID: id, material: SymmetricKey(data: bytes)))
        }
        guard !keys.isEmpty else {
            throw .invalidKeys("\(sourceName) holds no keys")
        }
        self.init(validatedKeys: keys, isFromEnvironment: isFromEnvironment, audit: audit)
    }

    /// `@audit <base64 of 32 bytes> [sha256-until=<id>]`.
    private static func parseAuditKey(_ fields: [Substring], location: String) throws(VaultError) -> AuditKey {
        let expected = "expected \"@audit <base64 of \(AuditKey.byteCount) bytes> [sha256-until=<entry id>]\""
        guard fields.count == 2 || fields.count == 3 else { throw .invalidKeys("\(location): \(expected)") }
        guard let bytes = decodeKeyBase64(fields[1]), bytes.count == AuditKey.byteCount else {
            throw .invalidKeys("\(location): the audit key is not \(AuditKey.byteCount) bytes of base64")
        }
        var until: Int64 = 0
        if fields.count == 3 {
            let option = fields[2]
            guard option.hasPrefix("sha256-until="), let value = Int64(option.dropFirst("sha256-until=".count)),
                value >= 0
            else {
                throw .invalidKeys("\(location): \(expected)")
            }
            until = value
        }
        return try AuditKey(material: SymmetricKey(data: bytes), sha256Until: until)
    }

    /// Standard base64, padded or not (operators paste from `openssl rand -base64 32` or elsewhere).
    private static func decodeKeyBase64(_ text: Substring) -> [UInt8]? {
        var padded = String(text)
        if !padded.contains("=") {
            padded += String(repeating: "=", count: (4 - padded.utf8.count % 4) % 4)
        }
        return Data(base64Encoded: padded).map(Array.init)
    }

    /// The text form, with a header that tells whoever opens the file what it is.
    public func serialized() -> String {
        var text = """
            # Kilpi PII vault master keys: "<key id> <base64 of 32 bytes>", oldest first; the last line is current.
            # Keep this file private (mode 0600) and backed up: without it the personal data in the database
            # cannot be read by anyone, including you.

            """
        for key in keys {
            text += "\(key.id) \(key.materialBase64)\n"
        }
        if let audit {
            text += "# The audit chain's key (not a vault key; rotation keeps it).\n\(audit.line)\n"
        }
        return text
    }

    /// The id `adding()` gives a new key: "k" and one more than the largest number any id ends in.
    public var nextKeyID: String {
        var number = (keys.map(\.numericSuffix).max() ?? 0) + 1
        while key(id: "k\(number)") != nil { number += 1 }
        return "k\(number)"
    }

    /// This ring with one more key, which becomes current: `newKey` or a fresh random key named `nextKeyID`.
    ///
    /// - Precondition: `newKey`'s id is not in the ring yet (ids are never reused: a ciphertext names its key).
    public func adding(newKey: VaultKey? = nil) -> KeyRing {
        let key = newKey ?? VaultKey(uncheckedID: nextKeyID, material: SymmetricKey(size: .bits256))
        precondition(self.key(id: key.id) == nil, "vault key id \(key.id) is already in the ring")
        return KeyRing(validatedKeys: keys + [key], isFromEnvironment: isFromEnvironment, audit: audit)
    }

    /// This ring with only its current key: what is left once a rotation has re-encrypted every field.
    /// Anything still sealed under a dropped key (including old database backups) can no longer be opened.
    public func retiringOldKeys() -> KeyRing {
        KeyRing(validatedKeys: [current], isFromEnvironment: isFromEnvironment, audit: audit)
    }

    /// This ring with `audit` as its audit key: how a key file from before the audit key is upgraded.
    public func addingAuditKey(_ audit: AuditKey) -> KeyRing {
        KeyRing(validatedKeys: keys, isFromEnvironment: isFromEnvironment, audit: audit)
    }
}

extension KeyRing: CustomStringConvertible {
    /// Ids only, current last: `KeyRing(k1, k2)`.
    public var description: String { "KeyRing(\(keys.map(\.id).joined(separator: ", ")))" }
}

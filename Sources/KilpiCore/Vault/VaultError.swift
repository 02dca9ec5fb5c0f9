/// Why the PII vault could not load keys, encrypt or decrypt.
///
/// Messages name files, line numbers, key ids and column contexts, never plaintext or key material, so they can
/// go into logs and terminal output as they are. Two errors are equal when they are of the same kind; the message
/// is not compared, so `catch let error where error == .cannotDecrypt` and `#expect(throws: VaultError.unknownKeyID)`
/// work whatever the details.
public struct VaultError: Error, Equatable, Sendable, CustomStringConvertible {
    private enum Code: Equatable, Sendable {
        case invalidKeys
        case insecureKeyFile
        case keyFileUnavailable
        case keysFromEnvironment
        case unknownKeyID
        case cannotDecrypt
        case cannotEncrypt
        case keyMismatch
        case retiredKey
        case keyInUse
    }

    private let code: Code
    private let message: String

    private init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The key file or `KILPI_MASTER_KEY` does not parse (bad line, wrong key length, duplicate or no keys).
    public static let invalidKeys = VaultError(.invalidKeys, "invalid vault keys")
    /// The key file can be read or written by group or others.
    public static let insecureKeyFile = VaultError(.insecureKeyFile, "key file is readable by others")
    /// The key file could not be read, created or replaced.
    public static let keyFileUnavailable = VaultError(.keyFileUnavailable, "key file unavailable")
    /// The keys came from `KILPI_MASTER_KEY`, so there is no file Kilpi may rewrite.
    public static let keysFromEnvironment = VaultError(.keysFromEnvironment, "keys come from KILPI_MASTER_KEY")
    /// A ciphertext names a key id that is not in the key ring.
    public static let unknownKeyID = VaultError(.unknownKeyID, "unknown vault key id")
    /// A ciphertext is malformed, was altered, or belongs to another context.
    public static let cannotDecrypt = VaultError(.cannotDecrypt, "cannot decrypt")
    /// Encryption itself failed (not expected in practice).
    public static let cannotEncrypt = VaultError(.cannotEncrypt, "cannot encrypt")
    /// A key in the key file has an id the database knows, but its check value differs: another key of that name.
    public static let keyMismatch = VaultError(.keyMismatch, "vault key does not match the database")
    /// The key file's newest key was retired in the database: the key file is older than the database.
    public static let retiredKey = VaultError(.retiredKey, "vault key was retired")
    /// A key cannot be retired while rows are still sealed under it.
    public static let keyInUse = VaultError(.keyInUse, "vault key still in use")

    static func invalidKeys(_ message: String) -> VaultError { VaultError(.invalidKeys, message) }
    static func insecureKeyFile(_ message: String) -> VaultError { VaultError(.insecureKeyFile, message) }
    static func keyFileUnavailable(_ message: String) -> VaultError { VaultError(.keyFileUnavailable, message) }
    static func keysFromEnvironment(_ message: String) -> VaultError { VaultError(.keysFromEnvironment, message) }
    static func unknownKeyID(_ message: String) -> VaultError { VaultError(.unknownKeyID, message) }
    static func cannotDecrypt(_ message: String) -> VaultError { VaultError(.cannotDecrypt, message) }
    static func cannotEncrypt(_ message: String) -> VaultError { VaultError(.cannotEncrypt, message) }
    // The store finds these (they need the database's key list), so they can be made outside Core.
    public static func keyMismatch(_ message: String) -> VaultError { VaultError(.keyMismatch, message) }
    public static func retiredKey(_ message: String) -> VaultError { VaultError(.retiredKey, message) }
    public static func keyInUse(_ message: String) -> VaultError { VaultError(.keyInUse, message) }

    public var description: String { message }

    public static func == (lhs: VaultError, rhs: VaultError) -> Bool { lhs.code == rhs.code }
}

/// Why a password could not be hashed.
public struct PasswordHashingError: Error, Equatable, Sendable, CustomStringConvertible {
    private enum Code: Equatable, Sendable {
        case invalidParameters
        case derivationFailed
    }

    private let code: Code

    /// The scrypt parameters are outside the supported range.
    public static let invalidParameters = PasswordHashingError(code: .invalidParameters)
    /// The key derivation itself failed (for example, memory could not be allocated).
    public static let derivationFailed = PasswordHashingError(code: .derivationFailed)

    public var description: String {
        switch code {
        case .invalidParameters: "scrypt parameters out of range"
        case .derivationFailed: "scrypt key derivation failed"
        }
    }
}

/// A DKIM configuration that cannot sign. It names the file or setting, never any of the key's content.
public struct DKIMError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The key file's path as configured, or the setting's name ("--dkim-domain").
    public let subject: String
    public let reason: String

    public init(subject: String, reason: String) {
        self.subject = subject
        self.reason = reason
    }

    public var description: String { "\(subject): \(reason)" }
}

extension DKIMError {
    static func noSuchFile(_ path: String) -> DKIMError {
        DKIMError(subject: path, reason: "no such DKIM key file")
    }

    static func unreadable(_ path: String) -> DKIMError {
        DKIMError(subject: path, reason: "the DKIM key file cannot be read (check its permissions)")
    }

    static func notAKey(_ path: String) -> DKIMError {
        DKIMError(subject: path, reason: "is not an RSA private key in PEM form (PKCS#1 or PKCS#8)")
    }

    static func tooShort(_ path: String, bits: Int?) -> DKIMError {
        let size = bits.map { "\($0) bits" } ?? "under 1024 bits"
        return DKIMError(
            subject: path,
            reason: "the RSA key is \(size); DKIM needs at least 1024 (RFC 8301), 2048 is recommended"
        )
    }

    static func invalidName(_ setting: String) -> DKIMError {
        DKIMError(subject: setting, reason: "is not a domain name (ASCII labels of letters, digits and '-')")
    }

    static func unsignable(_ reason: String) -> DKIMError {
        DKIMError(subject: "message", reason: reason)
    }
}

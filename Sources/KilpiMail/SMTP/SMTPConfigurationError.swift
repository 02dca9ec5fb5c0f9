import KilpiCore

/// An SMTP URL (or its CA file) that cannot be used. `field` names the part of the URL at fault ("scheme", "user",
/// "password", "host", "port", "path", "url") or "caFile"; the message never repeats a credential.
public struct SMTPConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public let field: String
    public let message: LocalizedMessage

    public init(field: String, message: LocalizedMessage) {
        self.field = field
        self.message = message
    }

    public var description: String { "SMTP URL \(field): \(message.en)" }
}

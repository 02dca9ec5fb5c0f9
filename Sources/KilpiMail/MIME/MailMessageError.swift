/// A message that cannot be built as asked. The reason names the header but never repeats its value: values are
/// customers' names and addresses, and this text ends up in logs and on the campaign page.
public struct MailMessageError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The header (or body part) at fault, as it is spelled in the message: "To", "Subject", "text/html".
    public let field: String
    /// What is wrong, in English (operators read it next to the SMTP replies, which are English too).
    public let reason: String

    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { "\(field): \(reason)" }
}

extension MailMessageError {
    /// CR or LF would start a new header (header injection); other controls are invisible or rejected by servers.
    static func controlCharacter(_ field: String) -> MailMessageError {
        MailMessageError(field: field, reason: "contains a control character (such as a line break)")
    }

    static func invalidAddress(_ field: String) -> MailMessageError {
        MailMessageError(field: field, reason: "is not an address we can send to (ASCII user@domain.example)")
    }

    static func invalidOutboxID(_ field: String) -> MailMessageError {
        MailMessageError(field: field, reason: "is not an outbox id (1 to 40 ASCII letters, digits or '-')")
    }

    static func invalidDomain(_ field: String) -> MailMessageError {
        MailMessageError(field: field, reason: "is not a domain name (ASCII labels of letters, digits and '-')")
    }
}

/// A built message and its SMTP envelope, ready for DKIM signing and for DATA (which dot-stuffs it).
public struct RenderedMail: Sendable {
    /// MAIL FROM: the VERP bounce address of this notice.
    public let envelopeSender: String
    /// RCPT TO.
    public let recipient: String
    /// The Message-ID header's value, angle brackets included (kept with the outbox row to match replies).
    public let messageID: String
    /// The whole message, CRLF line ends, header and body.
    public var bytes: [UInt8]

    public init(envelopeSender: String, recipient: String, messageID: String, bytes: [UInt8]) {
        self.envelopeSender = envelopeSender
        self.recipient = recipient
        self.messageID = messageID
        self.bytes = bytes
    }
}

import Foundation

/// One notice as an Internet message (RFC 5322 + MIME): a `multipart/alternative` of a plain-text and an HTML
/// part, both UTF-8 and quoted-printable, every header value checked and encoded so that no customer's name or
/// template text can break the message's structure.
public struct MailMessage: Sendable {
    public var from: MailAddress
    public var to: MailAddress
    public var subject: String
    public var text: String
    public var html: String
    /// The outbox row this message delivers (the `X-Kilpi-Notice` header and the VERP bounce address).
    public var outboxID: OutboxID
    public var date: Date
    /// Bounces go to `bounces+<outbox id>@bounceDomain`; by default the sender's domain.
    public var bounceDomain: String?

    public init(
        from: MailAddress,
        to: MailAddress,
        subject: String,
        text: String,
        html: String,
        outboxID: OutboxID,
        date: Date = Date(),
        bounceDomain: String? = nil
    ) {
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.outboxID = outboxID
        self.date = date
        self.bounceDomain = bounceDomain
    }

    /// The header names, as the DKIM signer lists them too.
    public enum Header {
        public static let from = "From"
        public static let to = "To"
        public static let subject = "Subject"
        public static let date = "Date"
        public static let messageID = "Message-ID"
        public static let notice = "X-Kilpi-Notice"
        public static let mimeVersion = "MIME-Version"
        public static let contentType = "Content-Type"
    }

    /// The message as bytes with CRLF line ends, plus its SMTP envelope.
    ///
    /// No Return-Path header is written: the final delivery server adds it from the envelope sender and replaces
    /// any a sender wrote (RFC 5321 §4.4), so the VERP address travels as `envelopeSender` (MAIL FROM).
    /// Dot-stuffing is the SMTP layer's job (it belongs to DATA, not to the message).
    public func rendered() throws(MailMessageError) -> RenderedMail {
        try rendered(encodedText: QuotedPrintable.encode(text), encodedHTML: QuotedPrintable.encode(html))
    }

    /// `rendered()` with the parts already quoted-printable encoded (exactly as `QuotedPrintable.encode` encodes
    /// `text` and `html`): the composer encodes the lines a campaign's notices share once.
    func rendered(encodedText: [UInt8], encodedHTML: [UInt8]) throws(MailMessageError) -> RenderedMail {
        let from = try from.validated(field: Header.from)
        let to = try to.validated(field: Header.to)
        let envelopeSender = try outboxID.bounceAddress(domain: bounceDomain ?? String(from.domain))
        let messageID = "<\(Self.randomToken(count: 26))@\(from.domain)>"
        // "=_" cannot occur in quoted-printable output ("=" is always followed by hex digits or a line end), so
        // this boundary cannot appear in either part whatever the content; the random tail keeps nested or
        // forwarded copies apart.
        let boundary = "=_kilpi_\(Self.randomToken(count: 24))"

        var headers = HeaderWriter()
        try headers.mailbox(Header.from, from)
        try headers.mailbox(Header.to, to)
        try headers.unstructured(Header.subject, subject)
        try headers.structured(Header.date, MailDate.format(date))
        try headers.structured(Header.messageID, messageID)
        try headers.structured(Header.notice, outboxID.value)
        try headers.structured(Header.mimeVersion, "1.0")
        headers.raw(Array("\(Header.contentType): multipart/alternative;\r\n boundary=\"\(boundary)\"\r\n".utf8))

        var body: [UInt8] = []
        body.reserveCapacity(encodedText.count + encodedHTML.count + 512)
        for (type, encoded) in [("text/plain", encodedText), ("text/html", encodedHTML)] {
            body += Array("--\(boundary)\r\n".utf8)
            body += Array("Content-Type: \(type); charset=utf-8\r\n".utf8)
            body += Array("Content-Transfer-Encoding: quoted-printable\r\n\r\n".utf8)
            body += encoded
            body += [0x0D, 0x0A]
        }
        body += Array("--\(boundary)--\r\n".utf8)

        return RenderedMail(
            envelopeSender: envelopeSender,
            recipient: to.address,
            messageID: messageID,
            bytes: headers.bytes + [0x0D, 0x0A] + body
        )
    }

    /// Random lowercase base32 (RFC 4648 alphabet): 26 characters carry 130 bits.
    static func randomToken(count: Int) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567".utf8)
        var generator = SystemRandomNumberGenerator()
        return String(decoding: (0..<count).map { _ in alphabet[Int(generator.next() % 32)] }, as: UTF8.self)
    }
}

/// One reply of an SMTP server: its three-digit code and the text of each line after the code (the separator
/// removed). Control characters in the text are replaced by spaces when the reply is read, so the text is safe
/// to store and show.
public struct SMTPReply: Sendable, Equatable, CustomStringConvertible {
    public let code: Int
    public let lines: [String]

    public init(code: Int, lines: [String]) {
        self.code = code
        self.lines = lines
    }

    /// The reply on one line, as operators read it: "451 4.7.1 try later".
    public var text: String {
        let joined = lines.filter { !$0.isEmpty }.joined(separator: " ")
        return joined.isEmpty ? String(code) : "\(code) \(joined)"
    }

    /// `text` with every word that contains "@" replaced by "<address>": servers often repeat the recipient's
    /// address in a refusal ("550 5.1.1 <anna@example.com>: unknown user"), and a stored reply must not carry
    /// personal data.
    public var redactedText: String {
        text.split(separator: " ", omittingEmptySubsequences: false)
            .map { $0.contains("@") ? "<address>" : $0 }
            .joined(separator: " ")
    }

    public var description: String { text }

    var isPositive: Bool { (200..<300).contains(code) }
}

/// What happened to one message sent over an `SMTPConnection`.
public enum SMTPOutcome: Sendable, Equatable {
    /// The server took responsibility for the message (2xx after the end of DATA).
    case accepted(SMTPReply)
    /// A temporary refusal (4xx at MAIL, RCPT, DATA or the end of data, or a 421 closing the connection before
    /// this message was sent): try again later.
    case deferred(SMTPReply)
    /// A permanent refusal (5xx): do not retry this message as it is. A reply refused by Kilpi itself before
    /// sending (an envelope address it will not put on the wire) has code 501 and says so.
    case rejected(SMTPReply)
    /// The connection was lost, timed out or broke the protocol before the final reply: the server may or may not
    /// have the message. Retry later (this is the "at most one duplicate per connection" case).
    case interrupted(String)
}

extension SMTPOutcome {
    /// The outcome a reply means at the end of a transaction step, nil for a code that makes no sense there.
    init?(finalReply reply: SMTPReply) {
        switch reply.code {
        case 200..<300: self = .accepted(reply)
        case 400..<500: self = .deferred(reply)
        case 500..<600: self = .rejected(reply)
        default: return nil
        }
    }
}

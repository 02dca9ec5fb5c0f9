import KilpiCore

/// Why `SMTPClient.connect()` failed (sending never throws: each message gets an `SMTPOutcome`). The message and
/// the reply never contain a credential: a reply to AUTH that echoes one has it masked.
public struct SMTPError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The TCP connection could not be opened (refused, unreachable, no such host, connect timeout).
        case connectionFailed
        /// No reply within the configured timeout.
        case timedOut
        /// The server closed the connection.
        case connectionClosed
        /// A reply that breaks RFC 5321 (malformed, too long, unasked for, data after STARTTLS's reply).
        case protocolViolation
        /// The greeting was not 220, or a command of the opening dialogue was refused.
        case refused
        /// The server offers no STARTTLS where Kilpi requires TLS.
        case tlsUnavailable
        /// The TLS handshake failed (most often: a certificate that is not trusted or does not name the host).
        case tlsFailed
        /// The server offers neither AUTH PLAIN nor AUTH LOGIN.
        case authenticationUnavailable
        /// The server refused the user name or password.
        case authenticationFailed
        /// Kilpi could not record that a message was accepted, so it sends no more on this connection (sending on
        /// would risk a second copy of each after a restart).
        case acceptanceNotRecorded
    }

    public let kind: Kind
    public let message: LocalizedMessage
    /// The server's reply, when the failure was one.
    public let reply: SMTPReply?
    /// A technical detail in English (a system error, a TLS alert), never a credential.
    public let detail: String?

    init(_ kind: Kind, _ message: LocalizedMessage, reply: SMTPReply? = nil, detail: String? = nil) {
        self.kind = kind
        self.message = message
        self.reply = reply
        self.detail = detail
    }

    public var description: String {
        var text = message.en
        if let reply { text += " (\(reply.text))" }
        if let detail { text += ": \(detail)" }
        return text
    }
}

extension SMTPError {
    static func connectionFailed(_ endpoint: String, detail: String) -> SMTPError {
        SMTPError(
            .connectionFailed,
            .l(
                "could not connect to the mail server \(endpoint)",
                "yhteys postipalvelimeen \(endpoint) ei onnistunut"
            ),
            detail: detail
        )
    }

    static let acceptanceNotRecorded = SMTPError(
        .acceptanceNotRecorded,
        .l(
            "stopped sending: the previous message's acceptance could not be recorded",
            "lähetys keskeytettiin: edellisen viestin hyväksymistä ei voitu tallentaa"
        )
    )

    static let timedOut = SMTPError(
        .timedOut,
        .l("the mail server did not answer in time", "postipalvelin ei vastannut ajoissa")
    )

    static let connectionClosed = SMTPError(
        .connectionClosed,
        .l("the mail server closed the connection", "postipalvelin sulki yhteyden")
    )

    static func protocolViolation(_ detail: String) -> SMTPError {
        SMTPError(
            .protocolViolation,
            .l("the mail server broke the SMTP protocol", "postipalvelin rikkoi SMTP-protokollaa"),
            detail: detail
        )
    }

    static func refused(_ command: String, reply: SMTPReply) -> SMTPError {
        SMTPError(
            .refused,
            .l("the mail server refused \(command)", "postipalvelin torjui komennon \(command)"),
            reply: reply
        )
    }

    static func greetingRefused(_ reply: SMTPReply) -> SMTPError {
        SMTPError(
            .refused,
            .l("the mail server refused the connection", "postipalvelin torjui yhteyden"),
            reply: reply
        )
    }

    static let tlsUnavailable = SMTPError(
        .tlsUnavailable,
        .l(
            "the mail server does not offer STARTTLS; Kilpi sends plain text only to a loopback relay without a password",
            "postipalvelin ei tarjoa STARTTLS:ää; Kilpi lähettää salaamatta vain paikalliselle välittäjälle ilman salasanaa"
        )
    )

    static func tlsFailed(_ detail: String) -> SMTPError {
        SMTPError(
            .tlsFailed,
            .l(
                "the TLS handshake failed: the server's certificate was not accepted (check the CA file and that the certificate names the host)",
                "TLS-kättely epäonnistui: palvelimen varmennetta ei hyväksytty (tarkista CA-tiedosto ja että varmenne nimeää palvelimen)"
            ),
            detail: detail
        )
    }

    static let authenticationUnavailable = SMTPError(
        .authenticationUnavailable,
        .l(
            "the mail server offers neither AUTH PLAIN nor AUTH LOGIN",
            "postipalvelin ei tarjoa AUTH PLAIN- eikä AUTH LOGIN -tunnistautumista"
        )
    )

    static func authenticationFailed(_ reply: SMTPReply) -> SMTPError {
        SMTPError(
            .authenticationFailed,
            .l(
                "the mail server refused the user name or password",
                "postipalvelin ei hyväksynyt käyttäjätunnusta tai salasanaa"
            ),
            reply: reply
        )
    }
}

import KilpiCore

/// What one message of a bounce file says: per recipient of a delivery status notification one record, and one
/// record for a message that is not a bounce or cannot be read, so every message of the file is accounted for.
///
/// Only a record with ``shouldMarkBounced`` (a hard bounce that names one of our notices) changes an outbox row;
/// everything else is reported to the operator.
public struct BounceRecord: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// The sending server gave up (`Action: failed`, or a 5.x.x status): the notice did not arrive.
        case hard
        /// Delivery is delayed and still being retried (`Action: delayed`, a 4.x.x status): report only.
        case soft
        /// A report of success (`delivered`, `relayed`, `expanded`): nothing to do.
        case delivered
        /// Neither a delivery status notification nor a recognisable bounce (an auto-reply, a stray message).
        case notABounce = "not-a-bounce"
        /// Too large, truncated or broken: the record's ``explanation`` says how.
        case unreadable
    }

    public let kind: Kind
    /// The notice the bounce is about (its `X-Kilpi-Notice` header in the returned message or headers, or the
    /// `bounces+<id>@domain` address the bounce was sent to); nil when it names none of ours, or two different
    /// ones.
    public let outboxID: OutboxID?
    /// The RFC 3463 status (`5.1.1`); empty when the message gave none.
    public let status: String
    /// The remote server's explanation, one line, with every email address replaced by `[address]` (fit for the
    /// outbox row's last reply, logs and the console).
    public let diagnostic: String
    /// The DSN's `Action`, lowercased, when it had one.
    public let action: String?
    /// The DSN's `Final-Recipient` (or the address a plain-text bounce names). Personal data: for matching
    /// against the outbox row only, never log, print or store it.
    public let finalRecipient: String?
    /// 1 for the first message of the file.
    public let messageIndex: Int
    /// The line of the file where the message starts (its `From ` line in an mbox), from 1.
    public let line: Int
    /// What the record means, for the operator.
    public let explanation: LocalizedMessage

    public init(
        kind: Kind,
        outboxID: OutboxID?,
        status: String,
        diagnostic: String,
        action: String?,
        finalRecipient: String?,
        messageIndex: Int,
        line: Int,
        explanation: LocalizedMessage
    ) {
        self.kind = kind
        self.outboxID = outboxID
        self.status = status
        self.diagnostic = diagnostic
        self.action = action
        self.finalRecipient = finalRecipient
        self.messageIndex = messageIndex
        self.line = line
        self.explanation = explanation
    }

    /// A permanent failure (hard bounce).
    public var hard: Bool { kind == .hard }

    /// A hard bounce that names one of our notices: the outbox row is to be marked bounced.
    public var shouldMarkBounced: Bool { kind == .hard && outboxID != nil }

    /// "message 3, line 120".
    public var location: LocalizedMessage {
        .l("message \(messageIndex), line \(line)", "viesti \(messageIndex), rivi \(line)")
    }

    /// "message 3, line 120: delivery failed permanently (5.1.1)", in English.
    public var description: String { description(in: .en) }

    public func description(in language: Language) -> String {
        "\(location.text(language)): \(explanation.text(language))"
    }
}

/// The explanations a record carries.
extension BounceRecord {
    static func failed(_ status: String) -> LocalizedMessage {
        guard !status.isEmpty else {
            return .l(
                "delivery failed permanently (no status given)",
                "toimitus epäonnistui pysyvästi (tilakoodia ei ole)"
            )
        }
        return .l("delivery failed permanently (\(status))", "toimitus epäonnistui pysyvästi (\(status))")
    }

    static func delayed(_ status: String) -> LocalizedMessage {
        guard !status.isEmpty else {
            return .l(
                "delivery delayed and still being retried: not marked bounced",
                "toimitus viivästyi, ja sitä yritetään yhä: ei merkitä palautuneeksi"
            )
        }
        return .l(
            "delivery delayed (\(status)) and still being retried: not marked bounced",
            "toimitus viivästyi (\(status)), ja sitä yritetään yhä: ei merkitä palautuneeksi"
        )
    }

    static func delivered(_ action: String) -> LocalizedMessage {
        .l(
            "a report of successful delivery (\(action)), not a bounce",
            "ilmoitus onnistuneesta toimituksesta (\(action)), ei palautus"
        )
    }

    static func namesNoNotice(_ domain: String) -> LocalizedMessage {
        .l(
            "names none of our notices (no X-Kilpi-Notice header, no bounces+<id> address at \(domain))",
            "ei koske mitään ilmoitustamme (ei X-Kilpi-Notice-otsaketta eikä bounces+<id>-osoitetta verkkotunnuksessa \(domain))"
        )
    }

    static let namesTwoNotices: LocalizedMessage = .l(
        "names two different notices (its X-Kilpi-Notice header and the address it was sent to disagree)",
        "koskee kahta eri ilmoitusta (sen X-Kilpi-Notice-otsake ja osoite, johon se lähetettiin, eivät täsmää)"
    )

    static let notABounce: LocalizedMessage = .l(
        "not a delivery status notification or a bounce",
        "ei toimitusraportti eikä palautusviesti"
    )

    static let empty: LocalizedMessage = .l("an empty message", "tyhjä viesti")

    static func tooLarge(_ mebibytes: String) -> LocalizedMessage {
        .l("larger than \(mebibytes) MiB, not read", "suurempi kuin \(mebibytes) MiB, ei luettu")
    }

    static let headerNotEnded: LocalizedMessage = .l(
        "the header does not end (a truncated message?)",
        "otsake ei pääty (katkennut viesti?)"
    )

    static let noStatusPart: LocalizedMessage = .l(
        "a delivery report without its message/delivery-status part (a truncated message?)",
        "toimitusraportti ilman message/delivery-status-osaa (katkennut viesti?)"
    )

    static let noRecipient: LocalizedMessage = .l(
        "the message/delivery-status part names no recipient (Final-Recipient, Action, Status)",
        "message/delivery-status-osa ei nimeä yhtään vastaanottajaa (Final-Recipient, Action, Status)"
    )

    static let noOutcome: LocalizedMessage = .l(
        "a recipient's report has neither Action nor Status",
        "vastaanottajan raportissa ei ole Action- eikä Status-kenttää"
    )
}

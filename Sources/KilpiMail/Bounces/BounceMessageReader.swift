import Foundation
import KilpiCore

/// Decides what one message is: a delivery status notification (RFC 3464 `multipart/report;
/// report-type=delivery-status`), a plain-text bounce of the older kind (qmail, Exim and Postfix without DSN
/// support: a text explaining the failure and a copy of the message), or neither; and which notice it is about.
struct BounceMessageReader {
    /// The domain of our VERP bounce addresses (`bounces+<id>@domain`).
    let bounceDomain: String

    /// How much decoded text a plain-text bounce is searched through.
    static let maximumTextBytes = 1 << 20

    func records(_ bytes: ArraySlice<UInt8>, index: Int, line: Int) -> [BounceRecord] {
        let record = { (kind: BounceRecord.Kind, explanation: LocalizedMessage) in
            BounceRecord(
                kind: kind,
                outboxID: nil,
                status: "",
                diagnostic: "",
                action: nil,
                finalRecipient: nil,
                messageIndex: index,
                line: line,
                explanation: explanation
            )
        }
        guard bytes.contains(where: { $0 != 0x0A && $0 != 0x0D && $0 != 0x20 && $0 != 0x09 }) else {
            return [record(.unreadable, BounceRecord.empty)]
        }
        let message = MIMEEntity(bytes)
        if !message.headerEnded {
            return [record(message.fields.isEmpty ? .notABounce : .unreadable, BounceRecord.headerNotEnded)]
        }

        var walk = Walk()
        walk.visit(message, depth: 0)
        let addressedTo = verpNotices(message)

        if let statusPart = walk.statusPart {
            let report = DeliveryStatusReport(parsing: statusPart.decodedBody)
            let notices = addressedTo.union(
                walk.returnedNotices.isEmpty ? noticeLines(in: walk.text) : walk.returnedNotices
            )
            guard !report.recipients.isEmpty else { return [record(.unreadable, BounceRecord.noRecipient)] }
            return report.recipients.map { recipient in
                dsnRecord(recipient, notices: notices, index: index, line: line)
            }
        }
        // A report without its status part; one of another kind (read receipts, complaints) is not a bounce.
        if message.contentType.mediaType == "multipart/report",
            message.contentType.parameters["report-type"].map({ $0.lowercased().hasSuffix("delivery-status") }) ?? true
        {
            return [record(.unreadable, BounceRecord.noStatusPart)]
        }
        guard let bounce = plainBounce(message, text: walk.text) else {
            return [record(.notABounce, BounceRecord.notABounce)]
        }
        let notices = addressedTo.union(noticeLines(in: walk.text))
        let (outboxID, explanation) = resolve(notices, otherwise: bounce.explanation)
        return [
            BounceRecord(
                kind: bounce.kind,
                outboxID: outboxID,
                status: bounce.status,
                diagnostic: bounce.diagnostic,
                action: nil,
                finalRecipient: bounce.recipient,
                messageIndex: index,
                line: line,
                explanation: explanation
            )
        ]
    }

    // MARK: - Delivery status notifications

    func dsnRecord(
        _ recipient: DeliveryStatusReport.Recipient,
        notices: Set<OutboxID>,
        index: Int,
        line: Int
    ) -> BounceRecord {
        let diagnosticCode = recipient.diagnosticCode ?? ""
        // A status from the Status field, else from the server's reply (enhanced code, else the reply code's class).
        let status =
            recipient.status ?? BounceText.enhancedStatus(in: diagnosticCode)
            ?? BounceText.replyCode(in: diagnosticCode).map { "\($0.prefix(1)).0.0" } ?? ""
        let kind: BounceRecord.Kind
        let explanation: LocalizedMessage
        switch recipient.action {
        // "failed" is final whatever the status class: a server that gave up after days of 4xx replies did not
        // deliver the notice either, and the customer must reach the letter-shop list.
        case "failed":
            kind = .hard
            explanation = BounceRecord.failed(status)
        case "delayed":
            kind = .soft
            explanation = BounceRecord.delayed(status)
        case let action? where ["delivered", "relayed", "expanded"].contains(action):
            kind = .delivered
            explanation = BounceRecord.delivered(action)
        default:
            // No (or an unknown) Action: the status class decides.
            switch status.first {
            case "5":
                kind = .hard
                explanation = BounceRecord.failed(status)
            case "4":
                kind = .soft
                explanation = BounceRecord.delayed(status)
            case "2":
                kind = .delivered
                explanation = BounceRecord.delivered(recipient.action ?? status)
            default:
                kind = .unreadable
                explanation = BounceRecord.noOutcome
            }
        }
        let (outboxID, resolved) =
            kind == .hard || kind == .soft ? resolve(notices, otherwise: explanation) : (nil, explanation)
        let diagnostic = BounceText.diagnostic(diagnosticCode.isEmpty ? status : diagnosticCode)
        return BounceRecord(
            kind: kind,
            outboxID: outboxID,
            status: status,
            diagnostic: diagnostic,
            action: recipient.action,
            finalRecipient: recipient.finalRecipient,
            messageIndex: index,
            line: line,
            explanation: resolved
        )
    }

    /// The notice when exactly one is named; nil and why not otherwise.
    func resolve(_ notices: Set<OutboxID>, otherwise explanation: LocalizedMessage) -> (OutboxID?, LocalizedMessage) {
        switch notices.count {
        case 1: (notices.first, explanation)
        case 0: (nil, BounceRecord.namesNoNotice(bounceDomain))
        default: (nil, BounceRecord.namesTwoNotices)
        }
    }

    /// Our bounce addresses among the headers that carry the address a message was delivered to.
    func verpNotices(_ message: MIMEEntity) -> Set<OutboxID> {
        var notices: Set<OutboxID> = []
        for name in ["delivered-to", "x-original-to", "envelope-to", "x-envelope-to", "to", "x-delivered-to"] {
            for value in message.values(name) {
                for candidate in Self.addresses(in: value) {
                    if let notice = OutboxID(bounceAddress: candidate, domain: bounceDomain) { notices.insert(notice) }
                }
            }
        }
        return notices
    }

    /// Address-like words of a header value: `"Name" <a@b>, c@d` → a@b, c@d.
    static func addresses(in value: String) -> [String] {
        value.split(whereSeparator: { " ,;<>\t\"()".contains($0) }).map(String.init).filter { $0.contains("@") }
    }

    /// `X-Kilpi-Notice:` header lines anywhere in text (a returned copy quoted in a plain-text bounce).
    func noticeLines(in text: String) -> Set<OutboxID> {
        var notices: Set<OutboxID> = []
        let name = "x-kilpi-notice:"
        for line in text.split(separator: "\n") {
            let trimmed = line.drop { $0 == " " || $0 == "\t" || $0 == ">" }
            guard trimmed.count > name.count, trimmed.prefix(name.count).lowercased() == name else { continue }
            let value = BounceText.trim(trimmed.dropFirst(name.count))
            if let notice = try? OutboxID(value) { notices.insert(notice) }
        }
        return notices
    }

    // MARK: - Plain-text bounces

    struct PlainBounce {
        let kind: BounceRecord.Kind
        let status: String
        let diagnostic: String
        let recipient: String?
        let explanation: LocalizedMessage
    }

    /// A message that reads like a bounce: from a mailer daemon or postmaster, with a bounce's subject, or with a
    /// bounce's wording (qmail's "Hi. This is the qmail-send program", Postfix's "could not be delivered").
    func plainBounce(_ message: MIMEEntity, text: String) -> PlainBounce? {
        let from = (message.value("from") ?? "").lowercased()
        let subject = (message.value("subject") ?? "").lowercased()
        let explanation = Self.explanationPart(of: text)
        let lowered = explanation.lowercased()
        let fromDaemon = ["mailer-daemon", "postmaster", "mail delivery"].contains { from.contains($0) }
        let bounceSubject = [
            "undeliver", "delivery status notification", "delivery failure", "failure notice", "delivery failed",
            "mail delivery failed", "returned mail", "could not be delivered", "delayed mail", "delivery delayed",
            "warning: could not send", "warning: message", "non-delivery", "nondelivery", "delivery has failed",
        ].contains { subject.contains($0) }
        let bounceWording = [
            "qmail-send program", "could not be delivered", "permanent error", "delivery to the following recipient",
            "undeliverable", "was not delivered", "wasn't able to deliver", "delivery has failed", "has been delayed",
            "message could not be sent", "unable to deliver", "not yet been delivered",
        ].contains { lowered.contains($0) }
        // A subject alone is enough; a daemon's address needs a bounce's wording too (daemons send other mail).
        guard bounceSubject || fromDaemon && bounceWording else { return nil }

        let softWording = [
            "delayed", "will retry", "still trying", "not yet been delivered", "will keep trying",
            "still being retried",
            "warning:",
        ].contains { lowered.contains($0) || subject.contains($0) }
        var status = BounceText.enhancedStatus(in: explanation) ?? ""
        if status.isEmpty, let code = BounceText.replyCode(in: explanation) { status = "\(code.prefix(1)).0.0" }
        let soft = softWording && status.first != "5"
        if status.isEmpty { status = soft ? "4.0.0" : "5.0.0" }
        let kind: BounceRecord.Kind = soft ? .soft : .hard
        return PlainBounce(
            kind: kind,
            status: status,
            diagnostic: BounceText.diagnostic(Self.diagnosticLine(in: explanation) ?? subject),
            recipient: Self.recipient(in: explanation),
            explanation: soft ? BounceRecord.delayed(status) : BounceRecord.failed(status)
        )
    }

    /// The bounce's own text, before the copy of the returned message begins.
    static func explanationPart(of text: String) -> String {
        var lines: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let lowered = line.lowercased()
            if lowered.contains("copy of the message") || lowered.contains("original message")
                || lowered.contains("returned message") && lowered.hasPrefix("-")
                || lowered.hasPrefix("received:") || lowered.hasPrefix("return-path:")
            {
                break
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    /// The line naming the failure: the first with a status or reply code, else qmail's reason line (the first
    /// line after the `<address>:` line).
    static func diagnosticLine(in explanation: String) -> String? {
        let lines = explanation.split(separator: "\n")
        if let line = lines.first(where: {
            BounceText.enhancedStatus(in: $0) != nil || BounceText.replyCode(in: $0) != nil
        }) {
            return String(line)
        }
        if let index = lines.firstIndex(where: { $0.hasPrefix("<") && $0.hasSuffix(">:") }), index + 1 < lines.count {
            return String(lines[index + 1])
        }
        return nil
    }

    /// The address the bounce reports, when it names one on a line of its own (qmail's `<user@example.com>:`).
    static func recipient(in explanation: String) -> String? {
        for line in explanation.split(separator: "\n") {
            let trimmed = BounceText.trim(line)
            var candidate = trimmed.hasSuffix(":") ? String(trimmed.dropLast()) : trimmed
            if candidate.hasPrefix("<"), candidate.hasSuffix(">") {
                candidate = String(candidate.dropFirst().dropLast())
            }
            if !candidate.contains(" "), BounceText.isAddress(candidate) { return candidate }
        }
        return nil
    }
}

/// A walk over the MIME tree that collects what a bounce reader needs.
private struct Walk {
    var statusPart: MIMEEntity?
    var returnedNotices: Set<OutboxID> = []
    var text = ""

    mutating func visit(_ entity: MIMEEntity, depth: Int) {
        let type = entity.contentType
        switch (type.type, type.subtype) {
        case ("multipart", _):
            guard depth < MIMEEntity.maximumDepth else { return }
            for part in entity.parts().parts { visit(part, depth: depth + 1) }
        case ("message", "delivery-status"), ("message", "global-delivery-status"):
            if statusPart == nil { statusPart = entity }
        case ("message", "rfc822"), ("message", "global"):
            let returned = MIMEEntity(entity.decodedBody[...])
            noteNotices(returned.fields)
            // The returned message's text goes to the plain-text search too (a forwarded bounce, an old MTA).
            appendText(returned.decodedBody)
        case ("text", "rfc822-headers"), ("message", "global-headers"):
            noteNotices(MIMEEntity.header(entity.decodedBody[...]).0)
        case ("text", _):
            appendText(entity.decodedBody)
        default:
            break
        }
    }

    mutating func noteNotices(_ fields: [MIMEEntity.Field]) {
        for field in fields where field.name == "x-kilpi-notice" {
            if let notice = try? OutboxID(BounceText.collapse(field.value)) { returnedNotices.insert(notice) }
        }
    }

    mutating func appendText(_ bytes: [UInt8]) {
        let room = BounceMessageReader.maximumTextBytes - text.utf8.count
        guard room > 0 else { return }
        var decoded = String(decoding: bytes.prefix(room), as: UTF8.self)
        decoded = decoded.replacingOccurrences(of: "\r\n", with: "\n")
        text += decoded + "\n"
    }
}

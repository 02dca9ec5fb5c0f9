import Foundation
import Testing

@testable import KilpiMail

/// The SMTP client against a real server (aiosmtpd, `Support/smtp_server.py`) on loopback: many messages on one
/// connection, pipelined, byte-exact, and each fault the delivery worker must tell apart.
@Suite struct SMTPDeliveryTests {
    /// A message whose body has the lines SMTP's dot-stuffing exists for: a lone ".", a leading "." and "..".
    static func mail(_ number: Int, to recipient: String? = nil) -> RenderedMail {
        let id = "<\(number).test@kilpi.example>"
        let text =
            "From: Kilpi <notices@kilpi.example>\r\nTo: <customer\(number)@example.com>\r\nMessage-ID: \(id)\r\n"
            + "Subject: Notice \(number)\r\n\r\nHello \(number),\r\n.\r\n.leading dot\r\n..two dots\r\n"
            + String(repeating: "x", count: number % 200) + "\r\n. \r\nend\r\n"
        return RenderedMail(
            envelopeSender: "bounces+\(number)@kilpi.example",
            recipient: recipient ?? "customer\(number)@example.com",
            messageID: id,
            bytes: Array(text.utf8)
        )
    }

    static func configuration(_ server: SMTPTestServer, reply: Duration = .seconds(20)) throws -> SMTPConfiguration {
        var configuration = try SMTPConfiguration(url: server.url)
        configuration.timeouts = SMTPTimeouts(
            connect: .seconds(20),
            greeting: .seconds(20),
            reply: reply,
            dataEnd: reply
        )
        return configuration
    }

    @Test(arguments: [true, false])
    func manyMessagesOnOneConnectionArriveByteIdentical(pipelining: Bool) async throws {
        let server = try SMTPTestServer.start(.init(pipelining: pipelining))
        defer { server.stop() }
        let connection = try await SMTPClient(configuration: Self.configuration(server)).connect()
        #expect(connection.pipelining == pipelining)
        let first = (1...150).map { Self.mail($0) }
        let second = (151...200).map { Self.mail($0) }
        // Two overlapping calls: their batches go out one after the other, each outcome in its mail's place.
        async let firstOutcomes = connection.send(first)
        async let secondOutcomes = connection.send(second)
        let outcomes = await firstOutcomes + secondOutcomes
        #expect(outcomes.count == 200)
        for outcome in outcomes {
            guard case .accepted(let reply) = outcome else {
                Issue.record("not accepted: \(outcome)")
                continue
            }
            #expect(reply.code == 250)
        }
        #expect(connection.isOpen)
        await connection.close()
        #expect(!connection.isOpen)

        let received = try server.received()
        #expect(received.count == 200)
        let sent = first + second
        let byRecipient = Dictionary(uniqueKeysWithValues: received.map { ($0.rcptTos.first ?? "", $0) })
        for mail in sent {
            let message = try #require(byRecipient[mail.recipient])
            #expect(message.bytes == mail.bytes, "\(mail.recipient) arrived changed")
            #expect(message.mailFrom == mail.envelopeSender)
            #expect(message.rcptTos == [mail.recipient])
        }
        // One connection: one EHLO, one QUIT.
        #expect(server.commands().filter { $0 == "EHLO" }.count == 1)
        #expect(server.commands().last == "QUIT")
    }

    @Test func aMessageWithoutAFinalLineEndAndWithBareLineFeedsArrivesWithCRLF() async throws {
        let server = try SMTPTestServer.start()
        defer { server.stop() }
        let connection = try await SMTPClient(configuration: Self.configuration(server)).connect()
        let mail = RenderedMail(
            envelopeSender: "",
            recipient: "a@example.com",
            messageID: "<x@kilpi.example>",
            bytes: Array("Subject: x\n\n.one\rtwo\r\nthree".utf8)
        )
        let outcomes = await connection.send([mail])
        #expect(outcomes.count == 1)
        guard case .accepted = outcomes[0] else { throw Failure("not accepted: \(outcomes)") }
        await connection.close()
        let received = try server.received()
        #expect(received.count == 1)
        #expect(received.first?.bytes == Array("Subject: x\r\n\r\n.one\r\ntwo\r\nthree\r\n".utf8))
        // The null reverse-path.
        #expect(received.first?.mailFrom == "<>")
    }

    @Test(arguments: [true, false])
    func aRefusedRecipientDoesNotStopTheOthersInTheBatch(pipelining: Bool) async throws {
        let server = try SMTPTestServer.start(
            .init(
                rcptReplies: [
                    "gone@example.com": "550 5.1.1 <gone@example.com>: no such user",
                    "@later.example": "451 4.7.1 try later",
                ],
                pipelining: pipelining
            )
        )
        defer { server.stop() }
        let connection = try await SMTPClient(configuration: Self.configuration(server)).connect()
        let mails = [
            Self.mail(1), Self.mail(2, to: "gone@example.com"), Self.mail(3), Self.mail(4, to: "b@later.example"),
            Self.mail(5),
        ]
        let outcomes = await connection.send(mails)
        #expect(outcomes.count == 5)
        guard case .accepted = outcomes[0], case .rejected(let refusal) = outcomes[1], case .accepted = outcomes[2],
            case .deferred(let later) = outcomes[3], case .accepted = outcomes[4]
        else { throw Failure("unexpected outcomes: \(outcomes)") }
        #expect(refusal.code == 550)
        #expect(refusal.text == "550 5.1.1 <gone@example.com>: no such user")
        #expect(refusal.redactedText == "550 5.1.1 <address> no such user")
        #expect(later.text == "451 4.7.1 try later")
        #expect(connection.isOpen)
        // The connection is still good for another batch.
        let again = await connection.send([Self.mail(6)])
        guard case .accepted = again.first else { throw Failure("not accepted: \(again)") }
        await connection.close()
        #expect(
            try server.received().map(\.rcptTos) == [
                [mails[0].recipient], [mails[2].recipient], [mails[4].recipient], ["customer6@example.com"],
            ]
        )
        #expect(server.commands().filter { $0 == "RSET" }.count == 2)
    }

    @Test func a421DefersThisMessageAndTheRestAndClosesTheConnection() async throws {
        let server = try SMTPTestServer.start(.init(rcptReplies: ["@busy.example": "421 4.3.2 shutting down"]))
        defer { server.stop() }
        let connection = try await SMTPClient(configuration: Self.configuration(server)).connect()
        let outcomes = await connection.send([Self.mail(1), Self.mail(2, to: "x@busy.example"), Self.mail(3)])
        guard case .accepted = outcomes[0], case .deferred(let busy) = outcomes[1],
            case .deferred(let rest) = outcomes[2]
        else { throw Failure("unexpected outcomes: \(outcomes)") }
        #expect(busy.code == 421)
        #expect(rest == busy)
        #expect(!connection.isOpen)
        let later = await connection.send([Self.mail(4)])
        guard case .interrupted = later.first else { throw Failure("sent on a closed connection: \(later)") }
        #expect(try server.received().count == 1)
    }

    /// A 5xx to MAIL FROM refuses our sender (a relay that does not let us send as this address), not the
    /// customer's address: the notices wait and are tried again, none is marked bounced.
    @Test(arguments: [true, false])
    func aRefusedSenderDefersEveryNoticeInsteadOfBouncingIt(pipelining: Bool) async throws {
        var options = SMTPTestServer.Options()
        options.mailReply = "553 5.7.1 sender address rejected: not owned by user"
        options.pipelining = pipelining
        let server = try SMTPTestServer.start(options)
        defer { server.stop() }
        let connection = try await SMTPClient(configuration: Self.configuration(server)).connect()
        let outcomes = await connection.send([Self.mail(1), Self.mail(2)])
        #expect(outcomes.count == 2)
        for outcome in outcomes {
            guard case .deferred(let reply) = outcome else { throw Failure("not deferred: \(outcome)") }
            #expect(reply.code == 553)
        }
        #expect(try server.received().isEmpty)
    }

    @Test func aConnectionDroppedInTheMiddleOfAMessageInterruptsItAndEveryLaterOne() async throws {
        let server = try SMTPTestServer.start(.init(dropAfter: 2))
        defer { server.stop() }
        let connection = try await SMTPClient(configuration: Self.configuration(server)).connect()
        let outcomes = await connection.send((1...5).map { Self.mail($0) })
        #expect(outcomes.count == 5)
        guard case .accepted = outcomes[0], case .accepted = outcomes[1] else {
            throw Failure("the first two should be accepted: \(outcomes)")
        }
        for outcome in outcomes[2...] {
            guard case .interrupted(let reason) = outcome else { throw Failure("not interrupted: \(outcome)") }
            #expect(reason.contains("lost"))
        }
        #expect(!connection.isOpen)
        let later = await connection.send([Self.mail(6), Self.mail(7)])
        #expect(later == [.interrupted(later[0].reason), .interrupted(later[0].reason)])
        #expect(try server.received().count == 2)
        await connection.close()
    }

    @Test func aServerSlowerThanTheTimeoutInterruptsTheMessage() async throws {
        // The server waits 60 s before each reply to MAIL, RCPT and the end of data; the client waits 1 s.
        let server = try SMTPTestServer.start(.init(delay: 60))
        defer { server.stop() }
        let connection = try await SMTPClient(configuration: Self.configuration(server, reply: .seconds(1))).connect()
        let outcomes = await connection.send([Self.mail(1), Self.mail(2)])
        #expect(
            outcomes == [
                .interrupted("timed out waiting for the server's reply"),
                .interrupted("timed out waiting for the server's reply"),
            ]
        )
        #expect(!connection.isOpen)
        // It hung up while the server's first reply was still due, instead of waiting it out: judged by the order
        // of what the server saw, not by the test's clock, which a loaded machine can stall for many seconds.
        let events = try await server.events(waitingFor: "~lost")
        #expect(events.first == "~lost", "\(events)")
        #expect(try server.received().isEmpty)
    }

    @Test func anEnvelopeAddressWithALineBreakIsNeverPutOnTheWire() async throws {
        let server = try SMTPTestServer.start()
        defer { server.stop() }
        let connection = try await SMTPClient(configuration: Self.configuration(server)).connect()
        let injected = RenderedMail(
            envelopeSender: "bounces@kilpi.example",
            recipient: "a@example.com>\r\nRCPT TO:<evil@example.net",
            messageID: "<1@kilpi.example>",
            bytes: Array("Subject: x\r\n\r\nx\r\n".utf8)
        )
        let badSender = RenderedMail(
            envelopeSender: "bounces@kilpi.example\r\nRSET",
            recipient: "b@example.com",
            messageID: "<2@kilpi.example>",
            bytes: Array("Subject: x\r\n\r\nx\r\n".utf8)
        )
        let outcomes = await connection.send([injected, Self.mail(1), badSender, Self.mail(2)])
        guard case .rejected(let local) = outcomes[0], case .accepted = outcomes[1], case .rejected = outcomes[2],
            case .accepted = outcomes[3]
        else { throw Failure("unexpected outcomes: \(outcomes)") }
        #expect(local.code == 501)
        #expect(!local.text.contains("example"))
        await connection.close()
        #expect(try server.received().map(\.rcptTos) == [["customer1@example.com"], ["customer2@example.com"]])
        #expect(server.commands().filter { $0 == "RCPT" }.count == 2)
    }

    @Test func aClosedConnectionAndAnEmptyBatch() async throws {
        let server = try SMTPTestServer.start()
        defer { server.stop() }
        let connection = try await SMTPClient(configuration: Self.configuration(server)).connect()
        #expect(await connection.send([]).isEmpty)
        await connection.close()
        #expect(!connection.isOpen)
        guard case .interrupted = await connection.send([Self.mail(1)]).first else {
            throw Failure("sent after close")
        }
        await connection.close()
        #expect(try server.received().isEmpty)
    }

    @Test func nothingListeningIsAClearConnectError() async throws {
        // Start and stop a server to get a port that was free a moment ago and is closed now.
        let server = try SMTPTestServer.start()
        let url = server.url
        server.stop()
        var configuration = try SMTPConfiguration(url: url)
        configuration.timeouts.connect = .seconds(10)
        let error = await #expect(throws: SMTPError.self) {
            try await SMTPClient(configuration: configuration).connect()
        }
        #expect(error?.kind == .connectionFailed)
        #expect(error?.message.en.contains("127.0.0.1") == true)
    }
}

struct Failure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension SMTPOutcome {
    var reason: String {
        if case .interrupted(let reason) = self { return reason }
        return ""
    }
}

import Foundation
import KilpiCore
import KilpiStore
import KilpiTestSupport
import SQLKit
import Synchronization
import Testing

@testable import KilpiMail

/// Support mail end to end, on both engines: staff replies and contact-form codes queued by the store's use cases,
/// sent by `SupportMailWorker` to aiosmtpd, parsed back by Python's `email` and checked by dkimpy; deferrals,
/// refusals and a lease taken over as the support mail rows record them.
@Suite(.serialized) struct SupportMailDeliveryTests {
    static let staff = Caller(.user(1), ip: "198.51.100.7")
    static let start = Date(timeIntervalSince1970: 1_796_000_000)

    /// A clock the test moves.
    final class Clock: Sendable {
        let time = Mutex(SupportMailDeliveryTests.start)
        var now: Date { time.withLock { $0 } }
        func advance(_ seconds: TimeInterval) { time.withLock { $0 = $0.addingTimeInterval(seconds) } }
    }

    /// A sent notice campaign over `emails`; returns each customer's access to their page (by link, or by code
    /// and address for `byCode`) and their reference codes.
    static func notices(
        _ store: Store,
        _ database: Database,
        emails: [String],
        names: [String]? = nil,
        byCode: Bool = false
    ) async throws -> [(access: SupportAccess, code: String)] {
        let campaign = try await DeliveryEngineTests.campaign(store, database, emails: emails, names: names)
        let now = Date()
        let claims = try await store.outbox.claim(worker: "n", limit: 100, leaseSeconds: 60, now: now)
        try await store.outbox.record(
            claims.map { ($0.rowID, OutboxResult.sent(reply: "250 ok", messageID: "<\($0.noticeKey)@test>")) },
            worker: "n",
            now: now
        )
        #expect(claims.count == emails.count && claims.allSatisfy { $0.campaignID == campaign.id })
        let customers = try await store.customers.find(ids: claims.map(\.customerID))
        var result: [(SupportAccess, String)] = []
        for email in emails {
            let claim = try #require(claims.first { customers[$0.customerID]?.email == email })
            let resolution =
                byCode
                ? try await store.supportLinks.open(code: claim.referenceCode, email: email, ip: "192.0.2.1", now: now)
                : try await store.supportLinks.resolve(
                    token: try await store.supportLinks.issue(outboxID: claim.rowID, now: now).token,
                    ip: "192.0.2.1",
                    now: now
                )
            result.append((try #require(resolution.access), claim.referenceCode))
        }
        return result
    }

    static func worker(
        _ store: Store,
        server: SMTPTestServer,
        clock: Clock,
        dkim: DKIMSigner? = DKIMSignerTests.signer
    ) throws -> SupportMailWorker {
        var smtp = try SMTPConfiguration(url: server.url)
        smtp.timeouts = SMTPTimeouts(
            connect: .seconds(5),
            greeting: .seconds(5),
            reply: .seconds(5),
            dataEnd: .seconds(5)
        )
        let from = MailAddress("security@aurora.example", displayName: "Aurora Security")
        let settings = DeliverySettings(
            smtp: smtp,
            from: from,
            dkim: dkim,
            leaseSeconds: 30,
            retry: RetryPolicy(baseDelay: 600, maximumDelay: 600, maximumAttempts: 5, interruptedDelay: 600),
            idleDelay: 0.05
        )
        return SupportMailWorker(
            store: store,
            settings: settings,
            composer: SupportMailComposer(
                companyName: "Aurora Oy",
                supportSiteURL: "https://aurora.example/support",
                from: from,
                dkim: dkim
            ),
            logger: .init(label: "test"),
            now: { clock.now }
        )
    }

    /// Runs the worker until nothing is queued or sending (deferred rows wait for their time).
    static func drain(_ worker: SupportMailWorker, _ store: Store) async throws {
        // The tests' clock stands still: a row left `sending` by a failed round would never come due again.
        try await withDeadline(180, "draining support mail") {
            try await worker.drain {
                let counts = try await store.supportMail.counts()
                return (counts[.queued] ?? 0) + (counts[.sending] ?? 0) == 0
            }
        }
    }

    /// A part's text with `\n` line ends (the parser keeps the message's CRLF).
    static func lines(_ text: String) -> String { text.replacingOccurrences(of: "\r\n", with: "\n") }

    static func auditDetails(_ database: Database) async throws -> [String] {
        try await database.read { sql in
            try await sql.raw("SELECT action, target, detail FROM audit_log ORDER BY id").all().map {
                try $0.decode(column: "action", as: String.self) + " " + $0.decode(column: "target", as: String.self)
                    + " " + $0.decode(column: "detail", as: String.self)
            }
        }
    }

    @Test(arguments: TestDatabases.engines)
    func aReplyReachesTheCustomerWithTheirReferenceCodeSignedByDKIM(engine: SQLEngine) async throws {
        let server = try SMTPTestServer.start()
        defer { server.stop() }
        try await TestDatabases.with(engine) { database in
            let store = Store(database: database, vault: try Vault.ephemeral())
            let clock = Clock()
            let pages = try await Self.notices(
                store,
                database,
                emails: ["anna@example.net"],
                names: ["Anna Virtanen"],
                byCode: true
            )
            let (access, code) = (pages[0].access, pages[0].code)
            #expect(access.channel == .code)
            let service = InquiryService(store: store)
            let inquiry = try await service.create(
                from: access,
                language: .fi,
                text: "Pitääkö minun vaihtaa salasana?",
                ip: "192.0.2.1",
                now: clock.now
            )
            _ = try await service.reply(
                inquiryID: inquiry.id,
                text: "Kyllä, vaihda salasana.\nEmme koskaan kysy sitä sähköpostitse.",
                by: Self.staff,
                now: clock.now
            )
            let reply = try #require(
                try await service.thread(inquiryID: inquiry.id, by: Self.staff, now: clock.now).messages.last
            )
            #expect(try await store.supportMail.states(inquiryID: inquiry.id)[reply.id]?.state == .queued)

            try await Self.drain(try Self.worker(store, server: server, clock: clock), store)

            let received = try server.received()
            try #require(received.count == 1)
            #expect(received[0].rcptTos == ["anna@example.net"])
            let parsed = try ParsedMessage.parse(received[0].bytes)
            #expect(parsed.defects.isEmpty)
            #expect(parsed.from == [.init(name: "Aurora Security", address: "security@aurora.example")])
            #expect(parsed.to == [.init(name: "Anna Virtanen", address: "anna@example.net")])
            #expect(parsed.subject == "Aurora Oy: vastaus kysymykseesi (viite \(code))")
            #expect(parsed.parts.map(\.type) == ["text/plain", "text/html"])
            let (text, html) = (Self.lines(parsed.parts[0].content), Self.lines(parsed.parts[1].content))
            #expect(text.contains("Hei Anna,"))
            #expect(text.contains("Kyllä, vaihda salasana.\nEmme koskaan kysy sitä sähköpostitse."))
            #expect(text.contains("https://aurora.example/support ja kirjoita sinne viitekoodisi \(code)"))
            #expect(html.contains("Kyllä, vaihda salasana.<br>"))
            // The support site only: no personal link, no sign-in link, nothing that tracks.
            for part in [text, html] {
                #expect(!part.contains("https://aurora.example/support/"))
                #expect(!part.contains("<img"))
            }
            #expect(try DKIMSignerTests.dkimpyVerifies(received[0].bytes))

            let state = try #require(try await store.supportMail.states(inquiryID: inquiry.id)[reply.id])
            #expect(state.state == .sent && state.attempts == 1 && state.lastError == nil)
            let row = try await database.read { sql in
                try await sql.raw("SELECT recipient_sealed, smtp_message_id FROM support_mail").first()
            }
            #expect(try row?.decode(column: "recipient_sealed", as: String?.self) == nil)
            #expect(try row?.decode(column: "smtp_message_id", as: String?.self) == parsed.messageID)
            let audit = try await Self.auditDetails(database)
            #expect(audit.contains { $0.hasPrefix("support.mail_sent") && $0.contains("reply inquiry:\(inquiry.id)") })
            #expect(!audit.contains { $0.contains("@example.net") || $0.contains(code) })
        }
    }

    @Test(arguments: TestDatabases.engines)
    func aContactFormCodeIsMailedAndItsSealedCodeCleared(engine: SQLEngine) async throws {
        let server = try SMTPTestServer.start()
        defer { server.stop() }
        try await TestDatabases.with(engine) { database in
            let store = Store(database: database, vault: try Vault.ephemeral())
            let clock = Clock()
            _ = try await Self.notices(store, database, emails: ["someone@example.net"])
            let incident = try #require(try await store.incidents.list(now: clock.now).first).incident.id
            let verification = try await ContactFormService(store: store).start(
                email: "visitor@example.org",
                incidentID: incident,
                language: .sv,
                ip: "203.0.113.9",
                now: clock.now
            )
            let sealed = try await database.read { sql in
                try await sql.raw("SELECT code_sealed FROM support_mail").first()?.decode(
                    column: "code_sealed",
                    as: String?.self
                )
            }
            #expect(sealed != nil && sealed?.contains(verification.code) == false)

            try await Self.drain(try Self.worker(store, server: server, clock: clock), store)

            let received = try server.received()
            try #require(received.count == 1)
            #expect(received[0].rcptTos == ["visitor@example.org"])
            let parsed = try ParsedMessage.parse(received[0].bytes)
            #expect(parsed.defects.isEmpty)
            #expect(parsed.subject == "Aurora Oy: din verifieringskod")
            #expect(!parsed.subject.contains(verification.code))
            let text = Self.lines(parsed.parts[0].content)
            #expect(text.contains("    \(verification.code)\n"))
            #expect(text.contains("gäller i 15 minuter"))
            #expect(text.contains("Om du inte bad om koden kan du bortse från det här meddelandet"))
            #expect(parsed.parts[1].content.contains(verification.code))
            #expect(try DKIMSignerTests.dkimpyVerifies(received[0].bytes))

            let row = try #require(
                try await database.read { sql in
                    try await sql.raw("SELECT state, code_sealed, recipient_sealed FROM support_mail").first()
                }
            )
            #expect(try row.decode(column: "state", as: String.self) == "sent")
            #expect(try row.decode(column: "code_sealed", as: String?.self) == nil)
            #expect(try row.decode(column: "recipient_sealed", as: String?.self) == nil)
            let audit = try await Self.auditDetails(database)
            #expect(!audit.contains { $0.contains("visitor@") || $0.contains(verification.code) })
        }
    }

    @Test(arguments: TestDatabases.engines)
    func aTemporaryRefusalDefersTheReplyAndALaterRoundDeliversIt(engine: SQLEngine) async throws {
        let refusing = try SMTPTestServer.start(.init(rcptReplies: ["@example.net": "451 4.7.1 try later"]))
        defer { refusing.stop() }
        let accepting = try SMTPTestServer.start()
        defer { accepting.stop() }
        try await TestDatabases.with(engine) { database in
            let store = Store(database: database, vault: try Vault.ephemeral())
            let clock = Clock()
            let access = try await Self.notices(store, database, emails: ["bo@example.net"])[0].access
            let service = InquiryService(store: store)
            let inquiry = try await service.create(
                from: access,
                language: .en,
                text: "Question",
                ip: "192.0.2.1",
                now: clock.now
            )
            _ = try await service.reply(inquiryID: inquiry.id, text: "Answer", by: Self.staff, now: clock.now)

            try await Self.drain(try Self.worker(store, server: refusing, clock: clock), store)
            var state = try #require(try await store.supportMail.states(inquiryID: inquiry.id).values.first)
            #expect(state.state == .deferred)
            #expect(state.lastError == "smtp 451 4.7.1")
            #expect(state.attempts == 1)
            // The retry policy's backoff: 300 to 600 s after the first attempt.
            let wait = try #require(state.nextAttemptAt).timeIntervalSince(clock.now)
            #expect(wait >= 299 && wait <= 601)
            #expect(try refusing.received().isEmpty)

            // Not due yet: nothing is sent.
            let worker = try Self.worker(store, server: accepting, clock: clock)
            var connection: SMTPConnection?
            #expect(try await worker.round(connection: &connection) == 0)
            clock.advance(601)
            #expect(try await worker.round(connection: &connection) == 1)
            await connection?.close()

            state = try #require(try await store.supportMail.states(inquiryID: inquiry.id).values.first)
            #expect(state.state == .sent)
            #expect(state.attempts == 2)
            #expect(try accepting.received().map(\.rcptTos) == [["bo@example.net"]])
        }
    }

    @Test(arguments: TestDatabases.engines)
    func aPermanentRefusalFailsTheReplyVisiblyWithoutTheAddress(engine: SQLEngine) async throws {
        let server = try SMTPTestServer.start(
            .init(rcptReplies: ["cy@example.net": "550 5.1.1 <cy@example.net>: no such user"])
        )
        defer { server.stop() }
        try await TestDatabases.with(engine) { database in
            let store = Store(database: database, vault: try Vault.ephemeral())
            let clock = Clock()
            let access = try await Self.notices(store, database, emails: ["cy@example.net"])[0].access
            let service = InquiryService(store: store)
            let inquiry = try await service.create(
                from: access,
                language: .en,
                text: "Question",
                ip: "192.0.2.1",
                now: clock.now
            )
            _ = try await service.reply(inquiryID: inquiry.id, text: "Answer", by: Self.staff, now: clock.now)
            try await Self.drain(try Self.worker(store, server: server, clock: clock), store)

            let state = try #require(try await store.supportMail.states(inquiryID: inquiry.id).values.first)
            #expect(state.state == .failed)
            #expect(state.lastError == "smtp 550 5.1.1")
            #expect(try server.received().isEmpty)
            let audit = try await Self.auditDetails(database)
            #expect(audit.contains { $0.hasPrefix("support.mail_failed") && $0.hasSuffix("smtp 550 5.1.1") })
            #expect(!audit.contains { $0.contains("cy@") })
            // The failed row keeps no address.
            let sealed = try await database.read { sql in
                try await sql.raw("SELECT recipient_sealed FROM support_mail").first()?.decode(
                    column: "recipient_sealed",
                    as: String?.self
                )
            }
            #expect(sealed == nil)
        }
    }

    @Test(arguments: TestDatabases.engines)
    func aRowWhoseLeaseRanOutIsTakenOverAndTheDeadWorkerRecordsNothing(engine: SQLEngine) async throws {
        let server = try SMTPTestServer.start()
        defer { server.stop() }
        try await TestDatabases.with(engine) { database in
            let store = Store(database: database, vault: try Vault.ephemeral())
            let clock = Clock()
            let access = try await Self.notices(store, database, emails: ["di@example.net"])[0].access
            let service = InquiryService(store: store)
            let inquiry = try await service.create(
                from: access,
                language: .sv,
                text: "Fråga",
                ip: "192.0.2.1",
                now: clock.now
            )
            _ = try await service.reply(inquiryID: inquiry.id, text: "Svar", by: Self.staff, now: clock.now)
            // A worker claims the row and dies.
            let dead = try await store.supportMail.claim(worker: "dead", limit: 10, leaseSeconds: 30, now: clock.now)
            #expect(dead.count == 1)
            #expect(dead.first?.replyText == "Svar")

            let worker = try Self.worker(store, server: server, clock: clock)
            var connection: SMTPConnection?
            clock.advance(29)
            #expect(try await worker.round(connection: &connection) == 0)
            clock.advance(2)
            #expect(try await worker.round(connection: &connection) == 1)
            await connection?.close()

            #expect(try server.received().count == 1)
            let late = try await store.supportMail.record(
                rowID: dead[0].rowID,
                worker: "dead",
                .failed(error: "smtp 550"),
                now: clock.now
            )
            #expect(!late)
            let state = try #require(try await store.supportMail.states(inquiryID: inquiry.id).values.first)
            #expect(state.state == .sent && state.attempts == 2)
        }
    }

    @Test(arguments: TestDatabases.engines)
    func hostileNamesAndRepliesStayInert(engine: SQLEngine) async throws {
        let server = try SMTPTestServer.start()
        defer { server.stop() }
        try await TestDatabases.with(engine) { database in
            let store = Store(database: database, vault: try Vault.ephemeral())
            let clock = Clock()
            let access = try await Self.notices(
                store,
                database,
                emails: ["eve@example.net"],
                names: ["Eve\r\nBcc: attacker@evil.example <script>x</script>"]
            )[0].access
            let service = InquiryService(store: store)
            let inquiry = try await service.create(
                from: access,
                language: .en,
                text: "Question",
                ip: "192.0.2.1",
                now: clock.now
            )
            let hostile =
                "<script>alert(1)</script> & <b>bold</b>\r\nBcc: evil@evil.example\r\n.\r\nSubject: {code} {{url}}\n"
                + "\u{600}<a href=\"https://evil.example\">x</a> \"\u{301}"
            _ = try await service.reply(inquiryID: inquiry.id, text: hostile, by: Self.staff, now: clock.now)
            try await Self.drain(try Self.worker(store, server: server, clock: clock), store)

            let received = try server.received()
            try #require(received.count == 1)
            #expect(received[0].rcptTos == ["eve@example.net"])
            let parsed = try ParsedMessage.parse(received[0].bytes)
            #expect(parsed.defects.isEmpty)
            #expect(!parsed.headerNames.contains { $0.lowercased() == "bcc" })
            #expect(parsed.headerNames.filter { $0.lowercased() == "subject" }.count == 1)
            #expect(parsed.to.map(\.address) == ["eve@example.net"])
            #expect(!parsed.to[0].name.contains("\n"))
            let (text, html) = (Self.lines(parsed.parts[0].content), Self.lines(parsed.parts[1].content))
            #expect(!html.contains("<script"))
            #expect(!html.contains("<b>bold"))
            // A mark before "<" or after a quote does not carry it past the escaping.
            #expect(!html.contains("<a href") && !html.contains("\u{600}<"))
            #expect(html.contains("&lt;a href=&quot;https://evil.example&quot;&gt;x&lt;/a&gt;"))
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;<br>"))
            #expect(text.contains("<script>alert(1)</script> & <b>bold</b>\nBcc: evil@evil.example\n.\nSubject:"))
            // Placeholders in the reply are the reply's own words, not filled in.
            #expect(text.contains("Subject: {code} {{url}}"))
            #expect(try DKIMSignerTests.dkimpyVerifies(received[0].bytes))
        }
    }
}

import CryptoExtras
import Foundation
import KilpiCore
import KilpiStore
import KilpiTestSupport
import SQLKit
import Testing

@testable import KilpiMail

/// The delivery engine end to end, on both engines: a campaign made from a real exposure snapshot with the shipped
/// templates, delivered to aiosmtpd, each message parsed back by Python's `email` and its DKIM signature checked
/// by dkimpy; refusals and per-domain holds as the outbox records them.
@Suite(.serialized) struct DeliveryEngineTests {
    static let editor = Caller(.user(1), ip: "198.51.100.7")
    static let approver = Caller(.user(2), ip: "198.51.100.8")

    /// A campaign over `emails` (one customer each, all exposed in one system), languages fi, sv, en in turn.
    static func campaign(
        _ store: Store,
        _ database: Database,
        emails: [String],
        names: [String]? = nil
    ) async throws
        -> NoticeCampaign
    {
        let now = Date()
        try await store.dataMap.installCatalogue(now: now)
        let inputs = emails.enumerated().map { i, email in
            CustomerInput(
                externalID: "C\(i)",
                name: names?[i] ?? "Customer \(i)",
                email: email,
                phone: nil,
                language: ["fi", "sv", "en"][i % 3],
                country: i == 2 ? "US" : "FI",
                region: i == 2 ? "CA" : ""
            )
        }
        try await database.transaction { [inputs] sql in
            _ = try await store.customers.upsert(inputs, now: now, in: sql)
            try await sql.raw(
                """
                INSERT INTO systems (name, name_key, kind, owner, location, encrypted_at_rest, key_location, created_at, updated_at)
                VALUES ('Web shop', 'web shop', 'other', 'IT', 'EU', \(bind: false), '', 0, 0)
                """
            ).run()
        }
        let system = try #require(try await store.dataMap.summaries().first).system.id
        // Looked up before the transaction: SQLite has one writer, which the transaction holds.
        var ids: [Int64] = []
        for input in inputs {
            ids.append(try #require(try await store.customers.find(externalID: input.externalID)).id)
        }
        try await database.transaction { [ids] sql in
            for id in ids {
                for category in ["email", "credentials"] {
                    try await sql.raw(
                        """
                        INSERT INTO holdings (customer_id, system_id, category_id, held_from, held_until)
                        VALUES (\(bind: id), \(bind: system), \(bind: category), 0, NULL)
                        """
                    ).run()
                }
            }
        }
        let commander = try await store.users.create(
            email: "commander@example.fi",
            displayName: "Commander",
            role: .responder,
            status: .active,
            now: now
        )
        let incident = try await store.incidents.declare(
            IncidentDraft(title: "Web shop passwords copied", kinds: [.dataBreach], severity: .sev2),
            commanderID: commander.id,
            playbooks: [],
            actor: "user:1",
            now: now
        )
        let scope = try await store.scopes.create(
            incidentID: incident.id,
            ScopeDraft(
                systemIDs: [system],
                windowStart: now.addingTimeInterval(-86_400 * 30),
                windowEnd: now
            ),
            actor: "user:1",
            now: now
        )
        let service = NoticeService(store: store, checker: MustacheTemplateChecker())
        for language in Language.allCases {
            let saved = try await service.saveTemplate(
                key: NoticeTemplateVersion.generalKey,
                language: language,
                text: NoticeTemplates.shipped(language),
                by: editor,
                now: now
            )
            _ = try await service.approveTemplate(id: saved.id, by: approver, now: now)
        }
        let campaign = try await service.createCampaign(
            incidentID: incident.id,
            scopeVersionID: scope.id,
            settings: NoticeCampaignSettings(ratePerSecond: 100_000, concurrency: 2, errorThreshold: 0.9),
            by: editor,
            now: now
        )
        return try await service.start(campaignID: campaign.id, by: editor, now: now)
    }

    static func engine(
        _ store: Store,
        server: SMTPTestServer,
        dkim: DKIMSigner? = nil,
        connections: Int = 2,
        batchSize: Int = 7,
        leaseSeconds: Double = 30
    ) throws -> DeliveryEngine {
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
            connections: connections,
            batchSize: batchSize,
            leaseSeconds: leaseSeconds,
            retry: RetryPolicy(baseDelay: 600, maximumDelay: 600, maximumAttempts: 5, interruptedDelay: 600),
            idleDelay: 0.05
        )
        let company = NoticeCompany(
            name: "Aurora Oy",
            contactEmail: "privacy@aurora.example",
            trustCenterURL: "https://aurora.example/verify"
        )
        return DeliveryEngine(
            store: store,
            settings: settings,
            composer: NoticeComposer(store: store, company: company, from: from, bounceDomain: nil, dkim: dkim),
            logger: .init(label: "test")
        )
    }

    /// Runs the engine until no row of the campaign is left that could be sent now.
    static func drain(_ engine: DeliveryEngine, _ store: Store, _ campaign: Int64) async throws {
        try await withDeadline(180, "draining campaign \(campaign)") {
            try await engine.run(campaignID: campaign) {
                let progress = try await store.outbox.progress(campaignID: campaign)
                return (progress.counts[.queued] ?? 0) + (progress.counts[.sending] ?? 0) == 0
            }
        }
    }

    @Test(arguments: TestDatabases.engines)
    func everyCustomerGetsOneSignedNoticeInTheirLanguage(engine: SQLEngine) async throws {
        let server = try SMTPTestServer.start()
        defer { server.stop() }
        let key = try DKIMKey(_RSA.Signing.PrivateKey(keySize: .bits2048))
        let signer = try DKIMSigner(key: key, domain: "example.com", selector: "kilpi2026")
        try await TestDatabases.with(engine) { database in
            let store = Store(database: database, vault: try Vault.ephemeral())
            let emails = (0..<20).map { "person\($0)@example.net" }
            var names = (0..<20).map { "Customer \($0)" }
            names[0] = "<script>alert(1)</script>"
            names[1] = "Robert'); DROP TABLE customers;--"
            let campaign = try await Self.campaign(store, database, emails: emails, names: names)
            try await Self.drain(try Self.engine(store, server: server, dkim: signer), store, campaign.id)

            let progress = try await store.outbox.progress(campaignID: campaign.id)
            #expect(progress.counts[.sent] == 20)
            #expect(progress.state == .completed)
            let received = try server.received()
            #expect(received.count == 20)
            #expect(Set(received.flatMap(\.rcptTos)) == Set(emails))
            let rows = try await store.outbox.recipients(campaignID: campaign.id, limit: 100)
            let keys = Set(rows.map(\.noticeKey))
            for mail in received {
                let parsed = try ParsedMessage.parse(mail.bytes)
                #expect(parsed.defects.isEmpty)
                let notice = try #require(parsed.notice)
                #expect(keys.contains(notice))
                #expect(mail.mailFrom == "bounces+\(notice)@aurora.example")
                #expect(parsed.parts.map(\.type) == ["text/plain", "text/html"])
                #expect(try DKIMSignerTests.dkimpyVerifies(mail.bytes, record: key.dnsRecord))
                let row = try #require(rows.first { $0.noticeKey == notice })
                #expect(parsed.messageID == row.messageID)
                let html = parsed.parts[1].content
                #expect(!html.contains("<script>alert"))
                if mail.rcptTos == ["person0@example.net"] {
                    #expect(html.contains("&lt;script&gt;"))
                    #expect(row.language == .fi)
                }
                if mail.rcptTos == ["person2@example.net"] {
                    // US-CA: the statutory headings.
                    #expect(parsed.parts[0].content.contains("Notice of Data Breach"))
                }
            }
        }
    }

    @Test(arguments: TestDatabases.engines)
    func aRefusedAddressBouncesAndASlowDomainWaitsAlone(engine: SQLEngine) async throws {
        var options = SMTPTestServer.Options()
        options.rcptReplies = [
            "gone@example.net": "550 5.1.1 <gone@example.net> no such user",
            "@slow.example": "451 4.7.1 try again later",
        ]
        let server = try SMTPTestServer.start(options)
        defer { server.stop() }
        try await TestDatabases.with(engine) { database in
            let store = Store(database: database, vault: try Vault.ephemeral())
            // Interleaved, so that the first batches hold a few of the slow domain's notices each, not all of them.
            let emails = ["gone@example.net"] + (0..<12).flatMap { ["p\($0)@slow.example", "p\($0)@fast.example"] }
            let campaign = try await Self.campaign(store, database, emails: emails)
            try await Self.drain(try Self.engine(store, server: server), store, campaign.id)

            let rows = try await store.outbox.recipients(campaignID: campaign.id, limit: 100)
            let byState = Dictionary(grouping: rows, by: \.state).mapValues(\.count)
            #expect(byState[.sent] == 12)
            #expect(byState[.bounced] == 1)
            #expect(byState[.deferred] == 12)
            let bounced = try #require(rows.first { $0.state == .bounced })
            // The reply is kept without the address the server echoed.
            #expect(bounced.lastReply?.contains("550") == true)
            #expect(bounced.lastReply?.contains("gone@example.net") == false)
            // The slow domain was held after its first refusals: its later notices waited without being tried
            // (the hold's reply), so fewer than its twelve notices met the server's 451.
            let deferred = rows.filter { $0.state == .deferred }
            let tried = deferred.filter { $0.lastReply?.contains("451") == true }.count
            let held = deferred.filter { $0.lastReply?.contains("held") == true }.count
            #expect(tried >= 1 && tried < 12)
            #expect(held == 12 - tried)
            #expect(rows.filter { $0.state == .deferred }.allSatisfy { ($0.nextAttemptAt ?? .distantPast) > Date() })
            let received = try server.received()
            #expect(received.count == 12)
            #expect(received.allSatisfy { $0.rcptTos.allSatisfy { $0.hasSuffix("@fast.example") } })
        }
    }
    /// A relay so slow that a batch takes several leases to go out: the worker renews its lease while it sends,
    /// so a second worker draining the same campaign never takes those notices over and sends them again.
    @Test(arguments: TestDatabases.engines)
    func aSlowRelayKeepsTheLeaseSoNoNoticeGoesOutTwice(engine: SQLEngine) async throws {
        var options = SMTPTestServer.Options()
        options.delay = 0.02
        let server = try SMTPTestServer.start(options)
        defer { server.stop() }
        try await TestDatabases.with(engine) { database in
            let store = Store(database: database, vault: try Vault.ephemeral())
            let emails = (0..<24).map { "slow\($0)@example.org" }
            let campaign = try await Self.campaign(store, database, emails: emails)
            // A batch of 12 needs at least 12 × 3 × 0.02 s = 0.72 s, more than twice the 0.3 s lease.
            let first = try Self.engine(store, server: server, connections: 1, batchSize: 12, leaseSeconds: 0.3)
            let second = try Self.engine(store, server: server, connections: 1, batchSize: 12, leaseSeconds: 0.3)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await Self.drain(first, store, campaign.id) }
                group.addTask { try await Self.drain(second, store, campaign.id) }
                try await group.waitForAll()
            }
            let rows = try await store.outbox.recipients(campaignID: campaign.id, limit: 100)
            #expect(rows.count == 24)
            #expect(rows.allSatisfy { $0.state == .sent })
            #expect(rows.allSatisfy { $0.attempts == 1 }, "no row was claimed a second time")
            let received = try server.received()
            let recipients = received.flatMap(\.rcptTos)
            #expect(recipients.count == 24, "\(recipients.count) messages for 24 notices")
            #expect(Set(recipients).count == 24)
        }
    }
}

import Foundation
import KilpiBenchSupport
import KilpiCore
import KilpiMail
import KilpiStore

/// The data the support benchmark measures against: the demo company (its staff, 10,000 fictional customers, the
/// Aurora incident and its campaign), the campaign's notices marked delivered, a personal link for every notice
/// (the first `tokens` of them measured), and `inquiries` inquiries spread over all the notified customers in turn
/// (every third answered): 10,000 inquiries give each customer one, as many customers asking once would.
struct BenchSupportWorld {
    let tokens: [String]
    let agentSessionID: String
    let setupSeconds: Double

    static func make(store: Store, tokens count: Int, inquiries: Int) async throws -> BenchSupportWorld {
        let start = ContinuousClock.now
        let now = Date()
        guard try await store.customers.count() == 0 else {
            throw BenchError("the database already holds customers: give the benchmark an empty one")
        }
        _ = try await DemoData.seed(store: store, hasher: PasswordHasher(logN: 10, r: 8, p: 1), now: now)
        try await DemoDataMap.seed(store: store, now: now)
        guard try await DemoIncident.seed(store: store, now: now) != nil,
            let campaign = try await DemoNotices.seed(store: store, now: now)
        else { throw BenchError("the demo incident or its campaign could not be made") }
        let staff = Dictionary(uniqueKeysWithValues: try await store.users.all().map { ($0.role, $0) })
        guard let communicator = staff[.communicator], let agent = staff[.agent] else {
            throw BenchError("the demo staff are missing")
        }
        let service = NoticeService(store: store, checker: MustacheTemplateChecker())
        _ = try await service.start(campaignID: campaign.id, by: Caller(.user(communicator.id), ip: "local"), now: now)
        // Delivered, as a relay that accepted every notice would leave them: the pages open only for those.
        try await store.database.withConnection { sql in
            try await sql.raw(
                """
                UPDATE notice_outbox SET state = 'sent', sent_at = \(bind: now.epochMilliseconds)
                WHERE campaign_id = \(bind: campaign.id) AND state = 'queued'
                """
            ).run()
        }
        let outboxIDs = try await store.database.read { sql in
            try await sql.raw(
                """
                SELECT id FROM notice_outbox WHERE campaign_id = \(bind: campaign.id) AND state = 'sent' ORDER BY id
                """
            ).all().map { try $0.decode(column: "id", as: Int64.self) }
        }
        guard outboxIDs.count >= count else {
            throw BenchError("the campaign has only \(outboxIDs.count) delivered notices, \(count) wanted")
        }
        let links = try await store.supportLinks.issue(outboxIDs: outboxIDs, now: now)
        var accesses: [SupportAccess] = []
        for link in links {
            guard let access = try await store.supportLinks.resolve(token: link.token, ip: "127.0.0.1", now: now).access
            else { throw BenchError("a fresh link did not resolve") }
            accesses.append(access)
        }
        let inquiryService = InquiryService(store: store)
        let agentCaller = Caller(.user(agent.id), ip: "local")
        for index in 0..<inquiries {
            let access = accesses[index % accesses.count]
            let inquiry = try await inquiryService.create(
                from: access,
                language: access.language,
                text: "Question \(index): was my card number part of this?",
                // Customers write from their own addresses (one source may send only so many messages).
                ip: "10.1.\(index / 250).\(index % 250)",
                now: now.addingTimeInterval(Double(index))
            )
            if index % 3 == 0 {
                _ = try await inquiryService.reply(
                    inquiryID: inquiry.id,
                    text: "No: the card numbers were not in the copied data.",
                    by: agentCaller,
                    now: now.addingTimeInterval(Double(index) + 60)
                )
            }
        }
        let session = try await store.sessions.create(
            userID: agent.id,
            stage: .complete,
            ip: "127.0.0.1",
            now: Date(),
            absoluteLifetime: 12 * 3600
        )
        return BenchSupportWorld(
            tokens: links.prefix(count).map(\.token),
            agentSessionID: session.id,
            setupSeconds: seconds(since: start)
        )
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

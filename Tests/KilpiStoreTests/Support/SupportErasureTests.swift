import Foundation
import KilpiCore
import KilpiTestSupport
import SQLKit
import Testing

@testable import KilpiStore

/// Erasing a customer (GDPR Art. 17) removes their threads' texts; the inquiries stay as times and states.
@Suite struct SupportErasureTests {
    @Test(arguments: TestDatabases.engines)
    func erasureRemovesTheThreadsOfThatCustomerOnly(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let s = try await SupportWorld.build(f)
            let service = InquiryService(store: f.store)
            let staff = Caller(.user(1), ip: "198.51.100.1")
            let mine = try await service.create(
                from: try await s.access(f, "C0"),
                language: .fi,
                text: "Minun kysymykseni",
                ip: "192.0.2.1",
                now: f.now
            )
            _ = try await service.reply(inquiryID: mine.id, text: "Vastaus", by: staff, now: f.now)
            let theirs = try await service.create(
                from: try await s.access(f, "C1"),
                language: .sv,
                text: "Min fråga",
                ip: "192.0.2.2",
                now: f.now
            )
            let erased = try await DataSubjectRights(store: f.store).erase(
                customerID: s.id("C0"),
                actor: "user:1",
                ip: "198.51.100.1",
                now: f.now
            )
            #expect(erased)
            #expect(try await service.thread(inquiryID: mine.id, by: staff, now: f.now).messages.isEmpty)
            #expect(try await f.store.inquiries.find(id: mine.id)?.firstResponseAt != nil)
            #expect(
                try await service.thread(inquiryID: theirs.id, by: staff, now: f.now).messages.map(\.text) == [
                    "Min fråga"
                ]
            )
            // Staff see the links issued for a notice (never the token) to revoke them.
            let links = try await f.store.supportLinks.links(outboxID: s.rows["C1"]!.id)
            #expect(links.count == 1 && links[0].revokedAt == nil && links[0].expiresAt > f.now)
        }
    }
}

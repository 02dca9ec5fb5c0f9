import Foundation
import KilpiCore
import KilpiTestSupport
import SQLKit
import Testing

@testable import KilpiStore

/// Inquiries: the lifecycle through the state machine with its SLA times, a thread with notes the customer never
/// sees, assignment, the inbox's filters and paging, sealed text, and nothing saved on bad input.
@Suite struct InquiryTests {
    @Test(arguments: TestDatabases.engines)
    func aReplyWithALinkThatIsNotPlainHTTPIsRefusedWhateverTheDoor(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let s = try await SupportWorld.build(f)
            let service = InquiryService(store: f.store)
            let agent = try await f.user("agent@example.fi", role: .agent)
            let staff = Caller(.user(agent.id), ip: "198.51.100.20")
            let inquiry = try await service.create(
                from: try await s.access(f, "C0"),
                language: .en,
                text: "Q",
                ip: "192.0.2.1",
                now: f.now
            )
            let messages = try await f.database.rowCount("support_messages")
            for text in ["Reset it at javascript:alert(1)", "See https://user@evil.example/reset"] {
                await #expect(throws: SupportError.self) {
                    try await service.reply(inquiryID: inquiry.id, text: text, by: staff, now: f.now)
                }
            }
            #expect(try await f.database.rowCount("support_messages") == messages)
            #expect(try await f.database.rowCount("support_mail") == 0)
            // An internal note is not sent, so it may hold whatever the team needs to write down.
            _ = try await service.note(
                inquiryID: inquiry.id,
                text: "phish used javascript:alert(1)",
                by: staff,
                now: f.now
            )
            _ = try await service.reply(
                inquiryID: inquiry.id,
                text: "See https://example.com/help",
                by: staff,
                now: f.now
            )
            #expect(try await f.database.rowCount("support_mail") == 1)
        }
    }

    @Test(arguments: TestDatabases.engines)
    func aNoticeAndASourceMaySendOnlySoManyMessages(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let s = try await SupportWorld.build(f)
            let service = InquiryService(store: f.store)
            let limits = SupportLimits.standard
            let access = try await s.access(f, "C0")
            let first = try await service.create(from: access, language: .en, text: "Q", ip: "192.0.2.1", now: f.now)
            for index in 1..<limits.messagesPerNotice {
                _ = try await service.addCustomerMessage(
                    inquiryID: first.id,
                    from: access,
                    text: "again \(index)",
                    ip: "192.0.2.\(index + 1)",
                    now: f.now
                )
            }
            // The notice's window is full: from any address, a new question or a follow-up is refused and not saved.
            let messages = try await f.database.rowCount("support_messages")
            await #expect(throws: SupportError.throttled) {
                try await service.create(from: access, language: .en, text: "Q", ip: "198.51.100.1", now: f.now)
            }
            await #expect(throws: SupportError.throttled) {
                try await service.addCustomerMessage(
                    inquiryID: first.id,
                    from: access,
                    text: "more",
                    ip: "198.51.100.2",
                    now: f.now
                )
            }
            #expect(try await f.database.rowCount("support_messages") == messages)
            // Another customer is not held up by it, and the next window takes messages again.
            let other = try await s.access(f, "C1")
            _ = try await service.create(from: other, language: .en, text: "Q", ip: "198.51.100.3", now: f.now)
            f.clock.advance(limits.window)
            _ = try await service.create(from: access, language: .en, text: "Q", ip: "198.51.100.1", now: f.now)
            // One source writing for many notices meets its own limit.
            var refused = 0
            for index in 0..<(limits.messagesPerSource + 5) {
                let customer = try await s.access(f, "C\([0, 1, 2, 3, 4, 6][index % 6])")
                do {
                    _ = try await service.create(
                        from: customer,
                        language: .en,
                        text: "Q",
                        ip: "203.0.113.7",
                        now: f.now
                    )
                } catch let error as SupportError where error == .throttled { refused += 1 }
            }
            #expect(refused == 5)
        }
    }

    @Test(arguments: TestDatabases.engines)
    func anInquiryMovesThroughItsLifeKeepingTheTimesTargetsNeed(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let s = try await SupportWorld.build(f)
            let service = InquiryService(store: f.store)
            let agent = try await f.user("agent@example.fi", role: .agent)
            let staff = Caller(.user(agent.id), ip: "198.51.100.20")
            let access = try await s.access(f, "C0")
            let created = f.now
            var inquiry = try await service.create(
                from: access,
                language: .sv,
                text: "  Vad hände med mitt kort?\r\n ",
                ip: "192.0.2.1",
                now: f.now
            )
            #expect(inquiry.status == .new && inquiry.customerID == s.id("C0") && inquiry.outboxID == access.outboxID)
            #expect(inquiry.incidentID == s.notices.incidentID && inquiry.channel == .link && inquiry.language == .sv)
            f.clock.advance(60)
            inquiry = try await service.note(
                inquiryID: inquiry.id,
                text: "Card not involved; check.",
                by: staff,
                now: f.now
            )
            #expect(inquiry.status == .new && inquiry.firstResponseAt == nil)
            f.clock.advance(60)
            let replied = f.now
            inquiry = try await service.reply(
                inquiryID: inquiry.id,
                text: "Ditt kort berördes inte.",
                by: staff,
                now: f.now
            )
            #expect(inquiry.status == .waitingForCustomer && inquiry.firstResponseAt == replied)
            #expect(inquiry.waitingSince == replied)
            f.clock.advance(600)
            inquiry = try await service.addCustomerMessage(
                inquiryID: inquiry.id,
                from: access,
                text: "Tack! Och min e-post?",
                ip: "192.0.2.1",
                now: f.now
            )
            #expect(inquiry.status == .open && inquiry.waitingSince == nil && inquiry.waitingTotal == 600)
            #expect(inquiry.lastCustomerMessageAt == f.now)
            f.clock.advance(60)
            inquiry = try await service.reply(
                inquiryID: inquiry.id,
                text: "Den berördes.",
                then: .resolved,
                by: staff,
                now: f.now
            )
            #expect(inquiry.status == .resolved && inquiry.resolvedAt == f.now && inquiry.firstResponseAt == replied)
            // Moves the state machine refuses name the field and change nothing.
            await #expect(throws: SupportError.self) {
                try await service.setStatus(inquiryID: inquiry.id, to: .waitingForCustomer, by: staff, now: f.now)
            }
            do {
                _ = try await service.setStatus(inquiryID: inquiry.id, to: .new, by: staff, now: f.now)
                Issue.record("moved back to new")
            } catch let error as SupportError {
                #expect(error.problems.map(\.field) == ["status"])
                #expect(error.message(in: .sv).contains("kan inte bli"))
            }
            // The customer writing again opens it again.
            f.clock.advance(60)
            inquiry = try await service.addCustomerMessage(
                inquiryID: inquiry.id,
                from: access,
                text: "En fråga till.",
                ip: "192.0.2.1",
                now: f.now
            )
            #expect(inquiry.status == .open && inquiry.resolvedAt == nil)
            let history = try await service.history(inquiryID: inquiry.id)
            #expect(history.map(\.to) == [.new, .waitingForCustomer, .open, .resolved, .open])
            #expect(history.first?.at == created && history.first?.from == nil)
            // The SLA clocks' view: the ten-minute wait and the minute it was resolved before reopening pause it.
            let times = try #require(try await f.store.inquiries.times(of: [inquiry])[inquiry.id])
            #expect(times == inquiry.times(history: history))
            #expect(times.createdAt == created && times.firstResponseAt == replied && times.resolvedAt == nil)
            #expect(times.pauses.first == SLAPause(start: replied, end: replied.addingTimeInterval(600)))
            #expect(times.pauses.count == 2 && times.pauses[1].end == f.now)
            // Staff see the whole thread (audited); the customer sees it without the note.
            let thread = try await service.thread(inquiryID: inquiry.id, by: staff, now: f.now)
            #expect(thread.messages.map(\.kind) == [.customer, .note, .reply, .customer, .reply, .customer])
            #expect(thread.messages[0].text == "Vad hände med mitt kort?")
            #expect(thread.messages[1].authorID == agent.id && thread.messages[0].authorID == nil)
            let seen = try await service.customerThread(inquiryID: inquiry.id, access: access)
            #expect(seen.messages.map(\.kind) == [.customer, .reply, .customer, .reply, .customer])
            #expect(!seen.messages.contains { $0.text.contains("Card not involved") })
            #expect(try await service.customerInquiries(access).map(\.id) == [inquiry.id])
            // Another customer's page finds no such inquiry, and cannot write into it.
            let other = try await s.access(f, "C1")
            await #expect(throws: SupportError.inquiryNotFound(inquiry.id)) {
                try await service.customerThread(inquiryID: inquiry.id, access: other)
            }
            await #expect(throws: SupportError.inquiryNotFound(inquiry.id)) {
                try await service.addCustomerMessage(
                    inquiryID: inquiry.id,
                    from: other,
                    text: "hi",
                    ip: "x",
                    now: f.now
                )
            }
            #expect(try await service.customerInquiries(other).isEmpty)
            // The text is sealed: the tables hold none of it.
            let stored = try await f.database.dump("support_messages") + f.database.dump("support_inquiries")
            #expect(!stored.contains("kort") && !stored.contains("Card not involved"))
            // Every change was audited, without the text.
            let entries = try await f.store.audit.entries(AuditFilter(actionPrefix: "support"))
            #expect(
                Set(entries.map(\.action)).isSuperset(of: [
                    "support.inquiry_create", "support.note", "support.reply", "support.customer_message",
                    "support.inquiry_view",
                ])
            )
            #expect(!entries.contains { $0.detail.contains("kort") || $0.detail.contains("Card") })
        }
    }

    @Test(arguments: TestDatabases.engines)
    func badInputIsRefusedNamingTheFieldAndNothingIsSaved(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let s = try await SupportWorld.build(f)
            let service = InquiryService(store: f.store)
            let access = try await s.access(f, "C0")
            let before = try await f.database.rowCount("audit_log")
            for text in ["", "   \n\t ", String(repeating: "a", count: SupportText.maximumLength + 1)] {
                do {
                    _ = try await service.create(from: access, language: .fi, text: text, ip: "192.0.2.1", now: f.now)
                    Issue.record("accepted \(text.count) characters")
                } catch let error as SupportError {
                    #expect(error.problems.map(\.field) == ["text"])
                }
            }
            #expect(try await f.database.rowCount("support_inquiries") == 0)
            #expect(try await f.database.rowCount("support_messages") == 0)
            #expect(try await f.database.rowCount("audit_log") == before)
            // Exactly the limit is fine.
            let inquiry = try await service.create(
                from: access,
                language: .fi,
                text: String(repeating: "ä", count: SupportText.maximumLength),
                ip: "192.0.2.1",
                now: f.now
            )
            let staff = Caller(.user(1), ip: "198.51.100.20")
            await #expect(throws: SupportError.self) {
                try await service.assign(inquiryID: inquiry.id, to: 999, by: staff, now: f.now)
            }
            await #expect(throws: SupportError.self) {
                try await service.reply(inquiryID: inquiry.id, text: " ", by: staff, now: f.now)
            }
            await #expect(throws: SupportError.inquiryNotFound(4242)) {
                try await service.note(inquiryID: 4242, text: "x", by: staff, now: f.now)
            }
            #expect(try await f.database.rowCount("support_messages") == 1)
            #expect(try await f.store.inquiries.find(id: inquiry.id)?.assigneeID == nil)
            #expect(try await f.store.inquiries.find(id: inquiry.id)?.status == .new)
        }
    }

    @Test(arguments: TestDatabases.engines)
    func theInboxFiltersByIncidentStatusAndAssigneeAndPages(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let s = try await SupportWorld.build(f)
            let service = InquiryService(store: f.store)
            let agent = try await f.user("agent@example.fi", role: .agent)
            let staff = Caller(.user(agent.id), ip: "198.51.100.20")
            var ids: [Int64] = []
            for external in ["C0", "C1", "C2", "C3", "C4"] {
                let access = try await s.access(f, external)
                ids.append(
                    try await service.create(from: access, language: .en, text: "Q", ip: "192.0.2.1", now: f.now).id
                )
            }
            // Taking an inquiry opens it; giving it back leaves it open.
            #expect(try await service.assign(inquiryID: ids[0], to: agent.id, by: staff, now: f.now).status == .open)
            _ = try await service.assign(inquiryID: ids[1], to: agent.id, by: staff, now: f.now)
            _ = try await service.assign(inquiryID: ids[1], to: nil, by: staff, now: f.now)
            _ = try await service.setStatus(inquiryID: ids[2], to: .resolved, by: staff, now: f.now)
            let all = try await service.list(InquiryFilter(incidentID: s.notices.incidentID))
            #expect(all.map(\.id) == ids.reversed())
            #expect(try await service.list(InquiryFilter(incidentID: 9999)).isEmpty)
            #expect(try await service.list(InquiryFilter(assigneeID: agent.id)).map(\.id) == [ids[0]])
            #expect(try await service.list(InquiryFilter(statuses: [.new])).map(\.id) == [ids[4], ids[3]])
            #expect(try await service.list(InquiryFilter(statuses: [.open])).map(\.id) == [ids[1], ids[0]])
            #expect(try await service.list(InquiryFilter(statuses: [])).isEmpty)
            #expect(try await service.list(InquiryFilter(unassigned: true)).count == 4)
            #expect(try await service.count(InquiryFilter(statuses: [.new, .open])) == 4)
            let page1 = try await service.list(InquiryFilter(limit: 2))
            let page2 = try await service.list(InquiryFilter(beforeID: page1.last!.id, limit: 2))
            let page3 = try await service.list(InquiryFilter(beforeID: page2.last!.id, limit: 2))
            #expect((page1 + page2 + page3).map(\.id) == ids.reversed())
            #expect(
                try await f.auditActions().filter { $0 == "support.assign" || $0 == "support.status" }
                    == ["support.assign", "support.assign", "support.assign", "support.status"]
            )
        }
    }
}

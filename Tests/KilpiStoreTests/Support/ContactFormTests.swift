import Foundation
import KilpiCore
import KilpiTestSupport
import SQLKit
import Testing

@testable import KilpiStore

/// The public contact form: a one-time code proves the address; the question is then linked to the customer
/// whose address it is, and the sender's answer is the same either way. Codes expire, are used once and take few
/// wrong tries.
@Suite struct ContactFormTests {
    @Test(arguments: TestDatabases.engines)
    func aVerifiedQuestionIsLinkedToItsCustomerWithoutTellingTheSender(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let s = try await SupportWorld.build(f)
            let form = ContactFormService(store: f.store)
            let incident = s.notices.incidentID
            let known = try await form.start(
                email: " Person2@Example.com ",
                incidentID: incident,
                language: .fi,
                ip: "192.0.2.1",
                now: f.now
            )
            #expect(known.code.count == 6 && known.code.allSatisfy(\.isNumber) && known.email == "Person2@Example.com")
            #expect(known.expiresAt == f.now.addingTimeInterval(15 * 60))
            let stranger = try await form.start(
                email: "stranger@example.org",
                incidentID: incident,
                language: .en,
                ip: "192.0.2.2",
                now: f.now
            )
            // Neither the code nor the address is in the table.
            let stored = try await f.database.dump("support_verifications")
            #expect(!stored.contains(known.code) && !stored.contains("Person2") && !stored.contains(known.challenge))
            let first = try await form.submit(
                challenge: known.challenge,
                code: known.code,
                text: "Mitä tiedoilleni tapahtui?",
                language: .fi,
                ip: "192.0.2.1",
                now: f.now
            )
            let second = try await form.submit(
                challenge: stranger.challenge,
                code: stranger.code,
                text: "Am I affected?",
                language: .en,
                ip: "192.0.2.2",
                now: f.now
            )
            // The receipts carry no sign of the match; the store knows it.
            #expect(first.createdAt == second.createdAt)
            let matched = try #require(try await f.store.inquiries.find(id: first.inquiryID))
            let unmatched = try #require(try await f.store.inquiries.find(id: second.inquiryID))
            #expect(matched.customerID == s.id("C2") && matched.channel == .contactForm && matched.outboxID == nil)
            #expect(unmatched.customerID == nil && unmatched.incidentID == incident && unmatched.status == .new)
            #expect(try await f.store.inquiries.contactEmail(inquiryID: second.inquiryID) == "stranger@example.org")
            let thread = try await InquiryService(store: f.store).thread(
                inquiryID: first.inquiryID,
                by: Caller(.user(1), ip: "198.51.100.1"),
                now: f.now
            )
            #expect(thread.messages.map(\.text) == ["Mitä tiedoilleni tapahtui?"])
            // A code works once: replaying it is refused and makes nothing.
            do {
                _ = try await form.submit(
                    challenge: known.challenge,
                    code: known.code,
                    text: "again",
                    language: .fi,
                    ip: "192.0.2.1",
                    now: f.now
                )
                Issue.record("a replayed code was accepted")
            } catch let error as SupportError {
                #expect(error.problems.map(\.field) == ["code"] && error.message.contains("used already"))
            }
            #expect(try await f.database.rowCount("support_inquiries") == 2)
            let audit = try await f.store.audit.entries(AuditFilter(actionPrefix: "support"))
            #expect(audit.contains { $0.action == "support.verification_start" })
            #expect(!audit.contains { $0.detail.contains("@") || $0.target.contains("@") })
        }
    }

    @Test(arguments: TestDatabases.engines)
    func wrongExpiredAndSpentCodesAreRefusedClearly(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let s = try await SupportWorld.build(f)
            let form = ContactFormService(store: f.store)
            let incident = s.notices.incidentID
            func submit(_ challenge: String, _ code: String, text: String = "Question") async throws -> SupportError? {
                do {
                    _ = try await form.submit(
                        challenge: challenge,
                        code: code,
                        text: text,
                        language: .en,
                        ip: "192.0.2.1",
                        now: f.now
                    )
                    return nil
                } catch let error as SupportError { return error }
            }
            let v = try await form.start(
                email: "a@example.org",
                incidentID: incident,
                language: .en,
                ip: "192.0.2.1",
                now: f.now
            )
            let wrong = v.code == "000000" ? "111111" : "000000"
            // Bad text is refused before the code is looked at, so it costs no attempt.
            #expect(try await submit(v.challenge, wrong, text: " ")?.problems.map(\.field) == ["text"])
            for _ in 0..<4 {
                #expect(try await submit(v.challenge, wrong)?.message.contains("not right") == true)
            }
            // The fifth wrong code spends it; after that even the right code is refused.
            #expect(try await submit(v.challenge, wrong)?.message.contains("not right") == true)
            #expect(try await submit(v.challenge, v.code)?.message.contains("too many wrong codes") == true)
            // An unknown challenge reads like a wrong code.
            #expect(try await submit("no-such-challenge", v.code)?.message.contains("not right") == true)
            // Expired.
            let late = try await form.start(
                email: "b@example.org",
                incidentID: incident,
                language: .en,
                ip: "192.0.2.1",
                now: f.now
            )
            f.clock.advance(15 * 60)
            #expect(try await submit(late.challenge, late.code)?.message(in: .fi).contains("vanhentunut") == true)
            #expect(try await f.database.rowCount("support_inquiries") == 0)
            // Bad addresses and incidents are refused naming the field.
            for email in ["", "no-at-sign", "a@b"] {
                await #expect(throws: SupportError.self) {
                    try await form.start(email: email, incidentID: incident, language: .en, ip: "192.0.2.1", now: f.now)
                }
            }
            do {
                _ = try await form.start(
                    email: "c@example.org",
                    incidentID: 999,
                    language: .en,
                    ip: "192.0.2.1",
                    now: f.now
                )
                Issue.record("an unknown incident was accepted")
            } catch let error as SupportError {
                #expect(error.isNotFound && error.problems.map(\.field) == ["incident"])
            }
        }
    }

    @Test(arguments: TestDatabases.engines)
    func codeRequestsAreLimitedPerAddressAndPerSource(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let s = try await SupportWorld.build(f)
            let form = ContactFormService(
                store: f.store,
                settings: SupportSettings(limits: SupportLimits(verificationsPerSource: 3, verificationsPerEmail: 2))
            )
            let incident = s.notices.incidentID
            for index in 0..<2 {
                _ = try await form.start(
                    email: "victim@example.org",
                    incidentID: incident,
                    language: .en,
                    ip: "198.51.100.\(index)",
                    now: f.now
                )
            }
            do {
                _ = try await form.start(
                    email: "VICTIM@example.org",
                    incidentID: incident,
                    language: .en,
                    ip: "198.51.100.9",
                    now: f.now
                )
                Issue.record("a third code to one address")
            } catch let error as SupportError {
                #expect(error.isThrottled)
            }
            for index in 0..<3 {
                _ = try await form.start(
                    email: "p\(index)@example.org",
                    incidentID: incident,
                    language: .en,
                    ip: "203.0.113.1",
                    now: f.now
                )
            }
            await #expect(throws: SupportError.throttled) {
                try await form.start(
                    email: "p9@example.org",
                    incidentID: incident,
                    language: .en,
                    ip: "203.0.113.1",
                    now: f.now
                )
            }
            #expect(try await f.database.rowCount("support_verifications") == 5)
        }
    }
}

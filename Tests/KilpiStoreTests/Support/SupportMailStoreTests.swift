import Foundation
import KilpiCore
import KilpiTestSupport
import SQLKit
import Testing

@testable import KilpiStore

/// The support mail outbox as the store keeps it: a row with each reply and each contact-form code, written in the
/// same transaction or not at all; the right recipient, name and reference code per channel; nothing personal in
/// clear; erasure and expiry give rows up and clear what they sealed.
@Suite struct SupportMailStoreTests {
    static let staff = Caller(.user(1), ip: "198.51.100.7")

    @Test(arguments: TestDatabases.engines)
    func aReplyThatIsRefusedQueuesNoMailAndANoteQueuesNone(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let s = try await SupportWorld.build(f)
            let service = InquiryService(store: f.store)
            let inquiry = try await service.create(
                from: try await s.access(f, "C0"),
                language: .fi,
                text: "Kysymys",
                ip: "192.0.2.1",
                now: f.now
            )
            for text in ["", "   \n ", String(repeating: "x", count: 5_001)] {
                await #expect(throws: SupportError.self) {
                    _ = try await service.reply(inquiryID: inquiry.id, text: text, by: Self.staff, now: f.now)
                }
            }
            await #expect(throws: SupportError.self) {
                _ = try await service.reply(inquiryID: 987_654, text: "Vastaus", by: Self.staff, now: f.now)
            }
            // A move the state machine refuses fails the whole reply, its mail too.
            let resolved = try await service.setStatus(inquiryID: inquiry.id, to: .resolved, by: Self.staff, now: f.now)
            #expect(resolved.status == .resolved)
            await #expect(throws: SupportError.self) {
                _ = try await service.reply(
                    inquiryID: inquiry.id,
                    text: "Vastaus",
                    then: .waitingForCustomer,
                    by: Self.staff,
                    now: f.now
                )
            }
            _ = try await service.note(inquiryID: inquiry.id, text: "Sisäinen", by: Self.staff, now: f.now)
            #expect(try await f.store.supportMail.counts().isEmpty)

            _ = try await service.reply(inquiryID: inquiry.id, text: "Vastaus", by: Self.staff, now: f.now)
            #expect(try await f.store.supportMail.counts() == [.queued: 1])
            let stored = try await f.database.dump("support_mail")
            #expect(!stored.contains(SupportWorld.email("C0")) && !stored.contains("Vastaus"))
            #expect(!stored.contains(s.codes["C0"]!))
        }
    }

    @Test(arguments: TestDatabases.engines)
    func aClaimCarriesTheRecipientNameAndCodeItsChannelAllows(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let s = try await SupportWorld.build(f)
            let service = InquiryService(store: f.store)
            let byLink = try await service.create(
                from: try await s.access(f, "C0"),
                language: .sv,
                text: "Fråga",
                ip: "192.0.2.1",
                now: f.now
            )
            let form = ContactFormService(store: f.store)
            let verification = try await form.start(
                email: "Person2@Example.com",
                incidentID: s.notices.incidentID,
                language: .en,
                ip: "192.0.2.2",
                now: f.now
            )
            let receipt = try await form.submit(
                challenge: verification.challenge,
                code: verification.code,
                text: "Am I affected?",
                language: .en,
                ip: "192.0.2.2",
                now: f.now
            )
            _ = try await service.reply(inquiryID: byLink.id, text: "Svar", by: Self.staff, now: f.now)
            _ = try await service.reply(inquiryID: receipt.inquiryID, text: "Answer", by: Self.staff, now: f.now)

            let claims = try await f.store.supportMail.claim(worker: "w", limit: 10, leaseSeconds: 60, now: f.now)
            #expect(claims.map(\.kind) == [.verification, .reply, .reply])
            let code = try #require(claims.first { $0.kind == .verification })
            #expect(code.recipient == "Person2@Example.com" && code.code == verification.code)
            #expect(code.codeExpiresAt == verification.expiresAt && code.replyText == nil)
            let link = try #require(claims.first { $0.inquiryID == byLink.id })
            #expect(link.recipient == SupportWorld.email("C0") && link.replyText == "Svar" && link.language == .sv)
            #expect(link.referenceCode == s.codes["C0"] && link.recipientName != nil)
            // The contact form's inquiry matched customer C2, yet its mail shows neither their name nor a code:
            // it goes to the address that was verified.
            let contact = try #require(claims.first { $0.inquiryID == receipt.inquiryID })
            #expect(contact.recipient == "Person2@Example.com" && contact.replyText == "Answer")
            #expect(contact.recipientName == nil && contact.referenceCode == nil)
            // Claimed rows are not claimed again while the lease holds.
            #expect(try await f.store.supportMail.claim(worker: "x", limit: 10, leaseSeconds: 60, now: f.now).isEmpty)
        }
    }

    @Test(arguments: TestDatabases.engines)
    func erasureGivesUpTheCustomersPendingMailAndClearsItsAddress(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let s = try await SupportWorld.build(f)
            let service = InquiryService(store: f.store)
            let inquiry = try await service.create(
                from: try await s.access(f, "C0"),
                language: .fi,
                text: "Kysymys",
                ip: "192.0.2.1",
                now: f.now
            )
            _ = try await service.reply(inquiryID: inquiry.id, text: "Vastaus", by: Self.staff, now: f.now)
            #expect(
                try await DataSubjectRights(store: f.store).erase(
                    customerID: s.id("C0"),
                    actor: "user:1",
                    ip: "198.51.100.1",
                    now: f.now
                )
            )
            #expect(try await f.store.supportMail.claim(worker: "w", limit: 10, leaseSeconds: 60, now: f.now).isEmpty)
            let state = try #require(try await f.store.supportMail.states(inquiryID: inquiry.id).values.first)
            #expect(state.state == .failed && state.lastError == "erased")
            let sealed = try await f.database.read { sql in
                try await sql.raw("SELECT recipient_sealed FROM support_mail").first()?.decode(
                    column: "recipient_sealed",
                    as: String?.self
                )
            }
            #expect(sealed == nil)
        }
    }

    @Test(arguments: TestDatabases.engines)
    func aCodeThatExpiredUnsentIsGivenUpAndPrunedADayLater(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let s = try await SupportWorld.build(f)
            let form = ContactFormService(store: f.store)
            _ = try await form.start(
                email: "late@example.org",
                incidentID: s.notices.incidentID,
                language: .fi,
                ip: "192.0.2.3",
                now: f.now
            )
            let later = f.now.addingTimeInterval(15 * 60)
            #expect(try await f.store.supportMail.claim(worker: "w", limit: 10, leaseSeconds: 60, now: later).isEmpty)
            #expect(try await f.store.supportMail.counts() == [.failed: 1])
            let row = try #require(
                try await f.database.read { sql in
                    try await sql.raw("SELECT code_sealed, recipient_sealed, last_error FROM support_mail").first()
                }
            )
            #expect(try row.decode(column: "code_sealed", as: String?.self) == nil)
            #expect(try row.decode(column: "recipient_sealed", as: String?.self) == nil)
            #expect(try row.decode(column: "last_error", as: String?.self) == "expired")

            // The sweeper: a queued code past its expiry fails without a claim; finished code rows go after a day.
            _ = try await form.start(
                email: "other@example.org",
                incidentID: s.notices.incidentID,
                language: .fi,
                ip: "192.0.2.4",
                now: f.now
            )
            let chore = f.store.supportMail.pruneChore()
            #expect(try await chore.perform(on: f.database, at: later) == 1)
            #expect(try await f.store.supportMail.counts() == [.failed: 2])
            #expect(try await chore.perform(on: f.database, at: later.addingTimeInterval(86_401)) == 2)
            #expect(try await f.store.supportMail.counts().isEmpty)
        }
    }
    @Test(arguments: TestDatabases.engines)
    func rotationResealsPendingAddressesAndCodes(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let s = try await SupportWorld.build(f)
            let service = InquiryService(store: f.store)
            let inquiry = try await service.create(
                from: try await s.access(f, "C0"),
                language: .fi,
                text: "Kysymys",
                ip: "192.0.2.1",
                now: f.now
            )
            _ = try await service.reply(inquiryID: inquiry.id, text: "Vastaus", by: Self.staff, now: f.now)
            let verification = try await ContactFormService(store: f.store).start(
                email: "stranger@example.org",
                incidentID: s.notices.incidentID,
                language: .en,
                ip: "192.0.2.1",
                now: f.now
            )
            let oldKey = f.store.vault.ring.current.id
            let columns = Set(try await KeyRetirement.usage(of: oldKey, in: f.database).map(\.column))
            #expect(columns.isSuperset(of: ["support_mail.recipient_sealed", "support_mail.code_sealed"]))
            let newRing = f.store.vault.ring.adding()
            _ = try await KeyRotation(database: f.database, vault: Vault(ring: newRing), batchSize: 2).run()
            #expect(
                !(try await KeyRetirement.usage(of: oldKey, in: f.database).contains { $0.column.hasPrefix("support_") })
            )
            let store = Store(database: f.database, vault: Vault(ring: newRing.retiringOldKeys()))
            let claims = try await store.supportMail.claim(worker: "w", limit: 10, leaseSeconds: 60, now: f.now)
            #expect(claims.map(\.recipient) == [SupportWorld.email("C0"), "stranger@example.org"])
            #expect(claims.last?.code == verification.code && claims.first?.replyText == "Vastaus")
        }
    }
}

import Foundation
import KilpiCore
import KilpiTestSupport
import SQLKit
import Testing

@testable import KilpiStore

/// Support texts and addresses are sealed by the vault: a key rotation re-seals them, a key cannot be retired while
/// one still needs it, and the threads open under the new key alone afterwards.
@Suite struct SupportKeyRotationTests {
    @Test(arguments: TestDatabases.engines)
    func rotationResealsMessagesAndAddresses(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let s = try await SupportWorld.build(f)
            let service = InquiryService(store: f.store)
            let asked = try await service.create(
                from: try await s.access(f, "C0"),
                language: .fi,
                text: "Kysymys",
                ip: "192.0.2.1",
                now: f.now
            )
            _ = try await service.note(
                inquiryID: asked.id,
                text: "Muistiinpano",
                by: Caller(.user(1), ip: "x"),
                now: f.now
            )
            let form = ContactFormService(store: f.store)
            let verification = try await form.start(
                email: "stranger@example.org",
                incidentID: s.notices.incidentID,
                language: .en,
                ip: "192.0.2.1",
                now: f.now
            )
            let receipt = try await form.submit(
                challenge: verification.challenge,
                code: verification.code,
                text: "Question",
                language: .en,
                ip: "192.0.2.1",
                now: f.now
            )
            let oldKey = f.store.vault.ring.current.id
            let columns = Set(try await KeyRetirement.usage(of: oldKey, in: f.database).map(\.column))
            #expect(
                columns.isSuperset(of: [
                    "support_messages.text_sealed", "support_inquiries.contact_email_sealed",
                    "support_verifications.email_sealed",
                ])
            )
            let newRing = f.store.vault.ring.adding()
            _ = try await KeyRotation(database: f.database, vault: Vault(ring: newRing), batchSize: 2).run()
            #expect(
                !(try await KeyRetirement.usage(of: oldKey, in: f.database).contains { $0.column.hasPrefix("support_") })
            )
            let store = Store(database: f.database, vault: Vault(ring: newRing.retiringOldKeys()))
            let rotated = InquiryService(store: store)
            let thread = try await rotated.thread(inquiryID: asked.id, by: Caller(.user(1), ip: "x"), now: f.now)
            #expect(thread.messages.map(\.text) == ["Kysymys", "Muistiinpano"])
            #expect(try await store.inquiries.contactEmail(inquiryID: receipt.inquiryID) == "stranger@example.org")
        }
    }
}

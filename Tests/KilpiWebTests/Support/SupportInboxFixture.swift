import Foundation
import KilpiCore
import KilpiStore
import Testing

@testable import KilpiWeb

/// Inquiries for the staff-side web tests, made through the real use cases: a contact-form question (verified by
/// its code) on an incident, and the incident itself.
enum SupportInboxFixture {
    /// A new contact-form inquiry on `incidentID` from `email`, asked at the app's clock; returns its id.
    static func inquiry(
        _ app: WebTestApp,
        incidentID: Int64,
        email: String = "asker@example.org",
        text: String = "Was my card number exposed?",
        language: Language = .en
    ) async throws -> Int64 {
        let form = ContactFormService(store: app.store)
        let started = try await form.start(
            email: email,
            incidentID: incidentID,
            language: language,
            ip: "192.0.2.50",
            now: app.clock.now
        )
        return try await form.submit(
            challenge: started.challenge,
            code: started.code,
            text: text,
            language: language,
            ip: "192.0.2.50",
            now: app.clock.now
        ).inquiryID
    }

    /// An incident of `severity` with one active commander.
    static func incident(
        _ app: WebTestApp,
        severity: Severity = .sev2,
        title: String = "Shop breach"
    ) async throws
        -> Incident
    {
        var commander = try await app.store.users.find(email: "support-commander@example.com")
        if commander == nil {
            commander = try await app.store.users.create(
                email: "support-commander@example.com",
                displayName: "Commander",
                role: .responder,
                status: .active,
                now: app.clock.now
            )
        }
        return try await app.store.incidents.declare(
            IncidentDraft(title: title, kinds: [.dataBreach], severity: severity),
            commanderID: commander!.id,
            playbooks: [],
            actor: "test",
            now: app.clock.now
        )
    }
}

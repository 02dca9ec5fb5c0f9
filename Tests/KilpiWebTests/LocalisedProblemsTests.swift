import Foundation
import HTTPTypes
import HummingbirdTesting
import KilpiCore
import KilpiStore
import KilpiTestSupport
import Testing

@testable import KilpiWeb

/// Bad input on a console form is answered in the reader's language, naming the field, with nothing saved; the
/// timeline's events are shown in the reader's language too.
@Suite struct LocalisedProblemsTests {
    @Test(arguments: [
        (
            Language.fi,
            [
                "title: kirjoita 1–200 merkkiä",
                "severity: valitse jokin näistä: SEV1, SEV2, SEV3, SEV4",
                "commander: valitse tilannejohtaja",
                "kinds: tuntematon uhkatyyppi &quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;",
                "aware_at: &quot;soon&quot; ei ole aika (VVVV-KK-PPTHH:MM, UTC)",
            ]
        ),
        (
            .sv,
            [
                "title: skriv 1–200 tecken",
                "severity: välj en av: SEV1, SEV2, SEV3, SEV4",
                "commander: välj incidentledare",
                "kinds: okänd hottyp &quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;",
                "aware_at: &quot;soon&quot; är inte en tidpunkt (ÅÅÅÅ-MM-DDTHH:MM, UTC)",
            ]
        ),
    ])
    func aBadDeclarationIsAnsweredInTheReadersLanguageAndSavesNothing(
        language: Language,
        expected: [String]
    ) async throws {
        try await WebTestApp.run { app in
            let responder = try await app.login(try await app.makeStaff(.responder))
            let response = try await WebTestApp.post(
                app,
                responder,
                Routes.incidentCreate.path(),
                language: language,
                [
                    ("title", " "), ("kinds", "<script>alert(1)</script>"), ("severity", "SEV9"),
                    ("aware_at", "soon"),
                ]
            )
            #expect(response.status == .badRequest)
            let page = WebTestApp.text(response)
            #expect(page.contains("<html lang=\"\(language.rawValue)\">"))
            for problem in expected { #expect(page.contains(problem), "\(language): no \(problem)") }
            #expect(!page.contains("<script>alert(1)"))
            #expect(!page.contains("enter 1 to 200 characters"))
            #expect(try await app.store.incidents.list(now: app.clock.now).isEmpty)
        }
    }

    @Test(arguments: [
        (
            Language.fi, "&quot;lots&quot; ei ole luku",
            "Tila: Havaittu → Selvitetään — logs &lt;b&gt;arrived&lt;/b&gt;",
            "Muutos"
        ),
        (
            .sv, "&quot;lots&quot; är inte ett tal", "Status: Upptäckt → Analyseras — logs &lt;b&gt;arrived&lt;/b&gt;",
            "Ändring"
        ),
    ])
    func aBadImpactFormChangesNothingAndTheTimelineReadsInTheSameLanguage(
        language: Language,
        problem: String,
        statusLine: String,
        changeBadge: String
    ) async throws {
        try await WebTestApp.run { app in
            let staff = try await app.makeStaff(.responder)
            let responder = try await app.login(staff)
            let incident = try await app.store.incidents.declare(
                IncidentDraft(title: "Shop database copied", kinds: [.dataBreach], severity: .sev2),
                commanderID: staff.user.id,
                playbooks: [],
                actor: "anna@example.fi",
                now: app.clock.now
            )
            try await app.store.incidents.setStatus(
                id: incident.id,
                to: .analysing,
                reason: "logs <b>arrived</b>",
                actor: "anna@example.fi",
                now: app.clock.now
            )
            let before = try await app.store.incidents.impactAssumptions(id: incident.id)
            let response = try await WebTestApp.post(
                app,
                responder,
                Routes.incidentImpactUpdate.path(id: incident.id),
                language: language,
                [("annual_turnover", "lots"), ("currency", "EUR")]
            )
            #expect(response.status == .badRequest)
            #expect(WebTestApp.text(response).contains("annual_turnover: \(problem)"))
            #expect(try await app.store.incidents.impactAssumptions(id: incident.id) == before)

            let page = WebTestApp.text(
                try await app.request(
                    .get,
                    Routes.incident.path(id: incident.id),
                    cookies: [RouteRegistry.sessionCookie: responder.sessionID, "kilpi_lang": language.rawValue]
                )
            )
            #expect(page.contains(statusLine), "\(language)")
            #expect(page.contains("<span class=\"badge\">\(changeBadge)</span>"))
            #expect(!page.contains("<span class=\"badge\">change</span>"))
            #expect(!page.contains("Declared a SEV2 incident"))
        }
    }

    @Test func aRefusedLessonsEditSaysWhyInSwedishAndKeepsTheOldText() async throws {
        try await WebTestApp.run { app in
            let staff = try await app.makeStaff(.responder)
            let responder = try await app.login(staff)
            let incident = try await app.store.incidents.declare(
                IncidentDraft(title: "Shop database copied", kinds: [.dataBreach], severity: .sev2),
                commanderID: staff.user.id,
                playbooks: [],
                actor: "anna@example.fi",
                now: app.clock.now
            )
            let response = try await WebTestApp.post(
                app,
                responder,
                Routes.incidentLessons.path(id: incident.id),
                language: .sv,
                [("lessons", String(repeating: "x", count: 50_001))]
            )
            #expect(response.status == .badRequest)
            #expect(WebTestApp.text(response).contains("lessons: högst 50000 tecken"))
            #expect(try await app.store.incidents.find(id: incident.id)?.lessons == "")
        }
    }

    @Test(arguments: [
        (Language.en, "status: cannot move from detected to closed; allowed next: analysing"),
        (.fi, "status: tilasta detected ei voi siirtyä tilaan closed; sallitut seuraavat: analysing"),
        (.sv, "status: kan inte gå från detected till closed; tillåtna härnäst: analysing"),
    ])
    func aRefusedStatusMoveIsNamedOnceInTheReadersLanguage(language: Language, expected: String) async throws {
        try await WebTestApp.run { app in
            let staff = try await app.makeStaff(.responder)
            let responder = try await app.login(staff)
            let incident = try await app.store.incidents.declare(
                IncidentDraft(title: "Shop database copied", kinds: [.dataBreach], severity: .sev2),
                commanderID: staff.user.id,
                playbooks: [],
                actor: "anna@example.fi",
                now: app.clock.now
            )
            let response = try await WebTestApp.post(
                app,
                responder,
                Routes.incidentStatus.path(id: incident.id),
                language: language,
                [("status", "closed")]
            )
            #expect(response.status == .conflict)
            let page = WebTestApp.text(response)
            #expect(page.contains(expected), "\(language)")
            #expect(!page.contains("status: status:"))
            #expect(try await app.store.incidents.find(id: incident.id)?.status == .detected)
        }
    }
}

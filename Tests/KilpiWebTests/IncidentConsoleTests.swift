import Foundation
import HTTPTypes
import HummingbirdTesting
import KilpiCore
import KilpiStore
import KilpiTestSupport
import Testing

@testable import KilpiWeb

/// Incidents through the console as responders use them: declare, run, scope, impact, review, plan.
@Suite struct IncidentConsoleTests {
    static let boundary = "kilpi-incident-boundary-Zx81"

    /// A small data map: two systems, five customers, holdings inside and outside a window.
    static func seedDataMap(_ app: WebTestApp) async throws -> (shop: Int64, crm: Int64) {
        let store = app.store
        try await store.dataMap.installCatalogue(now: app.clock.now)
        try await store.playbooks.installDefaults(try DefaultPlaybooks.all(), now: app.clock.now)
        let csv = "name,kind,owner,location,encrypted_at_rest\nShop,web_shop,IT,Helsinki,no\nCRM,crm,Sales,EU,yes\n"
        _ = try await DataMapImporter(database: store.database, vault: store.vault).importData(
            .systems,
            data: Data(csv.utf8)
        )
        _ = try await DataMapImporter(database: store.database, vault: store.vault).importData(
            .customers,
            data: Data(
                """
                external_id,name,email,phone,language,country,region
                A1,Aino Äkräs,aino@example.com,,fi,FI,
                A2,Bertil Åström,bertil@example.com,,sv,SE,
                A3,Carol Smith,carol@example.com,,en,US,CA
                A4,Dan Jones,dan@example.com,,en,US,TX
                A5,Eeva Outside,eeva@example.com,,fi,FI,

                """.utf8
            )
        )
        _ = try await DataMapImporter(database: store.database, vault: store.vault).importData(
            .holdings,
            data: Data(
                """
                external_id,system,category,held_from,held_until
                A1,Shop,email,2026-01-01,
                A1,Shop,payment_card,2026-01-01,
                A2,Shop,email,2026-01-01,2026-10-31
                A3,CRM,phone,2026-01-01,
                A4,Shop,name,2026-11-05,
                A5,Shop,email,2026-01-01,2026-06-30

                """.utf8
            )
        )
        let systems = try await store.dataMap.summaries().map(\.system)
        return (systems.first { $0.name == "Shop" }!.id, systems.first { $0.name == "CRM" }!.id)
    }

    func multipart(_ fields: [(String, String, String?)]) -> String {
        var body = ""
        for (name, value, filename) in fields {
            body += "--\(Self.boundary)\r\n"
            body +=
                filename.map {
                    "Content-Disposition: form-data; name=\"\(name)\"; filename=\"\($0)\"\r\nContent-Type: text/csv\r\n\r\n"
                } ?? "Content-Disposition: form-data; name=\"\(name)\"\r\n\r\n"
            body += value + "\r\n"
        }
        return body + "--\(Self.boundary)--\r\n"
    }

    func scope(
        _ app: WebTestApp,
        _ login: WebTestApp.Login,
        _ id: Int64,
        _ fields: [(String, String, String?)]
    ) async throws -> TestResponse {
        try await app.request(
            .post,
            Routes.incidentScopeCreate.path(id: id),
            headers: [.contentType: "multipart/form-data; boundary=\(Self.boundary)"],
            cookies: [RouteRegistry.sessionCookie: login.sessionID],
            body: multipart([("_csrf", login.csrf, nil)] + fields)
        )
    }

    func declare(_ app: WebTestApp, _ login: WebTestApp.Login, commander: Int64) async throws -> Int64 {
        let response = try await app.post(
            Routes.incidentCreate.path(),
            login,
            form: [
                "title": "Card data skimmed <script>", "summary": "Checkout page altered.", "kinds": "data_breach",
                "kinds": "malware",
                "severity": "SEV1", "occurred_at": "2026-11-01T08:00", "commander": String(commander),
            ]
        )
        #expect(
            response.status == .seeOther || response.status == .found,
            "\(response.status) \(WebTestApp.text(response).prefix(400))"
        )
        let location = try #require(response.headers[.location])
        return try #require(Int64(location.split(separator: "/").last!))
    }

    @Test func declareRunAndReviewAnIncident() async throws {
        try await WebTestApp.run { app in
            _ = try await Self.seedDataMap(app)
            let responderStaff = try await app.makeStaff(.responder)
            var responder = try await app.login(responderStaff)
            let id = try await declare(app, responder, commander: responderStaff.user.id)
            let incident = try #require(try await app.store.incidents.find(id: id))
            #expect(incident.kinds == [.dataBreach, .malware] && incident.severity == .sev1)
            #expect(incident.times.occurredAt == FormTime.parse("2026-11-01T08:00"))

            let page = WebTestApp.text(try await app.get(Routes.incident.path(id: id), responder))
            #expect(page.contains("Card data skimmed &lt;script&gt;"), "titles are escaped")
            let tasks = try await app.store.incidents.tasks(incidentID: id)
            #expect(tasks.count > 10 && page.contains(tasks[0].title.en.replacingOccurrences(of: "'", with: "&#39;")))
            #expect(try await app.store.audit.entries(AuditFilter(actionPrefix: "incident.declare")).count == 1)

            // Refused and allowed status moves.
            let refused = try await app.post(Routes.incidentStatus.path(id: id), responder, form: ["status": "closed"])
            #expect(
                refused.status == .conflict && WebTestApp.text(refused).contains("cannot move from detected to closed")
            )
            let contained = try await app.post(
                Routes.incidentStatus.path(id: id),
                responder,
                form: ["status": "contained", "reason": "page restored"]
            )
            #expect(contained.status == .seeOther || contained.status == .found)
            #expect(try await app.store.incidents.find(id: id)?.status == .contained)

            // Overdue tasks stand out on the incident page and the dashboard.
            app.clock.advance(tasks[0].dueAt.timeIntervalSince(app.clock.now) + 3600)
            responder = try await app.login(responderStaff)  // the old session idled out while the clock moved
            let later = WebTestApp.text(try await app.get(Routes.incident.path(id: id), responder))
            #expect(later.contains("class=\"overdue\"") && later.contains("task(s) overdue"))
            #expect(WebTestApp.text(try await app.get(Routes.dashboard.path(), responder)).contains("Overdue tasks"))
            let done = try await app.post(
                Routes.incidentTask.path(["id": String(id), "task": String(tasks[0].id)]),
                responder,
                form: ["done": "1"]
            )
            #expect(done.status == .seeOther || done.status == .found)
            #expect(try await app.store.incidents.tasks(incidentID: id)[0].doneAt != nil)

            // A decision on the timeline, then the printable review shows it with the response times.
            #expect(
                try await app.post(
                    Routes.incidentEntry.path(id: id),
                    responder,
                    form: ["kind": "decision", "visibility": "internal", "text": "Rotate all API keys"]
                ).status != .badRequest
            )
            #expect(
                try await app.post(
                    Routes.incidentEntry.path(id: id),
                    responder,
                    form: ["kind": "notice", "text": "Notified the Data Protection Ombudsman"]
                ).status != .badRequest
            )
            #expect(
                try await app.post(
                    Routes.incidentLessons.path(id: id),
                    responder,
                    form: ["lessons": "Integrity monitoring on checkout pages."]
                ).status != .badRequest
            )
            let review = WebTestApp.text(try await app.get(Routes.incidentReview.path(id: id), responder))
            #expect(
                review.contains("Rotate all API keys") && review.contains("Integrity monitoring on checkout pages.")
                    && review.contains("Time to notify")
            )
            #expect(!review.contains("<dd>–</dd>\n<dt>Time to contain"), "time to detect is known")
        }
    }

    @Test func badDetailsAreNamedAndNothingIsSaved() async throws {
        try await WebTestApp.run { app in
            _ = try await Self.seedDataMap(app)
            let staff = try await app.makeStaff(.responder)
            let responder = try await app.login(staff)
            let response = try await app.post(
                Routes.incidentCreate.path(),
                responder,
                form: [
                    "title": "", "severity": "SEV9", "occurred_at": "yesterday", "contained_at": "2026-01-01T00:00",
                    "detected_at": "2026-02-01T00:00", "commander": String(staff.user.id),
                ]
            )
            #expect(response.status == .badRequest)
            let text = WebTestApp.text(response)
            for field in ["title:", "kinds:", "severity:", "occurred_at:"] {
                #expect(text.contains(field), "\(field) not named")
            }
            #expect(try await app.store.incidents.list(now: app.clock.now).isEmpty)

            let id = try await declare(app, responder, commander: staff.user.id)
            let bad = try await app.post(
                Routes.incidentUpdate.path(id: id),
                responder,
                form: [
                    "title": "Renamed", "kinds": "data_breach", "severity": "SEV2", "occurred_at": "2026-11-01T08:00",
                    "contained_at": "2026-10-01T08:00",
                ]
            )
            #expect(
                bad.status == .badRequest
                    && WebTestApp.text(bad).contains("contained_at: must not be before occurred_at")
            )
            #expect(try await app.store.incidents.find(id: id)?.title == "Card data skimmed <script>")
        }
    }

    @Test func scopeExposureAndExportThroughTheConsole() async throws {
        try await WebTestApp.run { app in
            let (shop, crm) = try await Self.seedDataMap(app)
            let staff = try await app.makeStaff(.responder)
            let responder = try await app.login(staff)
            let viewer = try await app.login(try await app.makeStaff(.viewer))
            let id = try await declare(app, responder, commander: staff.user.id)
            let window =
                [("window_start", "2026-11-01T00:00", nil), ("window_end", "2026-11-14T23:59", nil)]
                as [(String, String, String?)]

            let first = try await scope(app, responder, id, [("systems", String(shop), nil)] + window)
            #expect(
                first.status == .seeOther || first.status == .found,
                "\(first.status) \(WebTestApp.text(first).prefix(600))"
            )
            let v1 = try #require(try await app.store.scopes.latest(incidentID: id))
            // A1 (email, card), A2 (email, held until 31 Oct: before the window), A4 (name from 5 Nov); A5 ended in June.
            #expect(v1.summary.customers == 2 && v1.summary.byCategory == ["email": 1, "payment_card": 1, "name": 1])
            #expect(v1.summary.byPlace == ["FI": 1, "US-TX": 1])

            let second = try await scope(
                app,
                responder,
                id,
                [("systems", String(shop), nil), ("systems", String(crm), nil)] + window + [("note", "CRM too", nil)]
            )
            #expect(second.status == .seeOther || second.status == .found)
            let page = WebTestApp.text(try await app.get(Routes.incidentScope.path(id: id), responder))
            // Matched with the sample's label: a bare "A3" also turns up by chance in the page's random tokens.
            #expect(
                page.contains("+1") && page.contains("Added, first 1: A3") && page.contains("CRM too"),
                "the diff names the added customer to a role that may see it"
            )
            let viewerPage = WebTestApp.text(try await app.get(Routes.incidentScope.path(id: id), viewer))
            #expect(
                viewerPage.contains("+1") && !viewerPage.contains("Added, first") && !viewerPage.contains(": A3"),
                "viewers see counts only"
            )

            // Affected customers: names for PII roles (audited), refused to viewers.
            let list = try await app.get(Routes.incidentExposure.path(id: id), responder)
            #expect(
                list.status == .ok && WebTestApp.text(list).contains("Aino Äkräs")
                    && WebTestApp.text(list).contains("carol@example.com")
            )
            #expect(try await app.get(Routes.incidentExposure.path(id: id), viewer).status == .forbidden)
            let csv = try await app.post(Routes.incidentExposureCSV.path(id: id), responder)
            let lines = WebTestApp.text(csv).split(separator: "\r\n", omittingEmptySubsequences: true).map(String.init)
            #expect(lines.first == "external_id,name,email,phone,language,country,region,categories")
            #expect(Set(lines.dropFirst().map { String($0.split(separator: ",")[0]) }) == ["A1", "A3", "A4"])
            #expect(
                lines.contains { $0.hasPrefix("A1,Aino Äkräs,aino@example.com,") && $0.hasSuffix("email;payment_card") }
            )
            #expect(try await app.store.audit.entries(AuditFilter(actionPrefix: "exposure.export")).count == 1)
            #expect(try await app.store.audit.entries(AuditFilter(actionPrefix: "exposure.view")).count == 1)

            // Bad scopes: each named, nothing saved.
            let backwards = try await scope(
                app,
                responder,
                id,
                [
                    ("systems", String(shop), nil), ("window_start", "2026-11-14T00:00", nil),
                    ("window_end", "2026-11-01T00:00", nil),
                ]
            )
            #expect(
                backwards.status == .badRequest
                    && WebTestApp.text(backwards).contains("window_end: the window ends before it starts")
            )
            let none = try await scope(app, responder, id, window)
            #expect(
                none.status == .badRequest
                    && WebTestApp.text(none).contains("systems: choose at least one affected system")
            )
            let unknown = try await scope(app, responder, id, [("systems", "424242", nil)] + window)
            #expect(unknown.status == .badRequest && WebTestApp.text(unknown).contains("unknown system id 424242"))
            let badList = try await scope(
                app,
                responder,
                id,
                [("systems", String(shop), nil)] + window + [("customers", "id\nA1\n", "ids.csv")]
            )
            #expect(badList.status == .badRequest && WebTestApp.text(badList).contains("customers: line 1"))
            let strangers = try await scope(
                app,
                responder,
                id,
                [("systems", String(shop), nil)] + window + [("customers", "external_id\nA1\nZZ9\n", "ids.csv")]
            )
            #expect(
                strangers.status == .badRequest
                    && WebTestApp.text(strangers).contains("unknown customer id &quot;ZZ9&quot;")
            )
            #expect(try await app.store.scopes.versions(incidentID: id).count == 2)
        }
    }

    @Test func impactEstimateIsEditableAndChecked() async throws {
        try await WebTestApp.run { app in
            let (shop, _) = try await Self.seedDataMap(app)
            let staff = try await app.makeStaff(.responder)
            let responder = try await app.login(staff)
            let id = try await declare(app, responder, commander: staff.user.id)
            _ = try await app.store.scopes.create(
                incidentID: id,
                ScopeDraft(
                    systemIDs: [shop],
                    windowStart: FormTime.parse("2026-11-01T00:00")!,
                    windowEnd: FormTime.parse("2026-11-14T00:00")!
                ),
                actor: "t",
                now: app.clock.now
            )
            let page = WebTestApp.text(try await app.get(Routes.incidentImpact.path(id: id), responder))
            #expect(page.contains("IDC consumer survey 2017") && page.contains("Art. 83(4)"))
            let saved = try await app.post(
                Routes.incidentImpactUpdate.path(id: id),
                responder,
                form: [
                    "currency": "EUR", "annual_turnover": "1000000000", "fine_tier": "art83_5",
                    "cost_per_record.low": "1", "cost_per_record.likely": "2", "cost_per_record.high": "3",
                    "cost_per_record.source": "Our own incident costs 2025",
                ]
            )
            #expect(saved.status == .seeOther, "\(saved.status)")
            let assumptions = try await app.store.incidents.impactAssumptions(id: id)
            #expect(
                assumptions.costPerRecord.value == Range3(1, 2, 3) && assumptions.fineTier == .article83_5
                    && assumptions.costPerRecord.source == "Our own incident costs 2025"
            )
            let estimate = ImpactEstimate(affectedCustomers: 2, assumptions: assumptions)
            #expect(
                WebTestApp.text(try await app.get(Routes.incidentImpact.path(id: id), responder)).contains(
                    IncidentAnalysisViews.number(estimate.total.likely)
                )
            )
            let bad = try await app.post(
                Routes.incidentImpactUpdate.path(id: id),
                responder,
                form: ["churn_rate.high": "lots", "fine_share.low": "0.5", "fine_share.likely": "0.1"]
            )
            #expect(
                bad.status == .badRequest
                    && WebTestApp.text(bad).contains("churn_rate.high: &quot;lots&quot; is not a number")
                    && WebTestApp.text(bad).contains("fine_share:")
            )
            #expect(try await app.store.incidents.impactAssumptions(id: id) == assumptions)
        }
    }

    @Test func planPageChecksAndEditsThePlanAndPlaybooks() async throws {
        try await WebTestApp.run { app in
            _ = try await Self.seedDataMap(app)
            let responder = try await app.login(try await app.makeStaff(.responder))
            let viewer = try await app.login(try await app.makeStaff(.viewer))
            let page = WebTestApp.text(try await app.get(Routes.plan.path(), viewer))
            #expect(
                page.contains("No named person for the role Incident commander")
                    && page.contains("The contact list has no cyber insurer")
            )
            #expect(
                !page.contains("<textarea id=\"document\"") && !page.contains("name=\"role.commander.name\""),
                "viewers cannot edit the plan"
            )
            #expect(
                WebTestApp.text(try await app.get(Routes.plan.path(), responder)).contains(
                    "name=\"role.commander.name\""
                )
            )

            // The plan as a form: a contact without a phone or an email is refused, and what was typed comes back.
            let missingReach = try await app.post(
                Routes.planUpdate.path(),
                responder,
                form: [
                    "role.commander.name": "Aino Virtanen", "contact.kind": "legal", "contact.name": "Laki & Co",
                    "contact.phone": "", "contact.email": "",
                ]
            )
            let missingText = WebTestApp.text(missingReach)
            #expect(
                missingReach.status == .badRequest
                    && missingText.contains("contacts[0]: give a phone number or an email address")
            )
            #expect(
                missingText.contains("value=\"Aino Virtanen\"") && missingText.contains("value=\"Laki &amp; Co\""),
                "typed values survive a refusal, escaped"
            )
            let torn = try await app.post(
                Routes.planUpdate.path(),
                responder,
                form: [
                    "contact.kind": "legal", "contact.kind": "pr", "contact.name": "A", "contact.phone": "1",
                    "contact.email": "",
                ]
            )
            #expect(torn.status == .badRequest && WebTestApp.text(torn).contains("contact rows arrived incomplete"))
            #expect(try await app.store.playbooks.plan() == ResponsePlan(), "refused forms change nothing")

            // Filled in, blank rows left out: saved, and the check's findings about people and contacts go.
            let rows: KeyValuePairs<String, String> = [
                "role.commander.name": "Aino Virtanen", "role.commander.phone": "+358 40 123",
                "role.commander.email": "",
                "role.legal.name": "", "role.legal.phone": "", "role.legal.email": "",
                "contact.kind": "legal", "contact.name": "Laki Oy", "contact.phone": "+358 9 1", "contact.email": "",
                "contact.kind": "pr", "contact.name": "Viesti Oy", "contact.phone": "",
                "contact.email": "pr@example.fi",
                "contact.kind": "insurer", "contact.name": "Vakuutus Oy", "contact.phone": "+358 9 2",
                "contact.email": "",
                "contact.kind": "authority", "contact.name": "Tietosuojavaltuutettu",
                "contact.phone": "+358 29 566 6700", "contact.email": "",
                "contact.kind": "other", "contact.name": "", "contact.phone": "", "contact.email": "",
                "exercise.date": "2026-10-01", "exercise.description": "Tabletop: ransomware",
                "exercise.date": "", "exercise.description": "",
            ]
            let saved = try await app.post(Routes.planUpdate.path(), responder, form: rows)
            #expect(saved.status == .seeOther, "\(WebTestApp.text(saved))")
            let plan = try await app.store.playbooks.plan()
            #expect(plan.roles == [.commander: .init(name: "Aino Virtanen", phone: "+358 40 123")])
            #expect(
                plan.contacts.map(\.kind) == [.legal, .pr, .insurer, .authority]
                    && plan.contacts[1].email == "pr@example.fi"
            )
            #expect(
                plan.exercises.map(\.description) == ["Tabletop: ransomware"]
                    && plan.exercises.map { UTCDay.format($0.date) } == ["2026-10-01"]
            )
            let checked = WebTestApp.text(try await app.get(Routes.plan.path(), viewer))
            #expect(
                !checked.contains("The contact list has no") && !checked.contains("role Incident commander")
                    && checked.contains("Tabletop: ransomware")
            )

            let bad = try await app.post(
                Routes.planUpdate.path(),
                responder,
                form: ["document": #"{"contacts": [{"kind": "lawyer", "name": "X", "phone": "1"}]}"#]
            )
            #expect(bad.status == .badRequest && WebTestApp.text(bad).contains("contacts[0].kind: unknown kind"))
            let good = ResponsePlan(
                roles: [.commander: .init(name: "Aino", phone: "1")],
                contacts: ResponsePlan.ContactKind.required.map { .init(kind: $0, name: "C", phone: "1") }
            )
            #expect(
                try await app.post(Routes.planUpdate.path(), responder, form: ["document": good.json()]).status
                    != .badRequest
            )
            let after = WebTestApp.text(try await app.get(Routes.plan.path(), viewer))
            #expect(!after.contains("The contact list has no") && !after.contains("role Incident commander"))

            let playbook = try #require(try await app.store.playbooks.find(id: "data-breach"))
            let broken = playbook.json().replacingOccurrences(
                of: "\"owner\" : \"legal\"",
                with: "\"owner\" : \"lawyer\""
            )
            let refused = try await app.post(
                Routes.playbookUpdate.path(["id": "data-breach"]),
                responder,
                form: ["document": broken]
            )
            #expect(
                refused.status == .badRequest
                    && WebTestApp.text(refused).contains(".owner: unknown role &quot;lawyer&quot;")
            )
            #expect(try await app.store.playbooks.find(id: "data-breach") == playbook)
            #expect(
                try await app.post(
                    Routes.playbookUpdate.path(["id": "data-breach"]),
                    viewer,
                    form: ["document": playbook.json()]
                ).status == .forbidden
            )
        }
    }

    @Test func spotChecksOfIncidentPermissions() async throws {
        try await WebTestApp.run { app in
            _ = try await Self.seedDataMap(app)
            let staff = try await app.makeStaff(.responder)
            let responder = try await app.login(staff)
            let id = try await declare(app, responder, commander: staff.user.id)
            let viewer = try await app.login(try await app.makeStaff(.viewer))
            let communicator = try await app.login(try await app.makeStaff(.communicator))
            let agent = try await app.login(try await app.makeStaff(.agent))
            #expect(try await app.get(Routes.incidents.path(), viewer).status == .ok)
            #expect(try await app.post(Routes.incidentCreate.path(), viewer, form: ["title": "x"]).status == .forbidden)
            #expect(
                try await app.post(Routes.incidentStatus.path(id: id), communicator, form: ["status": "analysing"])
                    .status == .forbidden
            )
            #expect(
                try await app.post(
                    Routes.incidentEntry.path(id: id),
                    communicator,
                    form: ["kind": "notice", "text": "Customers emailed"]
                ).status != .forbidden
            )
            #expect(
                try await app.post(Routes.incidentEntry.path(id: id), agent, form: ["kind": "note", "text": "x"]).status
                    == .forbidden
            )
            #expect(try await app.get(Routes.incidentExposure.path(id: id), agent).status == .ok)
            #expect(try await app.store.incidents.find(id: id)?.status == .detected)
        }
    }
}

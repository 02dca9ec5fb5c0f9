import Foundation
import HTTPTypes
import KilpiCore
import KilpiStore
import KilpiTestSupport
import Testing

@testable import KilpiWeb

/// The security measures register over HTTP: an incident's "strengthen security" task starts a measure (the form
/// comes prefilled, the incident page then shows the measure's state), responders keep it, only a trust-center
/// keeper shows it publicly, the public page and JSON carry no owner, due day or evidence, and bad input comes
/// back with its fields named and nothing stored.
@Suite("Security measures register over HTTP")
struct MeasureRegisterTests {
    static func incident(_ app: WebTestApp, commander: WebTestApp.Staff) async throws -> Incident {
        try await app.store.incidents.declare(
            IncidentDraft(title: "Contractor account taken over", kinds: [.dataBreach], severity: .sev2),
            commanderID: commander.user.id,
            playbooks: try DefaultPlaybooks.all().filter { $0.threatKind == .dataBreach },
            actor: "test",
            now: app.clock.now
        )
    }

    @Test(arguments: TestDatabases.engines)
    func anIncidentTaskBecomesAMeasureShownPubliclyOnlyWhenACommunicatorSaysSo(engine: SQLEngine) async throws {
        try await WebTestApp.run(engine) { app in
            let responderStaff = try await app.makeStaff(.responder, name: "Rita Responder")
            let responder = try await app.login(responderStaff)
            let communicator = try await app.login(try await app.makeStaff(.communicator))
            let incident = try await Self.incident(app, commander: responderStaff)
            let task = try #require(
                try await app.store.incidents.tasks(incidentID: incident.id).first { $0.purpose == .securityHardening }
            )
            // The incident page offers to track the task as a measure…
            let incidentPage = WebTestApp.text(try await app.get(Routes.incident.path(id: incident.id), responder))
            let start = "\(Routes.measures.path())?task=\(task.id)"
            #expect(incidentPage.contains(start))
            // …and the register's form starts from it.
            let form = WebTestApp.text(try await app.get(start, responder))
            #expect(form.contains("name=\"task\" value=\"\(task.id)\""))
            #expect(form.contains("name=\"incident\" value=\"\(incident.id)\""))

            let hostile = "<script>alert(1)</script> =HYPERLINK(\"x\")"
            let created = try await app.post(
                Routes.measureCreate.path(),
                responder,
                form: [
                    "area": "authentication", "language": "en", "title": hostile,
                    "summary": "Contractors sign in with a one-time code too.", "status": "in_progress",
                    "owner": "\(responderStaff.user.id)", "due_on": "2026-12-24",
                    "evidence": "Change request CR-88 secret-evidence", "incident": "\(incident.id)",
                    "task": "\(task.id)",
                ]
            )
            #expect(created.status == .seeOther || created.status == .found, "\(WebTestApp.text(created).prefix(1500))")
            let id = try #require(Int64(created.headers[.location]?.split(separator: "/").last ?? ""))
            let measure = try #require(try await app.store.measures.find(id: id))
            #expect(measure.taskID == task.id && measure.incidentID == incident.id && !measure.isPublic)
            // The incident page now shows the measure and its state instead of the link.
            let tracked = WebTestApp.text(try await app.get(Routes.incident.path(id: incident.id), responder))
            #expect(tracked.contains(Routes.measure.path(id: id)) && tracked.contains("In progress"))
            #expect(!tracked.contains(start) && !tracked.contains("<script>alert(1)"))
            // A second measure for the same task is refused, named on the task field.
            let twice = try await app.post(
                Routes.measureCreate.path(),
                responder,
                form: [
                    "area": "other", "language": "en", "title": "Again", "summary": "Again", "status": "planned",
                    "incident": "\(incident.id)", "task": "\(task.id)",
                ]
            )
            #expect(twice.status == .badRequest && WebTestApp.text(twice).contains("already tracks this task"))

            // Not public until a communicator says so: a responder may not.
            #expect(!WebTestApp.text(try await app.get(Routes.publicMeasures.path())).contains("HYPERLINK"))
            let refused = try await app.post(Routes.measureVisibility.path(id: id), responder, form: ["public": "1"])
            #expect(refused.status == .forbidden)
            #expect(try await app.store.measures.find(id: id)?.isPublic == false)
            let shown = try await app.post(Routes.measureVisibility.path(id: id), communicator, form: ["public": "1"])
            #expect(shown.status == .seeOther || shown.status == .found)

            let page = WebTestApp.text(try await app.get(Routes.publicMeasures.path()))
            #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !page.contains("<script>alert(1)"))
            #expect(page.contains("In progress") && page.contains("Authentication"))
            #expect(!page.contains("secret-evidence") && !page.contains("Rita Responder"))
            let json = try WebTestApp.json(try await app.get(Routes.publicMeasuresAPI.path()))
            let listed = try #require(json["measures"] as? [[String: Any]])
            #expect(listed.count == 1 && listed.first?["status"] as? String == "in_progress")
            #expect(listed.first?["evidence"] == nil && listed.first?["owner"] == nil)
            // Editing the measure (done now) keeps it public and clears the kept public page.
            let done = try await app.post(
                Routes.measureUpdate.path(id: id),
                responder,
                form: [
                    "area": "authentication", "language": "en", "title": "Two-step sign-in for contractors",
                    "summary": "Contractors sign in with a one-time code too.", "status": "in_place",
                    "last_reviewed_on": "2026-12-01", "incident": "\(incident.id)", "task": "\(task.id)",
                ]
            )
            #expect(done.status == .seeOther || done.status == .found, "\(WebTestApp.text(done).prefix(1500))")
            let after = WebTestApp.text(try await app.get(Routes.publicMeasures.path()))
            #expect(after.contains("Two-step sign-in for contractors") && after.contains("In place"))
            let home = WebTestApp.text(try await app.get(Routes.root.path()))
            #expect(home.contains("Security measures: 1 in place, 0 planned or in progress."))
            // Taken off again: gone from the public page. Each change is audited.
            _ = try await app.post(Routes.measureVisibility.path(id: id), communicator, form: ["public": "0"])
            #expect(!WebTestApp.text(try await app.get(Routes.publicMeasures.path())).contains("contractors"))
            let actions = try await app.store.audit.entries(AuditFilter(limit: 50)).map(\.action).filter {
                $0.hasPrefix("measure.")
            }
            #expect(actions.sorted() == ["measure.create", "measure.hide", "measure.show", "measure.update"])
        }
    }

    @Test(arguments: TestDatabases.engines)
    func badInputIsRefusedFieldByFieldAndOthersMayOnlyLook(engine: SQLEngine) async throws {
        try await WebTestApp.run(engine) { app in
            let responder = try await app.login(try await app.makeStaff(.responder))
            let viewer = try await app.login(try await app.makeStaff(.viewer))
            let bad = try await app.post(
                Routes.measureCreate.path(),
                responder,
                form: [
                    "area": "magic", "language": "de", "title": String(repeating: "x", count: 300), "summary": " ",
                    "status": "in_place", "due_on": "2026-02-30", "findings_total": "3", "findings_closed": "5",
                    "owner": "987654", "task": "12",
                ]
            )
            #expect(bad.status == .badRequest)
            let text = WebTestApp.text(bad)
            for field in [
                "area", "language", "title", "summary", "due_on", "findings_closed", "last_reviewed_on", "incident",
            ] {
                #expect(text.contains("id=\"\(field)-problems\""), "\(field)")
            }
            #expect(text.contains("2026-02-30") && text.contains("more findings closed than found"))
            // A user that does not exist is refused by the store, with the field named.
            let owner = try await app.post(
                Routes.measureCreate.path(),
                responder,
                form: [
                    "area": "backups", "language": "en", "title": "T", "summary": "S", "status": "planned",
                    "owner": "987654",
                ]
            )
            #expect(owner.status == .badRequest && WebTestApp.text(owner).contains("id=\"owner-problems\""))
            #expect(try await app.store.measures.list().isEmpty)
            // A viewer sees the register but may not add to it; nobody signed out sees it at all.
            #expect(try await app.get(Routes.measures.path(), viewer).status == .ok)
            let denied = try await app.post(
                Routes.measureCreate.path(),
                viewer,
                form: ["area": "backups", "language": "en", "title": "T", "summary": "S", "status": "planned"]
            )
            #expect(denied.status == .forbidden)
            #expect(try await app.get(Routes.measures.path()).status != .ok)
            #expect(try await app.store.measures.list().isEmpty)
            // Swedish readers get Swedish area and state names.
            let made = try await app.store.measures.create(
                MeasureInput(
                    area: .backups,
                    language: .en,
                    title: "Daily backups",
                    summary: "Kept 35 days.",
                    status: .planned
                ),
                by: Caller(.system, ip: "127.0.0.1"),
                now: app.clock.now
            )
            _ = try await app.store.measures.setPublic(
                id: made.id,
                true,
                by: Caller(.system, ip: "127.0.0.1"),
                now: app.clock.now
            )
            let swedish = WebTestApp.text(try await app.get(Routes.publicMeasures.path() + "?lang=sv"))
            #expect(
                swedish.contains("Säkerhetskopior") && swedish.contains("Planerad") && swedish.contains("lang=\"en\"")
            )
        }
    }
}

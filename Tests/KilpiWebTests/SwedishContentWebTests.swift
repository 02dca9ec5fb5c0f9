import Foundation
import KilpiCore
import KilpiStore
import KilpiTestSupport
import Testing

@testable import KilpiWeb

/// A Swedish reader of the console sees the shipped playbooks, the tasks made from them, the plan check and the
/// category advice in Swedish, not marked as English.
@Suite struct SwedishContentWebTests {
    @Test func aSwedishReaderSeesTasksPlaybooksFindingsAndAdviceInSwedish() async throws {
        try await WebTestApp.run { app in
            _ = try await IncidentConsoleTests.seedDataMap(app)
            let staff = try await app.makeStaff(.responder)
            let responder = try await app.login(staff)
            let id = try await IncidentConsoleTests().declare(app, responder, commander: staff.user.id)
            let cookies = [RouteRegistry.sessionCookie: responder.sessionID, "kilpi_lang": "sv"]
            let breach = try #require(try DefaultPlaybooks.all().first { $0.threatKind == .dataBreach })
            let step = try #require(breach.steps.first)
            let stepTitle = try #require(step.title.sv)
            let item = try #require(step.checklist.first?.sv)

            let page = WebTestApp.text(try await app.request(.get, Routes.incident.path(id: id), cookies: cookies))
            #expect(page.contains("<summary>\(stepTitle)</summary>"), "the task's title is the step's Swedish")
            #expect(page.contains(item))
            #expect(!page.contains(step.title.en) && !page.contains("<span lang=\"en\">\(step.title.en)"))

            let playbook = WebTestApp.text(
                try await app.request(.get, Routes.playbook.path(["id": breach.id]), cookies: cookies)
            )
            #expect(playbook.contains("<h1>Dataintrång</h1>") && playbook.contains("<strong>\(stepTitle)</strong>"))
            #expect(playbook.contains("ändra eller ta bort också dess sv"), "the editor says what sv is for")

            let plan = WebTestApp.text(try await app.request(.get, "/console/plan", cookies: cookies))
            #expect(plan.contains("<a href=\"/console/playbooks/data-breach\">Dataintrång</a>"))
            #expect(plan.contains("Ingen person är utsedd för rollen Incidentledare."), "plan findings in Swedish")
            #expect(!plan.contains("No named person for the role"))

            let systems = WebTestApp.text(try await app.request(.get, "/console/systems", cookies: cookies))
            #expect(systems.contains("<td>Enbart ditt namn är till liten nytta för brottslingar"))
        }
    }

    @Test func thePlanCheckAPICarriesTheSwedish() async throws {
        try await WebTestApp.run { app in
            try await app.store.playbooks.installDefaults(try DefaultPlaybooks.all(), now: app.clock.now)
            let response = try await app.api(
                .get,
                Routes.apiPlanCheck.path(),
                token: try await app.makeToken(.viewer).secret
            )
            let body = try JSONSerialization.jsonObject(with: Data(WebTestApp.text(response).utf8)) as? [String: Any]
            let items = try #require(body?["items"] as? [[String: Any]])
            #expect(!items.isEmpty)
            for item in items {
                for field in ["problem", "why", "fix"] {
                    let text = item[field] as? [String: String]
                    #expect(text?["sv"]?.isEmpty == false && text?["sv"] != text?["en"], "\(field) of \(item)")
                }
            }
        }
    }
}

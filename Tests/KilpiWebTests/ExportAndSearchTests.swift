import Foundation
import HTTPTypes
import HummingbirdTesting
import KilpiCore
import KilpiStore
import KilpiTestSupport
import Testing

@testable import KilpiWeb

/// Issue 9, finding 4 and item 13: exports defuse spreadsheet formulas; export, the affected-customers download and
/// the customer search are POSTs with the session's CSRF token (no GET with side effects); the bulk download is a
/// permission of its own.
@Suite struct ExportAndSearchTests {
    static let formulaName = #"=HYPERLINK("http://x","y")"#

    /// A shop holding two customers' emails (one with a formula for a name), an incident and its scope.
    static func seed(_ app: WebTestApp) async throws -> (incident: Int64, customer: Int64) {
        let store = app.store
        try await store.dataMap.installCatalogue(now: app.clock.now)
        let importer = DataMapImporter(database: store.database, vault: store.vault)
        _ = try await importer.importData(
            .systems,
            data: Data("name,kind,owner,location,encrypted_at_rest\nShop,web_shop,IT,Helsinki,no\n".utf8)
        )
        let customers =
            CSVWriter.line(["external_id", "name", "email", "phone", "language", "country", "region"], formulas: .keep)
            + CSVWriter.line(["F1", formulaName, "f1@example.com", "+358401234567", "fi", "FI", ""], formulas: .keep)
            + CSVWriter.line(["@F2", "Plain Name", "f2@example.com", "", "en", "FI", ""], formulas: .keep)
        _ = try await importer.importData(.customers, data: Data(customers.utf8))
        _ = try await importer.importData(
            .holdings,
            data: Data(
                (CSVWriter.line(["external_id", "system", "category", "held_from", "held_until"], formulas: .keep)
                    + CSVWriter.line(["F1", "Shop", "email", "2026-01-01", ""], formulas: .keep)
                    + CSVWriter.line(["@F2", "Shop", "email", "2026-01-01", ""], formulas: .keep)).utf8
            )
        )
        try await store.playbooks.installDefaults(try DefaultPlaybooks.all(), now: app.clock.now)
        let commander = try await app.makeStaff(
            .responder,
            email: "commander-\(UUID().uuidString.prefix(6))@example.com"
        )
        let incident = try await store.incidents.declare(
            IncidentDraft(title: "Export test", kinds: [.dataBreach], severity: .sev2),
            commanderID: commander.user.id,
            playbooks: try await store.playbooks.all(),
            actor: "test",
            now: app.clock.now
        )
        let shop = try #require(try await store.dataMap.summaries().first { $0.system.name == "Shop" }).system.id
        _ = try await store.scopes.create(
            incidentID: incident.id,
            ScopeDraft(
                systemIDs: [shop],
                windowStart: Date(timeIntervalSince1970: 1_790_000_000),
                windowEnd: Date(timeIntervalSince1970: 1_800_000_000)
            ),
            actor: "test",
            now: app.clock.now
        )
        let customer = try #require(try await store.customers.find(externalID: "F1")).id
        return (incident.id, customer)
    }

    static func auditCount(_ app: WebTestApp, _ prefix: String) async throws -> Int {
        try await app.store.audit.entries(AuditFilter(actionPrefix: prefix)).count
    }

    // Finding 4: the customer named `=HYPERLINK(...)` came out of the download as a live formula.
    @Test func theAffectedCustomersDownloadDefusesFormulas() async throws {
        try await WebTestApp.run { app in
            let (incident, _) = try await Self.seed(app)
            let responder = try await app.login(try await app.makeStaff(.responder))
            let csv = try await app.post(Routes.incidentExposureCSV.path(id: incident), responder)
            #expect(csv.status == .ok)
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            var reader = CSVReader()
            let records = try reader.feed(Array(WebTestApp.text(csv).utf8)) + reader.finish()
            let rows = records.dropFirst().map(\.fields)
            #expect(rows.count == 2)
            let f1 = try #require(rows.first { $0[0] == "F1" })
            #expect(f1[1] == "'" + Self.formulaName, "the name is text, not a formula")
            #expect(f1[3] == "'+358401234567")
            #expect(rows.contains { $0[0] == "'@F2" && $0[1] == "Plain Name" })
            for row in rows {
                #expect(!row.contains { CSVWriter.startsFormula($0) }, "\(row)")
            }
        }
    }

    @Test func downloadsAndSearchAreRefusedAsGetAndWithoutCSRF() async throws {
        try await WebTestApp.run { app in
            let (incident, customer) = try await Self.seed(app)
            let admin = try await app.login(try await app.makeStaff(.admin))
            let exportsBefore = try await Self.auditCount(app, "exposure.export")
            let rightsBefore = try await Self.auditCount(app, "customer.export")
            let searchesBefore = try await Self.auditCount(app, "customer.search")

            // A link (GET) does nothing: no download, no audit entry.
            let csvByLink = try await app.get(Routes.incidentExposureCSV.path(id: incident), admin)
            #expect(csvByLink.status != .ok && !WebTestApp.text(csvByLink).contains("f1@example.com"))
            let exportByLink = try await app.get(Routes.customerExport.path(id: customer), admin)
            #expect(exportByLink.status != .ok && !WebTestApp.text(exportByLink).contains("f1@example.com"))
            let searchByLink = try await app.get(Routes.customers.path() + "?q=f1%40example.com", admin)
            #expect(searchByLink.status == .ok, "the GET is the empty form")
            #expect(!WebTestApp.text(searchByLink).contains("f1@example.com"), "a GET searches nothing")

            // A POST from another site (no or a wrong token) is refused.
            for path in [
                Routes.incidentExposureCSV.path(id: incident), Routes.customerExport.path(id: customer),
                Routes.customerSearch.path(),
            ] {
                let forged = try await app.post(
                    path,
                    form: ["_csrf": "forged", "q": "f1@example.com"],
                    session: admin.sessionID
                )
                #expect(forged.status == .forbidden, "\(path)")
                #expect(!WebTestApp.text(forged).contains("f1@example.com"))
            }
            #expect(try await Self.auditCount(app, "exposure.export") == exportsBefore)
            #expect(try await Self.auditCount(app, "customer.export") == rightsBefore)
            #expect(try await Self.auditCount(app, "customer.search") == searchesBefore)

            // The forms on the pages post with the token, and work.
            let exposurePage = WebTestApp.text(try await app.get(Routes.incidentExposure.path(id: incident), admin))
            #expect(
                exposurePage.contains(
                    "<form method=\"post\" action=\"\(Routes.incidentExposureCSV.path(id: incident))\"><input type=\"hidden\" name=\"_csrf\""
                )
            )
            let customerPage = WebTestApp.text(try await app.get(Routes.customer.path(id: customer), admin))
            #expect(
                customerPage.contains("<form method=\"post\" action=\"\(Routes.customerExport.path(id: customer))\">")
            )
            let searchPage = WebTestApp.text(try await app.get(Routes.customers.path(), admin))
            #expect(searchPage.contains("<form method=\"post\" action=\"\(Routes.customerSearch.path())\">"))

            #expect(try await app.post(Routes.incidentExposureCSV.path(id: incident), admin).status == .ok)
            let export = try await app.post(Routes.customerExport.path(id: customer), admin)
            #expect(export.status == .ok && WebTestApp.text(export).contains("f1@example.com"))
            #expect(export.headers[.cacheControl] == "no-store")
            let found = try await app.post(Routes.customerSearch.path(), admin, form: ["q": "F1@EXAMPLE.COM"])
            #expect(found.status == .ok && WebTestApp.text(found).contains("f1@example.com"))
            #expect(found.headers[.location] == nil, "the results are the answer itself, not a redirect to a URL")
            #expect(try await Self.auditCount(app, "exposure.export") == exportsBefore + 1)
            #expect(try await Self.auditCount(app, "customer.search") == searchesBefore + 1)
            let searches = try await app.store.audit.entries(AuditFilter(actionPrefix: "customer.search"))
            #expect(
                !searches.contains { $0.detail.lowercased().contains("f1@") || $0.target.lowercased().contains("f1@") }
            )

            // Bad input names the field and searches nothing.
            let empty = try await app.post(Routes.customerSearch.path(), admin, form: ["q": "  "])
            #expect(empty.status == .badRequest && WebTestApp.text(empty).contains("q: enter a customer id"))
            #expect(try await Self.auditCount(app, "customer.search") == searchesBefore + 1)
        }
    }

    // Item 13: support agents look customers up one at a time; they do not download everyone.
    @Test func onlyRolesWithExposureExportDownloadTheList() async throws {
        try await WebTestApp.run { app in
            let (incident, _) = try await Self.seed(app)
            // Hard-coded, not read from AccessPolicy, so a policy mistake shows here.
            let expected: [Role: Bool] = [
                .admin: true, .responder: true, .communicator: true, .agent: false, .viewer: false,
            ]
            for role in Role.allCases {
                if role == .admin { app.clock.advance(30) }
                let login = try await app.login(try await app.makeStaff(role))
                let csv = try await app.post(Routes.incidentExposureCSV.path(id: incident), login)
                let allowed = try #require(expected[role])
                #expect((csv.status == .ok) == allowed, "\(role): \(csv.status)")
                #expect(WebTestApp.text(csv).contains("f1@example.com") == allowed, "\(role)")
                let page = WebTestApp.text(try await app.get(Routes.incidentExposure.path(id: incident), login))
                #expect(page.contains(Routes.incidentExposureCSV.path(id: incident)) == allowed, "\(role): the button")
            }
            // Agents still look up one customer.
            let agent = try await app.login(try await app.makeStaff(.agent))
            let found = try await app.post(Routes.customerSearch.path(), agent, form: ["q": "F1"])
            #expect(found.status == .ok && WebTestApp.text(found).contains("f1@example.com"))
        }
    }
}

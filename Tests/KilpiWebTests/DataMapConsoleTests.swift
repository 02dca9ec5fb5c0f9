import Foundation
import HTTPTypes
import HummingbirdTesting
import KilpiCore
import KilpiStore
import KilpiTestSupport
import NIOCore
import Testing

@testable import KilpiWeb

@Suite struct DataMapConsoleTests {
    static let boundary = "kilpi-test-boundary-7MA4YWxkTrZu0gW"

    func multipart(_ fields: [(name: String, value: String, filename: String?)]) -> String {
        var body = ""
        for field in fields {
            body += "--\(Self.boundary)\r\n"
            if let filename = field.filename {
                body +=
                    "Content-Disposition: form-data; name=\"\(field.name)\"; filename=\"\(filename)\"\r\nContent-Type: text/csv\r\n\r\n"
            } else {
                body += "Content-Disposition: form-data; name=\"\(field.name)\"\r\n\r\n"
            }
            body += field.value + "\r\n"
        }
        return body + "--\(Self.boundary)--\r\n"
    }

    func upload(
        _ app: WebTestApp,
        _ login: WebTestApp.Login,
        kind: String,
        csv: String,
        csrf: String? = nil
    ) async throws -> TestResponse {
        try await app.request(
            .post,
            Routes.importSubmit.path(),
            headers: [.contentType: "multipart/form-data; boundary=\(Self.boundary)"],
            cookies: [RouteRegistry.sessionCookie: login.sessionID],
            body: multipart([("_csrf", csrf ?? login.csrf, nil), ("kind", kind, nil), ("file", csv, "data.csv")])
        )
    }

    @Test func uploadSearchViewExportAndErase() async throws {
        try await WebTestApp.run { app in
            try await app.store.dataMap.installCatalogue(now: app.clock.now)
            let admin = try await app.login(try await app.makeStaff(.admin))

            let systems = try await upload(
                app,
                admin,
                kind: "systems",
                csv: "name,kind,owner,location,encrypted_at_rest\nShop,web_shop,IT,Helsinki,no\n"
            )
            #expect(systems.status == .ok)
            #expect(WebTestApp.text(systems).contains("Imported 1 rows: 1 new"))
            let customers = try await upload(
                app,
                admin,
                kind: "customers",
                csv:
                    "external_id,name,email,phone,language,country,region\nW-1,Wilma Åström,wilma@example.com,,sv,FI,\n"
            )
            #expect(WebTestApp.text(customers).contains("1 new"))
            let holdings = try await upload(
                app,
                admin,
                kind: "holdings",
                csv: "external_id,system,category,held_from,held_until\nW-1,Shop,email,2025-01-01,\n"
            )
            #expect(WebTestApp.text(holdings).contains("1 new"))

            // A bad file: the problem names line and column, nothing is written.
            let bad = try await upload(
                app,
                admin,
                kind: "customers",
                csv: "external_id,name,email,phone,language,country,region\nW-2,X,broken,,fi,FI,\n"
            )
            #expect(bad.status == .badRequest)
            #expect(WebTestApp.text(bad).contains("line 2, column email: not a valid email address"))
            #expect(try await app.store.customers.find(externalID: "W-2") == nil)

            // CSRF applies to uploads too.
            let forged = try await upload(
                app,
                admin,
                kind: "customers",
                csv: "external_id,name,email,phone,language,country,region\nW-3,X,x@example.com,,fi,FI,\n",
                csrf: "forged"
            )
            #expect(forged.status == .forbidden)
            #expect(try await app.store.customers.find(externalID: "W-3") == nil)

            // Systems page: counts per category.
            let systemsPage = WebTestApp.text(try await app.get(Routes.systems.path(), admin))
            #expect(systemsPage.contains("Shop") && systemsPage.contains("1 customers"))

            // Search by exact email (any case) and by id; the search text is not written to the audit log.
            let found = WebTestApp.text(
                try await app.post(Routes.customerSearch.path(), admin, form: ["q": "WILMA@example.com"])
            )
            #expect(found.contains("Wilma Åström"))
            let customer = try #require(try await app.store.customers.find(externalID: "W-1"))
            let page = WebTestApp.text(try await app.get(Routes.customer.path(id: customer.id), admin))
            #expect(page.contains("wilma@example.com") && page.contains("Shop") && page.contains("2025-01-01"))
            let audit = try await app.store.audit.entries(AuditFilter(actionPrefix: "customer"))
            #expect(audit.contains { $0.action == "customer.view" && $0.target == "customer:\(customer.id)" })
            #expect(audit.contains { $0.action == "customer.search" })
            #expect(!audit.contains { $0.detail.contains("wilma") || $0.target.contains("wilma") })

            // Export (Art. 15) as a JSON download.
            let export = try await app.post(Routes.customerExport.path(id: customer.id), admin)
            #expect(export.headers[.contentDisposition]?.contains("attachment") == true)
            #expect(WebTestApp.text(export).contains("\"email\" : \"wilma@example.com\""))

            // Erasure (Art. 17) needs the id typed in.
            let refused = try await app.post(
                Routes.customerErase.path(id: customer.id),
                admin,
                form: ["confirm": "wrong"]
            )
            #expect(refused.status == .badRequest)
            #expect(try await app.store.customers.find(id: customer.id)?.erasedAt == nil)
            let erased = try await app.post(Routes.customerErase.path(id: customer.id), admin, form: ["confirm": "W-1"])
            #expect(erased.status == .seeOther)
            #expect(try await app.store.customers.find(id: customer.id)?.email == nil)
            #expect(try await app.store.dataMap.holdingCount() == 1)
        }
    }

    @Test func viewersSeeCountsButNoPersonalData() async throws {
        try await WebTestApp.run { app in
            try await DemoDataMap.seed(store: app.store, customers: 25, now: app.clock.now)
            let viewer = try await app.login(try await app.makeStaff(.viewer))
            let systems = try await app.get(Routes.systems.path(), viewer)
            #expect(systems.status == .ok)
            #expect(WebTestApp.text(systems).contains("25 customers"))
            #expect(!WebTestApp.text(systems).contains("@example."))
            let customer = try #require(try await app.store.customers.find(externalID: "AUR-000001"))
            #expect(try await app.get(Routes.customer.path(id: customer.id), viewer).status == .forbidden)
            #expect(
                try await app.post(Routes.customerSearch.path(), viewer, form: ["q": "AUR-000001"]).status == .forbidden
            )
            // An agent may look (to help the customer); the view is audited.
            let agent = try await app.login(try await app.makeStaff(.agent))
            #expect(try await app.get(Routes.customer.path(id: customer.id), agent).status == .ok)
            #expect(try await app.post(Routes.customerExport.path(id: customer.id), agent).status == .forbidden)
        }
    }
}

@Suite struct CategoryEditingTests {
    @Test func responderEditsAdviceAndBadInputChangesNothing() async throws {
        try await WebTestApp.run { app in
            try await app.store.dataMap.installCatalogue(now: app.clock.now)
            let responder = try await app.login(try await app.makeStaff(.responder))
            let form = try await app.get(Routes.categoryEdit.path(["id": "credentials"]), responder)
            #expect(form.status == .ok)
            let saved = try await app.post(
                Routes.categoryUpdate.path(["id": "credentials"]),
                responder,
                form: [
                    "name_en": "Login details", "name_fi": "Kirjautumistiedot", "sensitivity": "high",
                    "advice_en": "Change your password now.", "advice_fi": "Vaihda salasanasi heti.",
                ]
            )
            #expect(saved.status == .seeOther)
            let after = try #require(try await app.store.dataMap.categories().first { $0.id == "credentials" })
            #expect(after.nameEN == "Login details" && after.adviceFI == "Vaihda salasanasi heti.")
            let bad = try await app.post(
                Routes.categoryUpdate.path(["id": "credentials"]),
                responder,
                form: [
                    "name_en": "", "name_fi": "X", "sensitivity": "extreme", "advice_en": "a", "advice_fi": "b",
                ]
            )
            #expect(bad.status == .badRequest)
            #expect(WebTestApp.text(bad).contains("name_en: enter 1 to 100 characters"))
            #expect(WebTestApp.text(bad).contains("sensitivity: choose one of"))
            #expect(try await app.store.dataMap.categories().first { $0.id == "credentials" } == after)
            #expect(try await app.store.audit.entries(AuditFilter(actionPrefix: "category")).count == 1)
            // Shipping the catalogue again does not overwrite the edit.
            try await app.store.dataMap.installCatalogue(now: app.clock.now)
            #expect(
                try await app.store.dataMap.categories().first { $0.id == "credentials" }?.nameEN == "Login details"
            )
        }
    }
}

import Foundation
import HTTPTypes
import HummingbirdTesting
import KilpiCore
import KilpiStore
import KilpiTestSupport
import Testing

@testable import KilpiWeb

/// A refused CSV import, scope upload, playbook or plan edit says what is wrong in the reader's language, naming the
/// line (and column) or the field, with the file's own text escaped, and saves nothing.
@Suite struct ParserMessagesWebTests {
    static let boundary = "kilpi-parser-boundary-Q7v2"

    static func multipart(_ fields: [(String, String, String?)]) -> String {
        var body = ""
        for (name, value, filename) in fields {
            body += "--\(boundary)\r\n"
            body +=
                filename.map {
                    "Content-Disposition: form-data; name=\"\(name)\"; filename=\"\($0)\"\r\nContent-Type: text/csv\r\n\r\n"
                } ?? "Content-Disposition: form-data; name=\"\(name)\"\r\n\r\n"
            body += value + "\r\n"
        }
        return body + "--\(boundary)--\r\n"
    }

    static func upload(
        _ app: WebTestApp,
        _ login: WebTestApp.Login,
        _ uri: String,
        language: Language,
        _ fields: [(String, String, String?)]
    ) async throws -> TestResponse {
        try await app.request(
            .post,
            uri,
            headers: [.contentType: "multipart/form-data; boundary=\(boundary)"],
            cookies: [RouteRegistry.sessionCookie: login.sessionID, "kilpi_lang": language.rawValue],
            body: multipart([("_csrf", login.csrf, nil)] + fields)
        )
    }

    /// The page is in `language`, says each of `expected`, shows no English reason and nothing unescaped.
    static func expectPage(
        _ response: TestResponse,
        _ language: Language,
        says expected: [String],
        notInEnglish english: [String],
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(response.status == .badRequest, sourceLocation: sourceLocation)
        let page = WebTestApp.text(response)
        #expect(page.contains("<html lang=\"\(language.rawValue)\">"), sourceLocation: sourceLocation)
        for text in expected {
            #expect(page.contains(text), "\(language): no \(text)", sourceLocation: sourceLocation)
        }
        for text in english { #expect(!page.contains(text), "\(language): \(text)", sourceLocation: sourceLocation) }
        #expect(!page.contains("<script>alert(1)"), sourceLocation: sourceLocation)
        #expect(!page.contains("<b>XX</b>"), sourceLocation: sourceLocation)
    }

    // MARK: - Data-map import

    @Test(arguments: [
        (
            Language.fi,
            [
                "rivi 2, sarake email: ei kelvollinen sähköpostiosoite",
                "rivi 3, sarake country: tuntematon maakoodi &quot;&lt;b&gt;XX&lt;/b&gt;&quot;",
            ],
            "rivi 1: tuntematon sarake &quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;; pakollisia sarakkeita puuttuu:",
            "rivi 2, sarake name: lainausmerkeissä oleva kenttä ei pääty lainausmerkkiin",
            "kind: valitse systems, customers tai holdings"
        ),
        (
            .sv,
            [
                "rad 2, kolumn email: ingen giltig e-postadress",
                "rad 3, kolumn country: okänd landskod &quot;&lt;b&gt;XX&lt;/b&gt;&quot;",
            ],
            "rad 1: okänd kolumn &quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;; obligatoriska kolumner saknas:",
            "rad 2, kolumn name: ett citerat fält saknar avslutande citattecken",
            "kind: välj systems, customers eller holdings"
        ),
    ])
    func aBadImportIsAnsweredInTheReadersLanguageAndWritesNothing(
        language: Language,
        rowProblems: [String],
        headerProblem: String,
        quoteProblem: String,
        kindProblem: String
    ) async throws {
        try await WebTestApp.run { app in
            try await app.store.dataMap.installCatalogue(now: app.clock.now)
            let admin = try await app.login(try await app.makeStaff(.admin))
            func importing(_ kind: String, _ csv: String) async throws -> TestResponse {
                try await Self.upload(
                    app,
                    admin,
                    Routes.importSubmit.path(),
                    language: language,
                    [("kind", kind, nil), ("file", csv, "customers.csv")]
                )
            }
            let header = "external_id,name,email,phone,language,country,region\n"
            let rows = try await importing(
                "customers",
                header + "W-1,A,broken,,fi,FI,\nW-2,B,b@example.com,,fi,<b>XX</b>,\nW-3,C,c@example.com,,fi,FI,\n"
            )
            Self.expectPage(
                rows,
                language,
                says: rowProblems,
                notInEnglish: ["not a valid email address", "line 2", "unknown country code"]
            )
            Self.expectPage(
                try await importing("customers", "external_id,<script>alert(1)</script>\nW-4,x\n"),
                language,
                says: [headerProblem],
                notInEnglish: ["unknown column", "line 1"]
            )
            Self.expectPage(
                try await importing("customers", header + "W-5,\"A,,,fi,FI,\n"),
                language,
                says: [quoteProblem],
                notInEnglish: ["unterminated quoted field"]
            )
            Self.expectPage(
                try await importing("<script>alert(1)</script>", header),
                language,
                says: [kindProblem],
                notInEnglish: ["choose systems"]
            )
            #expect(try await app.store.customers.count() == 0, "nothing of a refused file is written")
            #expect(try await app.store.audit.entries(AuditFilter(actionPrefix: "import.")).isEmpty)
        }
    }

    // MARK: - Scope upload

    @Test(arguments: [
        (
            Language.fi,
            "customers: rivi 3, sarake 1: external_id on tyhjä",
            "customers: rivi 1, sarake 1: tuntematon sarake &quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;; pakollinen sarake puuttuu: external_id; sarakkeet voivat olla: external_id"
        ),
        (
            .sv,
            "customers: rad 3, kolumn 1: external_id är tomt",
            "customers: rad 1, kolumn 1: okänd kolumn &quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;; obligatorisk kolumn saknas: external_id; kolumnerna kan vara: external_id"
        ),
    ])
    func aBadCustomerListIsAnsweredInTheReadersLanguageAndSavesNoScope(
        language: Language,
        emptyID: String,
        badHeader: String
    ) async throws {
        try await WebTestApp.run { app in
            let (shop, _) = try await IncidentConsoleTests.seedDataMap(app)
            let staff = try await app.makeStaff(.responder)
            let responder = try await app.login(staff)
            let incident = try await app.store.incidents.declare(
                IncidentDraft(title: "Listed", kinds: [.dataBreach], severity: .sev2),
                commanderID: staff.user.id,
                playbooks: [],
                actor: "test",
                now: app.clock.now
            )
            func scope(_ list: String) async throws -> TestResponse {
                try await Self.upload(
                    app,
                    responder,
                    Routes.incidentScopeCreate.path(id: incident.id),
                    language: language,
                    [
                        ("systems", String(shop), nil), ("window_start", "2026-11-01T00:00", nil),
                        ("window_end", "2026-11-14T23:59", nil), ("customers", list, "list.csv"),
                    ]
                )
            }
            Self.expectPage(
                try await scope("external_id\nA1\n \n"),
                language,
                says: [emptyID],
                notInEnglish: ["external_id is empty", "line 3"]
            )
            Self.expectPage(
                try await scope("<script>alert(1)</script>\nA1\n"),
                language,
                says: [badHeader],
                notInEnglish: ["unknown column", "line 1"]
            )
            #expect(try await app.store.scopes.latest(incidentID: incident.id) == nil, "no scope was saved")
        }
    }

    @Test func anOversizedCustomerListIsRefusedInSwedish() async throws {
        try await WebTestApp.run { app in
            let staff = try await app.makeStaff(.responder)
            let responder = try await app.login(staff)
            let incident = try await app.store.incidents.declare(
                IncidentDraft(title: "Listed", kinds: [.dataBreach], severity: .sev2),
                commanderID: staff.user.id,
                playbooks: [],
                actor: "test",
                now: app.clock.now
            )
            let big =
                "external_id\n"
                + String(repeating: "C-1234567\n", count: IncidentController.maximumCustomerList / 10 + 10)
            let response = try await Self.upload(
                app,
                responder,
                Routes.incidentScopeCreate.path(id: incident.id),
                language: .sv,
                [("customers", big, "list.csv")]
            )
            #expect(response.status == .contentTooLarge)
            #expect(WebTestApp.text(response).contains("customers: listan är större än 32 MB"))
            #expect(try await app.store.scopes.latest(incidentID: incident.id) == nil)
        }
    }

    // MARK: - Playbooks and the response plan

    @Test(arguments: [
        (
            Language.fi,
            ".owner: tuntematon rooli &quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;; käytä jotakin näistä: commander",
            "document: rivi 3, sarake 3: ei kelvollista JSONia",
            "exercises[0].date: &quot;&lt;b&gt;XX&lt;/b&gt;&quot; ei ole päivämäärä (VVVV-KK-PP)",
            "contacts[0].kind: tuntematon laji &quot;lawyer&quot;; käytä jotakin näistä:"
        ),
        (
            .sv,
            ".owner: okänd roll &quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;; använd en av: commander",
            "document: rad 3, kolumn 3: ogiltig JSON",
            "exercises[0].date: &quot;&lt;b&gt;XX&lt;/b&gt;&quot; är inget datum (ÅÅÅÅ-MM-DD)",
            "contacts[0].kind: okänd typ &quot;lawyer&quot;; använd en av:"
        ),
    ])
    func aBadPlaybookOrPlanEditIsAnsweredInTheReadersLanguageAndSavesNothing(
        language: Language,
        unknownOwner: String,
        syntax: String,
        badDate: String,
        unknownKind: String
    ) async throws {
        try await WebTestApp.run { app in
            try await app.store.playbooks.installDefaults(try DefaultPlaybooks.all(), now: app.clock.now)
            let responder = try await app.login(try await app.makeStaff(.responder))
            let playbook = try #require(try await app.store.playbooks.find(id: "data-breach"))
            let hostile = playbook.json().replacingOccurrences(
                of: "\"owner\" : \"legal\"",
                with: "\"owner\" : \"<script>alert(1)</script>\""
            )
            #expect(hostile != playbook.json())
            let edit = Routes.playbookUpdate.path(["id": playbook.id])
            let refused = try await WebTestApp.post(app, responder, edit, language: language, [("document", hostile)])
            Self.expectPage(refused, language, says: [unknownOwner], notInEnglish: ["unknown role"])
            #expect(
                WebTestApp.text(refused).contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
                "the typed document comes back, escaped"
            )
            Self.expectPage(
                try await WebTestApp.post(
                    app,
                    responder,
                    edit,
                    language: language,
                    [("document", "{\n  \"id\": \"data-breach\",\n  oops\n}")]
                ),
                language,
                says: [syntax],
                notInEnglish: ["not valid JSON", "line 3"]
            )
            #expect(try await app.store.playbooks.find(id: playbook.id) == playbook, "the playbook is unchanged")

            // The plan as a form and as its JSON document.
            Self.expectPage(
                try await WebTestApp.post(
                    app,
                    responder,
                    Routes.planUpdate.path(),
                    language: language,
                    [
                        ("role.commander.name", "Aino"), ("exercise.date", "<b>XX</b>"),
                        ("exercise.description", "Tabletop"),
                    ]
                ),
                language,
                says: [badDate],
                notInEnglish: ["is not a date"]
            )
            Self.expectPage(
                try await WebTestApp.post(
                    app,
                    responder,
                    Routes.planUpdate.path(),
                    language: language,
                    [("document", #"{"contacts": [{"kind": "lawyer", "name": "X", "phone": "1"}]}"#)]
                ),
                language,
                says: [unknownKind],
                notInEnglish: ["unknown kind"]
            )
            Self.expectPage(
                try await WebTestApp.post(
                    app,
                    responder,
                    Routes.planUpdate.path(),
                    language: language,
                    [("document", "{\n  \"roles\": {},\n  oops\n}")]
                ),
                language,
                says: [syntax],
                notInEnglish: ["not valid JSON"]
            )
            #expect(try await app.store.playbooks.plan() == ResponsePlan(), "the plan is unchanged")
        }
    }
}

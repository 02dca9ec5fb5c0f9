import Foundation
import HTTPTypes
import HummingbirdTesting
import KilpiCore
import KilpiStore
import SQLKit
import Testing

@testable import KilpiWeb

/// A notice campaign that went out, for the customers' support pages: a generated data map (customers with
/// pseudo-random subsets of the catalogue's categories, in all three languages, two with hostile names), one
/// incident and scope over it, the shipped templates approved, the campaign started and every notice recorded sent,
/// with each notice's reference code.
struct SupportPortalFixture: Sendable {
    struct Notified: Sendable {
        let externalID: String
        let customerID: Int64
        let email: String
        /// What the page may show of the name.
        let firstName: String
        /// A part of the name the page must never show.
        let surname: String
        let language: Language
        let row: OutboxClaim
        /// The categories the scope's exposure snapshot gave this customer.
        let snapshot: Set<String>
    }

    let incident: Incident
    let scope: ScopeVersion
    let campaign: NoticeCampaign
    let notified: [Notified]
    let agent: WebTestApp.Staff

    static let script = "<script>alert('x')</script>"
    static let formula = "=HYPERLINK(\"http://evil.example/\",\"click\")"

    static let categories = [
        "name", "email", "phone", "postal_address", "date_of_birth", "payment_card", "bank_account", "credentials",
        "order_history", "health", "ip_address",
    ]

    static func make(_ app: WebTestApp, customers count: Int = 12) async throws -> SupportPortalFixture {
        let store = app.store
        try await store.dataMap.installCatalogue(now: app.clock.now)
        try await store.playbooks.installDefaults(try DefaultPlaybooks.all(), now: app.clock.now)
        let importer = DataMapImporter(database: store.database, vault: store.vault)
        _ = try await importer.importData(
            .systems,
            data: Data("name,kind,owner,location,encrypted_at_rest\nShop,web_shop,IT,Helsinki,no\n".utf8)
        )
        func cell(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        var customerLines = ["external_id,name,email,phone,language,country,region"]
        var holdingLines = ["external_id,system,category,held_from,held_until"]
        var expected: [String: (first: String, surname: String, email: String, language: Language, cats: Set<String>)] =
            [:]
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            seed ^= seed << 13
            seed ^= seed >> 7
            seed ^= seed << 17
            return seed
        }
        for index in 0..<count {
            let external = "P\(index)"
            let first: String =
                switch index {
                case 0: script
                case 1: formula
                default: "Firstname\(index)x"
                }
            let surname = "Surname\(index)q"
            let language = Language.allCases[index % Language.allCases.count]
            let email = "portal\(index)@example.com"
            var cats: Set<String> = []
            for category in categories where next() % 3 == 0 { cats.insert(category) }
            if cats.isEmpty { cats.insert(categories[index % categories.count]) }
            expected[external] = (first, surname, email, language, cats)
            customerLines.append("\(external),\(cell(first + " " + surname)),\(email),,\(language.rawValue),FI,")
            for category in cats.sorted() { holdingLines.append("\(external),Shop,\(category),2026-01-01,") }
        }
        _ = try await importer.importData(.customers, data: Data((customerLines.joined(separator: "\n") + "\n").utf8))
        _ = try await importer.importData(.holdings, data: Data((holdingLines.joined(separator: "\n") + "\n").utf8))
        let shop = try #require(try await store.dataMap.summaries().map(\.system).first { $0.name == "Shop" })
        let commander = try await app.makeStaff(.responder)
        let incident = try await store.incidents.declare(
            IncidentDraft(
                title: "Shop breach <script>alert('t')</script>",
                summary: "Card data was copied.\nWe closed the hole.",
                kinds: [.dataBreach],
                severity: .sev2,
                times: KeyTimes(
                    occurredAt: app.clock.now.addingTimeInterval(-2 * 86_400),
                    detectedAt: app.clock.now.addingTimeInterval(-7200),
                    awareAt: app.clock.now.addingTimeInterval(-3600)
                )
            ),
            commanderID: commander.user.id,
            playbooks: try await store.playbooks.all(),
            actor: "test",
            now: app.clock.now
        )
        let scope = try await store.scopes.create(
            incidentID: incident.id,
            ScopeDraft(
                systemIDs: [shop.id],
                windowStart: Date(timeIntervalSince1970: 1_793_491_200),
                windowEnd: Date(timeIntervalSince1970: 1_794_700_740)
            ),
            actor: "test",
            now: app.clock.now
        )
        let writer = try await app.makeStaff(.communicator)
        let approver = try await app.makeStaff(.communicator)
        let service = AppServices(configuration: app.configuration, store: store).notices
        let installed = try await service.installShipped(
            AppServices.shippedNoticeTemplates,
            by: Caller(.user(writer.user.id), ip: "test"),
            now: app.clock.now
        )
        for version in installed {
            _ = try await service.approveTemplate(
                id: version.id,
                by: Caller(.user(approver.user.id), ip: "test"),
                now: app.clock.now
            )
        }
        let made = try await service.createCampaign(
            incidentID: incident.id,
            scopeVersionID: scope.id,
            by: Caller(.user(writer.user.id), ip: "test"),
            now: app.clock.now
        )
        let campaign = try await service.start(
            campaignID: made.id,
            by: Caller(.user(writer.user.id), ip: "test"),
            now: app.clock.now
        )
        let claims = try await store.outbox.claim(worker: "w", limit: 1000, leaseSeconds: 60, now: app.clock.now)
        try await store.outbox.record(
            claims.map { ($0.rowID, OutboxResult.sent(reply: "250 ok", messageID: "<\($0.noticeKey)@test>")) },
            worker: "w",
            now: app.clock.now
        )
        let exposed = try await store.scopes.exposedCustomers(scopeID: scope.id, limit: 10_000)
        let snapshot = Dictionary(uniqueKeysWithValues: exposed.map { ($0.customerID, Set($0.categories)) })
        var notified: [Notified] = []
        for claim in claims {
            let customer = try #require(try await store.customers.find(id: claim.customerID))
            let want = try #require(expected[customer.externalID])
            notified.append(
                Notified(
                    externalID: customer.externalID,
                    customerID: claim.customerID,
                    email: want.email,
                    firstName: want.first,
                    surname: want.surname,
                    language: want.language,
                    row: claim,
                    snapshot: try #require(snapshot[claim.customerID])
                )
            )
            #expect(snapshot[claim.customerID] == want.cats, "the generated holdings are the snapshot")
        }
        #expect(notified.count == count)
        return SupportPortalFixture(
            incident: incident,
            scope: scope,
            campaign: campaign,
            notified: notified.sorted {
                $0.externalID.count == $1.externalID.count
                    ? $0.externalID < $1.externalID : $0.externalID.count < $1.externalID.count
            },
            agent: try await app.makeStaff(.agent)
        )
    }

    /// A fresh personal link to `customer`'s notice.
    func link(_ app: WebTestApp, _ customer: Notified) async throws -> String {
        let issued = try await app.store.supportLinks.issue(outboxID: customer.row.rowID, now: app.clock.now)
        return issued.token
    }
}

/// A customer's browser on the support pages: its cookies (CSRF, language, code session) and the last form token.
struct SupportBrowser: Sendable {
    let app: WebTestApp
    var cookies: [String: String] = [:]
    var csrf: String?

    init(_ app: WebTestApp) { self.app = app }

    /// GETs `path`, keeping the cookies it sets and the form token it shows.
    mutating func get(_ path: String) async throws -> TestResponse {
        let response = try await app.request(.get, path, cookies: cookies)
        absorb(response)
        return response
    }

    /// POSTs a form with the page's CSRF token added (unless `csrf` is given).
    mutating func post(_ path: String, _ form: [(String, String)], csrf: String? = nil) async throws -> TestResponse {
        let token = csrf ?? self.csrf ?? ""
        let response = try await app.request(
            .post,
            path,
            headers: [.contentType: "application/x-www-form-urlencoded"],
            cookies: cookies,
            body: WebTestApp.urlencode(form + [("_csrf", token)])
        )
        absorb(response)
        return response
    }

    private mutating func absorb(_ response: TestResponse) {
        for (name, cookie) in WebTestApp.setCookies(response) {
            if cookie.value.isEmpty { cookies[name] = nil } else { cookies[name] = cookie.value }
        }
        if let field = WebTestApp.csrfField(in: response) { csrf = field }
    }
}

/// The contact form's emailed code, found again the way only a test may: the code's hash is SHA-256 of the
/// challenge (from the page's hidden field) and the code, so the million codes are tried against the stored hash.
/// (The mail itself is helper M's outbox; these tests are about the pages.)
func recoverContactCode(_ store: Store, challenge: String) async throws -> String {
    let expected = try await store.database.read { sql in
        try await sql.raw(
            "SELECT code_hash FROM support_verifications WHERE challenge_hash = \(bind: Digest.sha256Hex(challenge))"
        ).first().map { try $0.decode(column: "code_hash", as: String.self) }
    }
    let hash = try #require(expected)
    let found = await withTaskGroup(of: String?.self) { group in
        for part in 0..<2 {
            group.addTask {
                for value in stride(from: part, to: 1_000_000, by: 2) {
                    let digits = String(value)
                    let code = String(repeating: "0", count: 6 - digits.count) + digits
                    if Digest.sha256Hex(challenge + ":" + code) == hash { return code }
                }
                return nil
            }
        }
        for await result in group where result != nil { return result }
        return nil
    }
    return try #require(found)
}

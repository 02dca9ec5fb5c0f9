import Foundation
import HTTPTypes
import KilpiCore
import KilpiStore
import KilpiTestSupport
import Testing

@testable import KilpiWeb

/// The certificates register through HTTP: communicators and admins keep it (each change audited), others may
/// not; bad input comes back with its fields named and nothing stored; the public page and JSON show only what is
/// published, expired ones marked; the dashboard reminds those who keep it of what is about to expire.
@Suite struct CertificateRegisterTests {
    static func form(
        standard: String = "ISO/IEC 27001:2022",
        from: String,
        until: String,
        published: Bool = true
    ) -> KeyValuePairs<String, String> {
        published
            ? [
                "standard": standard, "issuer": "Esimerkki Oy", "scope": "Web shop <b>and</b> payments",
                "valid_from": from, "valid_until": until, "published": "on",
            ]
            : [
                "standard": standard, "issuer": "Esimerkki Oy", "scope": "Web shop <b>and</b> payments",
                "valid_from": from, "valid_until": until,
            ]
    }

    /// `date` moved by `days`, as YYYY-MM-DD.
    static func day(_ date: Date, _ days: Int) -> String {
        String(NoticeDate.minute(date.addingTimeInterval(Double(days) * 86_400)).prefix(10))
    }

    @Test(arguments: TestDatabases.engines)
    func aCommunicatorKeepsTheRegisterAndThePublicSeesWhatIsPublished(engine: SQLEngine) async throws {
        try await WebTestApp.run(engine) { app in
            let now = app.clock.now
            let communicator = try await app.login(try await app.makeStaff(.communicator))
            let hostile = "<script>alert(1)</script> =HYPERLINK(\"x\")"
            for (standard, from, until, published) in [
                (hostile, Self.day(now, -300), Self.day(now, 400), true),
                ("PCI DSS v4.0.1", Self.day(now, -340), Self.day(now, 20), true),
                ("SOC 2 Type II", Self.day(now, -800), Self.day(now, -1), true),
                ("Internal only", Self.day(now, -10), Self.day(now, 100), false),
            ] {
                let made = try await app.post(
                    Routes.certificateCreate.path(),
                    communicator,
                    form: Self.form(standard: standard, from: from, until: until, published: published)
                )
                #expect(made.status == .seeOther || made.status == .found, "\(standard)")
            }
            let all = try await app.store.certificates.list()
            #expect(all.count == 4)
            let audited = try await app.store.audit.entries(AuditFilter(limit: 50)).filter {
                $0.action == AuditAction.certificateCreate.rawValue
            }
            #expect(audited.count == 4)

            let console = WebTestApp.text(try await app.get(Routes.certificates.path(), communicator))
            #expect(!console.contains("<script>alert(1)") && console.contains("&lt;script&gt;alert(1)"))
            #expect(console.contains("expires in 20 days"))

            let page = try await app.get(Routes.publicCertificates.path())
            let html = WebTestApp.text(page)
            #expect(page.status == .ok)
            #expect(html.contains("PCI DSS v4.0.1") && html.contains("SOC 2 Type II"))
            #expect(!html.contains("Internal only"), "unpublished stays in the console")
            #expect(!html.contains("<script>alert(1)") && html.contains("&lt;script&gt;alert(1)"))
            #expect(!html.contains("<b>and</b>"))
            #expect(html.contains("<span class=\"badge bad\">expired</span>"))

            let json = try WebTestApp.json(try await app.get(Routes.publicCertificatesAPI.path()))
            let listed = try #require(json["certificates"] as? [[String: Any]])
            #expect(listed.count == 3)
            let states = Dictionary(
                uniqueKeysWithValues: listed.map { ($0["standard"] as? String ?? "", $0["status"] as? String ?? "") }
            )
            #expect(states["SOC 2 Type II"] == "expired" && states["PCI DSS v4.0.1"] == "valid")
            #expect(listed.allSatisfy { ($0["validUntil"] as? String)?.count == 10 })

            // Finnish and Swedish public pages.
            #expect(
                WebTestApp.text(try await app.get(Routes.publicCertificates.path() + "?lang=fi")).contains(
                    "Sertifikaatit"
                )
            )
            #expect(
                WebTestApp.text(try await app.get(Routes.publicCertificates.path() + "?lang=sv")).contains("Certifikat")
            )

            #expect(page.headers[.cacheControl] == "public, max-age=30")
            let chosen = try await app.get(Routes.publicCertificates.path() + "?lang=sv")
            #expect(chosen.headers[.cacheControl] == "private, max-age=30", "it sets the language cookie")

            // An edit is audited and shows; a form without its token changes nothing.
            let pci = try #require(all.first { $0.standard == "PCI DSS v4.0.1" })
            let edited = try await app.post(
                Routes.certificateUpdate.path(id: pci.id),
                communicator,
                form: Self.form(standard: "PCI DSS v4.0.1 AoC", from: Self.day(now, -340), until: Self.day(now, 30))
            )
            #expect(edited.status == .seeOther || edited.status == .found)
            #expect(try await app.store.certificates.find(id: pci.id)?.standard == "PCI DSS v4.0.1 AoC")
            let forged = try await app.request(
                .post,
                Routes.certificateRemove.path(id: pci.id),
                headers: [.contentType: "application/x-www-form-urlencoded"],
                cookies: [RouteRegistry.sessionCookie: communicator.sessionID],
                body: "_csrf=wrong"
            )
            #expect(forged.status == .forbidden)
            #expect(try await app.store.certificates.find(id: pci.id) != nil)

            // Removing takes it off both lists; the row and the audit entry stay.
            let removed = try await app.post(Routes.certificateRemove.path(id: pci.id), communicator)
            #expect(removed.status == .seeOther || removed.status == .found)
            #expect(!WebTestApp.text(try await app.get(Routes.publicCertificates.path())).contains("PCI DSS"))
            let after = try WebTestApp.json(try await app.get(Routes.publicCertificatesAPI.path()))
            #expect((after["certificates"] as? [[String: Any]])?.count == 2)
            let again = try await app.post(Routes.certificateRemove.path(id: pci.id), communicator)
            #expect(again.status == .notFound)
            let actions = try await app.store.audit.entries(AuditFilter(limit: 50)).filter {
                $0.target == "certificate:\(pci.id)"
            }.map(\.action)
            #expect(
                Set(actions)
                    == [
                        AuditAction.certificateCreate.rawValue, AuditAction.certificateUpdate.rawValue,
                        AuditAction.certificateRemove.rawValue,
                    ]
            )
            // A register emptied on purpose is not filled with the demo's again on the next start.
            for certificate in try await app.store.certificates.list() {
                #expect(
                    try await app.store.certificates.remove(id: certificate.id, by: Caller(.system, ip: "t"), now: now)
                )
            }
            #expect(try await app.store.certificates.list().isEmpty)
            #expect(try await DemoCertificates.seed(store: app.store, now: now) == 0)
            #expect(try await app.store.certificates.list().isEmpty)
        }
    }

    @Test(arguments: TestDatabases.engines)
    func badInputIsRefusedWholeAndOtherRolesMayNot(engine: SQLEngine) async throws {
        try await WebTestApp.run(engine) { app in
            let now = app.clock.now
            let keeper = try await app.makeStaff(.communicator)
            let communicator = try await app.login(keeper)
            let refused = try await app.post(
                Routes.certificateCreate.path(),
                communicator,
                form: Self.form(standard: "", from: "2026-13-01", until: Self.day(now, 10))
            )
            #expect(refused.status == .badRequest)
            let html = WebTestApp.text(refused)
            #expect(html.contains("standard: fill this in") && html.contains("valid_from:"))
            #expect(html.contains("value=\"2026-13-01\""), "what was typed comes back")
            #expect(try await app.store.certificates.list().isEmpty)

            let made = try await app.store.certificates.create(
                try #require(
                    CertificateInput.checked(
                        standard: "ISO/IEC 27001:2022",
                        issuer: "Body",
                        scope: "All",
                        validFrom: Self.day(now, -1),
                        validUntil: Self.day(now, 10),
                        published: false
                    ).input
                ),
                by: Caller(.system, ip: "test"),
                now: now
            )
            // An update with the last day before the first changes nothing.
            let backwards = try await app.post(
                Routes.certificateUpdate.path(id: made.id),
                communicator,
                form: Self.form(from: Self.day(now, 5), until: Self.day(now, 1))
            )
            #expect(backwards.status == .badRequest)
            #expect(try await app.store.certificates.find(id: made.id) == made)
            let missing = try await app.post(
                Routes.certificateUpdate.path(id: 9_999),
                communicator,
                form: Self.form(from: Self.day(now, 1), until: Self.day(now, 5))
            )
            #expect(missing.status == .notFound)

            for role in [Role.agent, .responder, .viewer] {
                let login = try await app.login(try await app.makeStaff(role))
                let attempt = try await app.post(
                    Routes.certificateCreate.path(),
                    login,
                    form: Self.form(from: Self.day(now, 1), until: Self.day(now, 5))
                )
                #expect(attempt.status == .forbidden, "\(role)")
                #expect(try await app.get(Routes.certificates.path(), login).status == .forbidden, "\(role)")
                let removal = try await app.post(Routes.certificateRemove.path(id: made.id), login)
                #expect(removal.status == .forbidden, "\(role)")
                #expect(!WebTestApp.text(try await app.get(Routes.dashboard.path(), login)).contains("about to expire"))
            }
            #expect(try await app.store.certificates.list().count == 1)

            // Admins and communicators are reminded on the dashboard: ten days left.
            let admin = try await app.login(try await app.makeStaff(.admin))
            let dashboard = WebTestApp.text(try await app.get(Routes.dashboard.path(), admin))
            #expect(dashboard.contains("Certificates about to expire") && dashboard.contains("expires in 10 days"))
            // Past its last day it is expired, no longer "about to": the reminder goes (signed in again, a day on).
            app.clock.advance(11 * 86_400)
            let later = try await app.login(keeper)
            let after = WebTestApp.text(try await app.get(Routes.dashboard.path(), later))
            #expect(after.contains("aria-current=\"page\""), "the dashboard itself, not the sign-in form")
            #expect(!after.contains("about to expire"))
        }
    }
}

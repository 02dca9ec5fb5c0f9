import Foundation
import HummingbirdTesting
import KilpiCore
import KilpiStore
import KilpiTestSupport
import Testing

@testable import KilpiWeb

/// Issue 9, finding 6: the audit page and `GET /api/v1/audit/verify` walk only the entries after the last
/// verified checkpoint; anonymous floods are counted, not chained post by post.
@Suite("Audit page and anonymous events")
struct AuditPageTests {
    @Test func thePageVerifiesFromTheCheckpointOnly() async throws {
        try await WebTestApp.run { app in
            let admin = try await app.login(try await app.makeStaff(.admin))
            let (_, token) = try await app.makeToken(.admin)
            for index in 1...5 {
                try await app.store.audit.append(
                    AuditEvent(actor: "system", action: AuditAction(rawValue: "test.step"), detail: "\(index)"),
                    now: app.clock.now
                )
            }
            #expect(WebTestApp.text(try await app.get("/console/audit", admin)).contains("notice ok"))
            let api = try WebTestApp.json(try await app.api(.get, "/api/v1/audit/verify", token: token))
            #expect(api["intact"] as? Bool == true)
            let checkpoint = try #require(api["headID"] as? Int)
            #expect(api["resumedAfter"] as? Int != nil, "the page's view left a checkpoint")
            #expect(api["checked"] as? Int == 0, "nothing new since the page's view")

            // An edit before the checkpoint: the page and the API do not walk there (the CLI's full walk does).
            try await app.store.database.withConnection { sql in
                try await sql.raw("UPDATE audit_log SET detail = 'edited' WHERE id = 2").run()
            }
            let page = WebTestApp.text(try await app.get("/console/audit", admin))
            #expect(page.contains("notice ok"))
            #expect(page.contains("checkpoint"))
            #expect(try await app.store.audit.verify().problem == .contentChanged(id: 2))

            // An edit after the checkpoint: found on the next view.
            try await app.store.audit.append(
                AuditEvent(actor: "system", action: AuditAction(rawValue: "test.after")),
                now: app.clock.now
            )
            try await app.store.database.withConnection { sql in
                try await sql.raw(
                    "UPDATE audit_log SET detail = 'edited' WHERE id = \(bind: Int64(checkpoint) + 1)"
                ).run()
            }
            let broken = WebTestApp.text(try await app.get("/console/audit", admin))
            #expect(broken.contains("notice error"))
            #expect(broken.contains("entry \(checkpoint + 1)"))
            let apiBroken = try WebTestApp.json(try await app.api(.get, "/api/v1/audit/verify", token: token))
            #expect(apiBroken["intact"] as? Bool == false)
        }
    }

    @Test func aFloodOfPostsWithoutCSRFTokenIsOneEntryPerMinute() async throws {
        try await WebTestApp.run { app in
            let before = try await app.store.database.withConnection { sql in
                try await sql.raw("SELECT count(*) AS n FROM audit_log").first()?.decode(column: "n", as: Int.self)
            }
            for _ in 0..<200 {
                let response = try await app.post("/console/login", form: ["email": "x@example.com", "_csrf": "x"])
                #expect(response.status == .forbidden)
            }
            let rejections = try await app.store.audit.entries(
                AuditFilter(actionPrefix: "security.csrf_rejected", limit: 1000)
            )
            #expect(rejections.count == 1)
            let open = try await (app.store.audit as! SQLAuditLog).openAnonymousCounts()
            #expect(open.map(\.count) == [200])
            // The next minute's first entry chains the count.
            app.clock.advance(60)
            try await app.store.audit.append(
                AuditEvent(actor: "system", action: AuditAction(rawValue: "test.later")),
                now: app.clock.now
            )
            let summary = try #require(
                try await app.store.audit.entries(AuditFilter(actionPrefix: "security.csrf_rejected", limit: 10)).first
            )
            #expect(summary.detail.hasPrefix("200 times"))
            let after = try await app.store.database.withConnection { sql in
                try await sql.raw("SELECT count(*) AS n FROM audit_log").first()?.decode(column: "n", as: Int.self)
            }
            #expect((after ?? 0) - (before ?? 0) == 3)
        }
    }
}

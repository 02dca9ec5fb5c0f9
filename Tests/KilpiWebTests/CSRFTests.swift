import Foundation
import HTTPTypes
import HummingbirdTesting
import KilpiCore
import KilpiStore
import KilpiTestSupport
import Testing

@testable import KilpiWeb

@Suite struct CSRFTests {
    @Test func consoleFormWithoutOrWithWrongTokenIsRefusedAndChangesNothing() async throws {
        try await WebTestApp.run { app in
            let admin = try await app.makeStaff(.admin)
            let login = try await app.login(admin)
            let headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            let cookies = [RouteRegistry.sessionCookie: login.sessionID]
            let tokensBefore = try await app.store.tokens.all().count

            // No `_csrf` at all.
            let missing = try await app.request(
                .post,
                "/console/users",
                headers: headers,
                cookies: cookies,
                body: WebTestApp.urlencode(["email": "a@example.com", "name": "A", "role": "viewer"])
            )
            #expect(missing.status == .forbidden)
            #expect(try await app.store.users.find(email: "a@example.com") == nil)

            // A wrong one.
            let wrong = try await app.post(
                "/console/users",
                form: [
                    "email": "a@example.com", "name": "A", "role": "viewer", "_csrf": String(login.csrf.reversed()),
                ],
                session: login.sessionID
            )
            #expect(wrong.status == .forbidden)
            #expect(try await app.store.users.find(email: "a@example.com") == nil)

            // An empty one, and a token creation with a wrong one.
            let empty = try await app.post(
                "/console/tokens",
                form: ["name": "ci", "role": "admin", "_csrf": ""],
                session: login.sessionID
            )
            #expect(empty.status == .forbidden)
            let wrongToken = try await app.post(
                "/console/tokens",
                form: ["name": "ci", "role": "admin", "_csrf": "x"],
                session: login.sessionID
            )
            #expect(wrongToken.status == .forbidden)
            #expect(try await app.store.tokens.all().count == tokensBefore)

            // Another session's token does not work for this one.
            app.clock.advance(30)
            let other = try await app.login(admin)
            let crossed = try await app.post(
                "/console/users",
                form: ["email": "a@example.com", "name": "A", "role": "viewer", "_csrf": other.csrf],
                session: login.sessionID
            )
            #expect(crossed.status == .forbidden)
            #expect(try await app.store.users.find(email: "a@example.com") == nil)

            // Sign-out is a form too: a forged one does not end the session.
            let forgedLogout = try await app.post(
                "/console/logout",
                form: ["_csrf": "forged"],
                session: login.sessionID
            )
            #expect(forgedLogout.status == .forbidden)
            #expect(try await app.isLive(login))

            let rejections = try await app.store.audit.entries(
                AuditFilter(actionPrefix: "security.csrf_rejected", limit: 100)
            )
            #expect(rejections.count == 6)
            #expect(rejections.allSatisfy { $0.actor == "user:\(admin.user.id)" })
            #expect(rejections.contains { $0.target == "POST /console/users" })
            #expect(rejections.contains { $0.target == "POST /console/tokens" })

            // With the right token the same form works.
            let ok = try await app.post(
                "/console/users",
                login,
                form: ["email": "a@example.com", "name": "A", "role": "viewer"]
            )
            #expect(ok.status == .ok)
            #expect(try await app.store.users.find(email: "a@example.com")?.status == .pending)
            let token = try await app.post("/console/tokens", login, form: ["name": "ci", "role": "viewer"])
            #expect(token.status == .ok)
            #expect(try await app.store.tokens.all().count == tokensBefore + 1)
        }
    }

    @Test func signInNeedsTheCookieAndFieldToMatch() async throws {
        try await WebTestApp.run { app in
            let viewer = try await app.makeStaff(.viewer)
            let pre = try await app.preSession()
            #expect(pre.cookie == pre.field)
            let credentials: KeyValuePairs<String, String> = [
                "email": viewer.email, "password": viewer.password, "_csrf": pre.field,
            ]

            // Field without the cookie (a cross-site form post cannot set it).
            let noCookie = try await app.post("/console/login", form: credentials)
            #expect(noCookie.status == .forbidden)
            #expect(WebTestApp.setCookies(noCookie)[RouteRegistry.sessionCookie] == nil)

            // Cookie from one page, field from another.
            let other = try await app.preSession()
            #expect(other.field != pre.field)
            let mismatch = try await app.post(
                "/console/login",
                form: ["email": viewer.email, "password": viewer.password, "_csrf": other.field],
                cookies: [RouteRegistry.preSessionCSRFCookie: pre.cookie]
            )
            #expect(mismatch.status == .forbidden)
            #expect(WebTestApp.setCookies(mismatch)[RouteRegistry.sessionCookie] == nil)

            // Cookie without the field.
            let noField = try await app.post(
                "/console/login",
                form: ["email": viewer.email, "password": viewer.password],
                cookies: [RouteRegistry.preSessionCSRFCookie: pre.cookie]
            )
            #expect(noField.status == .forbidden)

            let rejections = try await app.store.audit.entries(
                AuditFilter(actionPrefix: "security.csrf_rejected", limit: 100)
            )
            // Anonymous rejections are counted per source and minute: one chained entry, a count of three.
            #expect(rejections.count == 1)
            #expect(rejections.allSatisfy { $0.actor == "anonymous" && $0.target == "POST /console/login" })
            #expect(try await (app.store.audit as! SQLAuditLog).openAnonymousCounts().map(\.count) == [3])
            // The password was never checked.
            #expect(try await app.store.users.find(id: viewer.user.id)?.lastLoginAt == nil)

            let ok = try await app.post(
                "/console/login",
                form: credentials,
                cookies: [RouteRegistry.preSessionCSRFCookie: pre.cookie]
            )
            #expect(ok.status == .seeOther)
            #expect(ok.headers[.location] == "/console")
            #expect(WebTestApp.setCookies(ok)[RouteRegistry.sessionCookie]?.value.isEmpty == false)
        }
    }

    @Test func preSessionCSRFCookieIsHttpOnlyAndStrict() async throws {
        try await WebTestApp.run { app in
            let response = try await app.get("/console/login")
            let cookie = try #require(WebTestApp.setCookies(response)[RouteRegistry.preSessionCSRFCookie])
            #expect(cookie.has("HttpOnly"))
            #expect(cookie.attribute("SameSite") == "Strict")
            #expect(cookie.value.count >= 32)
        }
    }
}

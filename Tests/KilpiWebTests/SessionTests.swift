import Foundation
import HTTPTypes
import HummingbirdTesting
import KilpiCore
import KilpiStore
import KilpiTestSupport
import Testing

@testable import KilpiWeb

@Suite struct SessionTests {
    @Test(arguments: [false, true])
    func sessionCookieAttributes(tls: Bool) async throws {
        try await WebTestApp.run(configure: { $0.tls = tls }) { app in
            let viewer = try await app.makeStaff(.viewer)
            let response = try await app.submitLogin(email: viewer.email, password: viewer.password)
            #expect(response.status == .seeOther)
            let cookie = try #require(WebTestApp.setCookies(response)[RouteRegistry.sessionCookie])
            #expect(cookie.has("HttpOnly"), "\(cookie.raw)")
            #expect(cookie.attribute("SameSite") == "Lax", "\(cookie.raw)")
            #expect(cookie.attribute("Path") == "/", "\(cookie.raw)")
            #expect(cookie.has("Secure") == tls, "\(cookie.raw)")
            #expect(cookie.value.count >= 32)

            // The cookie that ends a session keeps the same attributes, so the browser replaces the right one.
            let login = WebTestApp.Login(sessionID: cookie.value, csrf: try await app.csrfToken(session: cookie.value))
            let logout = try await app.post("/console/logout", login)
            let cleared = try #require(WebTestApp.setCookies(logout)[RouteRegistry.sessionCookie])
            #expect(cleared.value.isEmpty)
            #expect(cleared.attribute("Max-Age") == "0")
            #expect(cleared.attribute("Path") == "/")
            #expect(cleared.has("Secure") == tls)
        }
    }

    @Test func signingInNeverKeepsAPlantedOrOldSessionID() async throws {
        try await WebTestApp.run { app in
            let viewer = try await app.makeStaff(.viewer)
            // An attacker plants a session id they know.
            let planted = "attacker-chosen-session-id-0123456789abcdef"
            let first = try await app.submitLogin(
                email: viewer.email,
                password: viewer.password,
                cookies: [RouteRegistry.sessionCookie: planted]
            )
            let firstID = try #require(WebTestApp.setCookies(first)[RouteRegistry.sessionCookie]?.value)
            #expect(firstID != planted)
            #expect(WebTestApp.isRedirectToLogin(try await app.get("/console", session: planted)))
            #expect(try await app.get("/console", session: firstID).status == .ok)

            // Signing in again from a browser that already has a live session (its form carries that
            // session's token) gives a new id and ends the old one.
            let csrf = try await app.csrfToken(session: firstID)
            let second = try await app.post(
                "/console/login",
                form: ["email": viewer.email, "password": viewer.password, "_csrf": csrf],
                session: firstID
            )
            #expect(second.status == .seeOther)
            let secondID = try #require(WebTestApp.setCookies(second)[RouteRegistry.sessionCookie]?.value)
            #expect(secondID != firstID)
            #expect(WebTestApp.isRedirectToLogin(try await app.get("/console", session: firstID)))
            #expect(try await app.get("/console", session: secondID).status == .ok)
        }
    }

    @Test func aHalfSignedInBrowserCanStillUseTheSignInForm() async throws {
        try await WebTestApp.run { app in
            let admin = try await app.makeStaff(.admin)
            let viewer = try await app.makeStaff(.viewer)
            let password = try await app.submitLogin(email: admin.email, password: admin.password)
            let partial = try #require(WebTestApp.setCookies(password)[RouteRegistry.sessionCookie]?.value)
            // Back to the sign-in page (wrong account, lost phone): its form must be accepted.
            let page = try await app.get("/console/login", session: partial)
            #expect(page.status == .ok)
            var cookies = [RouteRegistry.sessionCookie: partial]
            if let pre = WebTestApp.setCookies(page)[RouteRegistry.preSessionCSRFCookie] {
                cookies[pre.name] = pre.value
            }
            let csrf = try #require(WebTestApp.csrfField(in: page))
            let response = try await app.post(
                "/console/login",
                form: ["email": viewer.email, "password": viewer.password, "_csrf": csrf],
                cookies: cookies
            )
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/console")
            let session = try #require(WebTestApp.setCookies(response)[RouteRegistry.sessionCookie]?.value)
            #expect(session != partial)
            #expect(try await app.get("/console", session: session).status == .ok)
            #expect(WebTestApp.isRedirectToLogin(try await app.get("/console/login/second-factor", session: partial)))
        }
    }

    @Test func theSessionIDChangesAgainAfterTheSecondFactor() async throws {
        try await WebTestApp.run { app in
            let admin = try await app.makeStaff(.admin)
            let password = try await app.submitLogin(email: admin.email, password: admin.password)
            #expect(password.headers[.location] == "/console/login/second-factor")
            let partial = try #require(WebTestApp.setCookies(password)[RouteRegistry.sessionCookie]?.value)
            // Half signed in is not signed in.
            let early = try await app.get("/console", session: partial)
            #expect(early.status == .seeOther)
            #expect(early.headers[.location] == "/console/login/second-factor")

            let csrf = try #require(
                WebTestApp.csrfField(in: try await app.get("/console/login/second-factor", session: partial))
            )
            let code = try #require(admin.code(at: app.clock.now))
            let second = try await app.post(
                "/console/login/second-factor",
                form: ["code": code, "_csrf": csrf],
                session: partial
            )
            #expect(second.status == .seeOther)
            let full = try #require(WebTestApp.setCookies(second)[RouteRegistry.sessionCookie]?.value)
            #expect(full != partial)
            #expect(WebTestApp.isRedirectToLogin(try await app.get("/console", session: partial)))
            #expect(try await app.get("/console", session: full).status == .ok)
        }
    }

    @Test func idleSessionsEndAfterThirtyMinutes() async throws {
        try await WebTestApp.run { app in
            let viewer = try await app.makeStaff(.viewer)
            let login = try await app.login(viewer)
            app.clock.advance(29 * 60)
            #expect(try await app.get("/console", login).status == .ok)
            // Activity restarts the idle timer...
            app.clock.advance(29 * 60)
            #expect(try await app.get("/console", login).status == .ok)
            // ...and 31 quiet minutes end the session.
            app.clock.advance(31 * 60)
            #expect(WebTestApp.isRedirectToLogin(try await app.get("/console", login)))
            #expect(try await app.store.sessions.count(userID: viewer.user.id) == 0)
        }
    }

    @Test func sessionsEndTwelveHoursAfterSignInEvenWhenActive() async throws {
        try await WebTestApp.run { app in
            let login = try await app.login(try await app.makeStaff(.viewer))
            // Activity every 20 minutes up to 11 h 40 min.
            for step in 1...35 {
                app.clock.advance(20 * 60)
                let response = try await app.get("/console", login)
                #expect(response.status == .ok, "after \(step * 20) min")
                if response.status != .ok { return }
            }
            app.clock.advance(20 * 60)
            #expect(WebTestApp.isRedirectToLogin(try await app.get("/console", login)), "12 h after sign-in")
        }
    }

    @Test func signOutEverywhereEndsEveryOwnSessionOnly() async throws {
        try await WebTestApp.run { app in
            let viewer = try await app.makeStaff(.viewer)
            let laptop = try await app.login(viewer)
            let phone = try await app.login(viewer)
            let colleague = try await app.login(try await app.makeStaff(.responder))
            #expect(laptop.sessionID != phone.sessionID)
            #expect(try await app.store.sessions.count(userID: viewer.user.id) == 2)

            let response = try await app.post("/console/account/sign-out-everywhere", laptop)
            #expect(WebTestApp.isRedirectToLogin(response))
            #expect(WebTestApp.setCookies(response)[RouteRegistry.sessionCookie]?.value == "")
            #expect(WebTestApp.isRedirectToLogin(try await app.get("/console", laptop)))
            #expect(WebTestApp.isRedirectToLogin(try await app.get("/console", phone)))
            #expect(try await app.store.sessions.count(userID: viewer.user.id) == 0)
            #expect(try await app.get("/console", colleague).status == .ok)
            let entries = try await app.store.audit.entries(
                AuditFilter(actionPrefix: "session.logout_everywhere", limit: 10)
            )
            #expect(entries.count == 1)
            #expect(entries.first?.actor == "user:\(viewer.user.id)")
        }
    }

    @Test func signingOutEndsTheSession() async throws {
        try await WebTestApp.run { app in
            let viewer = try await app.makeStaff(.viewer)
            let login = try await app.login(viewer)
            let other = try await app.login(viewer)
            let response = try await app.post("/console/logout", login)
            #expect(WebTestApp.isRedirectToLogin(response))
            #expect(WebTestApp.isRedirectToLogin(try await app.get("/console", login)))
            #expect(!(try await app.isLive(login)))
            // Only this browser's session.
            #expect(try await app.get("/console", other).status == .ok)
            #expect(
                try await app.store.audit.entries(AuditFilter(actionPrefix: "session.logout", limit: 10)).count == 1
            )
        }
    }

    @Test func disablingAnAccountOrChangingItsRoleEndsItsSessions() async throws {
        try await WebTestApp.run { app in
            let admin = try await app.login(try await app.makeStaff(.admin))
            let responder = try await app.makeStaff(.responder)
            let viewer = try await app.makeStaff(.viewer)
            let responderLogin = try await app.login(responder)
            let viewerLogin = try await app.login(viewer)

            #expect(
                try await app.post("/console/users/\(viewer.user.id)/role", admin, form: ["role": "responder"]).status
                    == .seeOther
            )
            #expect(WebTestApp.isRedirectToLogin(try await app.get("/console", viewerLogin)))

            #expect(try await app.post("/console/users/\(responder.user.id)/disable", admin).status == .seeOther)
            #expect(WebTestApp.isRedirectToLogin(try await app.get("/console", responderLogin)))
            let again = try await app.submitLogin(email: responder.email, password: responder.password)
            #expect(again.status == .unauthorized)
        }
    }
}

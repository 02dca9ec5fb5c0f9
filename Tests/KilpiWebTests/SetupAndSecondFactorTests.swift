import Foundation
import HTTPTypes
import HummingbirdTesting
import KilpiCore
import KilpiStore
import KilpiTestSupport
import Testing

@testable import KilpiWeb

@Suite struct SetupLinkTests {
    static let adminPassword = "first admin passphrase for kilpi"

    @Test func theSetupLinkCreatesOneAdminWhoMustEnrolASecondFactor() async throws {
        try await WebTestApp.run { app in
            let token = try #require(try await app.accounts.setupLinkIfNeeded())
            let page = try await app.get("/console/setup/\(token)")
            #expect(page.status == .ok)
            let csrfCookie = try #require(WebTestApp.setCookies(page)[RouteRegistry.preSessionCSRFCookie]?.value)
            let field = try #require(WebTestApp.csrfField(in: page))

            let created = try await app.post(
                "/console/setup/\(token)",
                form: [
                    "name": "First Admin", "email": "First@Example.com", "password": Self.adminPassword, "_csrf": field,
                ],
                cookies: [RouteRegistry.preSessionCSRFCookie: csrfCookie]
            )
            #expect(created.status == .seeOther)
            #expect(created.headers[.location] == "/console/account/second-factor")
            let partial = try #require(WebTestApp.setCookies(created)[RouteRegistry.sessionCookie]?.value)
            let admin = try #require(try await app.store.users.find(email: "first@example.com"))
            #expect(admin.role == .admin && admin.status == .active && !admin.totpEnabled)
            #expect(try await app.store.users.count(role: .admin, status: nil) == 1)
            #expect(try await app.accounts.setupLinkIfNeeded() == nil)

            // Until the second factor is set up, the console only offers enrolment.
            for path in ["/console", "/console/users", "/console/audit"] {
                let response = try await app.get(path, session: partial)
                #expect(response.status == .seeOther, "\(path)")
                #expect(response.headers[.location] == "/console/account/second-factor", "\(path)")
            }

            // The link is spent.
            let again = try await app.get("/console/setup/\(token)")
            #expect(again.status == .notFound)
            #expect(WebTestApp.text(again).contains(UIText.linkInvalid.text(.en)))
            let pre = try await app.preSession()
            let second = try await app.post(
                "/console/setup/\(token)",
                form: [
                    "name": "Second", "email": "second@example.com", "password": Self.adminPassword, "_csrf": pre.field,
                ],
                cookies: [RouteRegistry.preSessionCSRFCookie: pre.cookie]
            )
            #expect(second.status == .notFound)
            #expect(WebTestApp.setCookies(second)[RouteRegistry.sessionCookie] == nil)
            #expect(try await app.store.users.find(email: "second@example.com") == nil)
            #expect(try await app.store.users.count(role: .admin, status: nil) == 1)

            // Enrolment: a wrong code changes nothing...
            let enrolPage = try await app.get("/console/account/second-factor", session: partial)
            #expect(enrolPage.status == .ok)
            let secret = try #require(WebTestApp.hiddenField("secret", in: enrolPage))
            let csrf = try #require(WebTestApp.csrfField(in: enrolPage))
            let bytes = try #require(Base32.decode(secret))
            let staff = WebTestApp.Staff(user: admin, password: Self.adminPassword, totpSecret: bytes)
            let wrong = try await app.post(
                "/console/account/second-factor",
                form: ["secret": secret, "code": staff.wrongCode(at: app.clock.now), "_csrf": csrf],
                session: partial
            )
            #expect(wrong.status == .badRequest)
            #expect(try await app.store.users.find(id: admin.id)?.totpEnabled == false)

            // ...the right one turns it on, shows ten recovery codes once and signs the admin in fully.
            let enrolled = try await app.post(
                "/console/account/second-factor",
                form: ["secret": secret, "code": TOTP(secret: bytes).code(at: app.clock.now), "_csrf": csrf],
                session: partial
            )
            #expect(enrolled.status == .ok)
            let codes = Self.recoveryCodes(in: enrolled)
            #expect(codes.count == 10)
            #expect(Set(codes).count == 10)
            let full = try #require(WebTestApp.setCookies(enrolled)[RouteRegistry.sessionCookie]?.value)
            #expect(full != partial)
            #expect(WebTestApp.isRedirectToLogin(try await app.get("/console", session: partial)))
            #expect(try await app.get("/console", session: full).status == .ok)
            #expect(try await app.get("/console/audit", session: full).status == .ok)
            let stored = try #require(try await app.store.users.find(id: admin.id))
            #expect(stored.totpEnabled && stored.totpSecret == secret)
            #expect(try await app.store.recoveryCodes.remaining(userID: admin.id) == 10)

            // And the admin signs in later with password plus a code from the same app.
            app.clock.advance(30)
            let later = try await app.login(staff)
            #expect(try await app.get("/console/users", later).status == .ok)
            let actions = try await app.store.audit.entries(AuditFilter(limit: 100)).map(\.action)
            #expect(actions.contains("setup.first_admin"))
            #expect(actions.contains("account.second_factor_enabled"))
        }
    }

    @Test func aWeakPasswordDoesNotBurnTheLink() async throws {
        try await WebTestApp.run { app in
            let token = try #require(try await app.accounts.setupLinkIfNeeded())
            let pre = try await app.preSession("/console/setup/\(token)")
            let weak = try await app.post(
                "/console/setup/\(token)",
                form: ["name": "Admin", "email": "admin@example.com", "password": "short", "_csrf": pre.field],
                cookies: [RouteRegistry.preSessionCSRFCookie: pre.cookie]
            )
            #expect(weak.status == .badRequest)
            #expect(try await app.store.users.count(role: nil, status: nil) == 0)
            #expect(try await app.get("/console/setup/\(token)").status == .ok)
        }
    }

    @Test func anUnusedSetupLinkExpiresAfterAnHour() async throws {
        try await WebTestApp.run { app in
            let token = try #require(try await app.accounts.setupLinkIfNeeded())
            app.clock.advance(59 * 60)
            #expect(try await app.get("/console/setup/\(token)").status == .ok)
            app.clock.advance(2 * 60)
            let expired = try await app.get("/console/setup/\(token)")
            #expect(expired.status == .notFound)
            let pre = try await app.preSession()
            let post = try await app.post(
                "/console/setup/\(token)",
                form: [
                    "name": "Late", "email": "late@example.com", "password": Self.adminPassword, "_csrf": pre.field,
                ],
                cookies: [RouteRegistry.preSessionCSRFCookie: pre.cookie]
            )
            #expect(post.status == .notFound)
            #expect(try await app.store.users.count(role: nil, status: nil) == 0)
        }
    }

    @Test func aSetupLinkIsUselessOnceAnAdminExists() async throws {
        try await WebTestApp.run { app in
            let token = try #require(try await app.accounts.setupLinkIfNeeded())
            _ = try await app.makeStaff(.admin)
            #expect(try await app.get("/console/setup/\(token)").status == .notFound)
            let pre = try await app.preSession()
            let post = try await app.post(
                "/console/setup/\(token)",
                form: [
                    "name": "Intruder", "email": "intruder@example.com", "password": Self.adminPassword,
                    "_csrf": pre.field,
                ],
                cookies: [RouteRegistry.preSessionCSRFCookie: pre.cookie]
            )
            #expect(post.status == .notFound)
            #expect(try await app.store.users.find(email: "intruder@example.com") == nil)
        }
    }

    static func recoveryCodes(in response: TestResponse) -> [String] {
        let html = WebTestApp.text(response)
        guard let start = html.range(of: "<ol class=\"codes\">"),
            let end = html.range(of: "</ol>", range: start.upperBound..<html.endIndex)
        else { return [] }
        return html[start.upperBound..<end.lowerBound].components(separatedBy: "<li>").dropFirst().map {
            $0.replacingOccurrences(of: "</li>", with: "").trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }
}

@Suite struct SecondFactorTests {
    /// Signs in with the password only; returns the half-signed-in session and its second-factor form token.
    static func passwordStep(
        _ app: WebTestApp,
        _ staff: WebTestApp.Staff
    ) async throws -> (session: String, csrf: String) {
        let response = try await app.submitLogin(email: staff.email, password: staff.password)
        try #require(response.status == .seeOther)
        #expect(response.headers[.location] == "/console/login/second-factor")
        let session = try #require(WebTestApp.setCookies(response)[RouteRegistry.sessionCookie]?.value)
        let page = try await app.get("/console/login/second-factor", session: session)
        return (session, try #require(WebTestApp.csrfField(in: page)))
    }

    static func submit(
        _ app: WebTestApp,
        code: String,
        step: (session: String, csrf: String)
    ) async throws -> TestResponse {
        try await app.post(
            "/console/login/second-factor",
            form: ["code": code, "_csrf": step.csrf],
            session: step.session
        )
    }

    @Test func aWrongCodeLeavesTheAdminSignedOut() async throws {
        try await WebTestApp.run { app in
            let admin = try await app.makeStaff(.admin)
            let step = try await Self.passwordStep(app, admin)
            let wrong = try await Self.submit(app, code: admin.wrongCode(at: app.clock.now), step: step)
            #expect(wrong.status == .unauthorized)
            #expect(WebTestApp.setCookies(wrong)[RouteRegistry.sessionCookie] == nil)
            let console = try await app.get("/console", session: step.session)
            #expect(console.status == .seeOther)
            #expect(console.headers[.location] == "/console/login/second-factor")
            #expect(try await app.get("/console/users", session: step.session).status == .seeOther)
            #expect(
                try await app.store.audit.entries(AuditFilter(actionPrefix: "session.second_factor_failed", limit: 10))
                    .count == 1
            )

            // The right code then works in the same half session.
            let right = try await Self.submit(app, code: try #require(admin.code(at: app.clock.now)), step: step)
            #expect(right.status == .seeOther)
            #expect(right.headers[.location] == "/console")
        }
    }

    @Test func aTOTPCodeCannotBeReplayed() async throws {
        try await WebTestApp.run { app in
            let admin = try await app.makeStaff(.admin)
            let code = try #require(admin.code(at: app.clock.now))
            let first = try await Self.submit(app, code: code, step: try await Self.passwordStep(app, admin))
            #expect(first.status == .seeOther)
            // Same code, same 30 s period, a second browser: refused.
            let replay = try await Self.submit(app, code: code, step: try await Self.passwordStep(app, admin))
            #expect(replay.status == .unauthorized)
        }
    }

    @Test func aRecoveryCodeWorksOnce() async throws {
        try await WebTestApp.run { app in
            let admin = try await app.makeStaff(.admin)
            let codes = try await app.store.recoveryCodes.regenerate(userID: admin.user.id)
            let code = try #require(codes.first)

            let used = try await Self.submit(app, code: code, step: try await Self.passwordStep(app, admin))
            #expect(used.status == .seeOther)
            #expect(used.headers[.location] == "/console")
            let session = try #require(WebTestApp.setCookies(used)[RouteRegistry.sessionCookie]?.value)
            #expect(try await app.get("/console", session: session).status == .ok)
            #expect(try await app.store.recoveryCodes.remaining(userID: admin.user.id) == codes.count - 1)

            let reused = try await Self.submit(app, code: code, step: try await Self.passwordStep(app, admin))
            #expect(reused.status == .unauthorized)
            #expect(WebTestApp.setCookies(reused)[RouteRegistry.sessionCookie] == nil)

            // Another one, typed in capitals with spaces, still works.
            let typed = codes[1].uppercased().replacingOccurrences(of: "-", with: " ")
            #expect(
                try await Self.submit(app, code: typed, step: try await Self.passwordStep(app, admin)).status
                    == .seeOther
            )
        }
    }

    @Test func anAdminWithoutASecondFactorMustEnrolBeforeAnythingElse() async throws {
        try await WebTestApp.run { app in
            let admin = try await app.makeStaff(.admin, totp: false)
            let response = try await app.submitLogin(email: admin.email, password: admin.password)
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/console/account/second-factor")
            let session = try #require(WebTestApp.setCookies(response)[RouteRegistry.sessionCookie]?.value)
            for path in ["/console", "/console/account", "/console/tokens"] {
                let page = try await app.get(path, session: session)
                #expect(
                    page.status == .seeOther && page.headers[.location] == "/console/account/second-factor",
                    "\(path)"
                )
            }
            // The second-factor form is no shortcut.
            let page = try await app.get("/console/account/second-factor", session: session)
            let csrf = try #require(WebTestApp.csrfField(in: page))
            let bypass = try await app.post(
                "/console/login/second-factor",
                form: ["code": "000000", "_csrf": csrf],
                session: session
            )
            #expect(bypass.status == .seeOther)
            #expect(WebTestApp.setCookies(bypass)[RouteRegistry.sessionCookie] == nil)
            #expect(
                try await app.get("/console", session: session).headers[.location] == "/console/account/second-factor"
            )
        }
    }

    @Test func aHalfSignedInAdminCannotReplaceTheirSecondFactor() async throws {
        try await WebTestApp.run { app in
            let admin = try await app.makeStaff(.admin)
            let step = try await Self.passwordStep(app, admin)
            // Someone who knows only the password tries to enrol their own authenticator.
            let attackerSecret = TOTP.generateSecret()
            let response = try await app.post(
                "/console/account/second-factor",
                form: [
                    "secret": Base32.encode(attackerSecret),
                    "code": TOTP(secret: attackerSecret).code(at: app.clock.now), "_csrf": step.csrf,
                ],
                session: step.session
            )
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/console/login/second-factor")
            let stored = try #require(try await app.store.users.find(id: admin.user.id))
            #expect(stored.totpSecret == Base32.encode(try #require(admin.totpSecret)))
            #expect(try await app.get("/console", session: step.session).status == .seeOther)
        }
    }
}

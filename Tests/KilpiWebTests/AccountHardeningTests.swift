import Foundation
import HTTPTypes
import HummingbirdTesting
import KilpiCore
import KilpiStore
import KilpiTestSupport
import Testing

@testable import KilpiWeb

/// Issue 9 through the real forms: a password alone cannot enrol an admin's first second factor, a reissued
/// enrolment link replaces the old one, replacing a factor or renewing recovery codes needs a current proof, a
/// password change rotates the session, and API tokens expire and die with their creator's account.
@Suite struct AccountHardeningTests {
    static let password = "a long enough passphrase for kilpi admins"

    /// Follows an enrolment link and sets `password`; returns the response (a redirect with a session cookie).
    static func enrol(_ app: WebTestApp, token: String, password: String = Self.password) async throws -> TestResponse {
        let path = Routes.enrol.path(["token": token])
        let pre = try await app.preSession(path)
        return try await app.post(
            path,
            form: ["password": password, "_csrf": pre.field],
            cookies: [RouteRegistry.preSessionCSRFCookie: pre.cookie]
        )
    }

    static func session(_ response: TestResponse) throws -> String {
        try #require(WebTestApp.setCookies(response)[RouteRegistry.sessionCookie]?.value, "no session cookie")
    }

    /// The enrolment link shown on the users page after adding or reissuing.
    static func enrolmentToken(in response: TestResponse) throws -> String {
        let html = WebTestApp.text(response)
        let start = try #require(html.range(of: "/console/enrol/"), "no enrolment link on the page")
        return String(html[start.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
    }

    static func auditActions(_ app: WebTestApp) async throws -> [String] {
        try await app.store.audit.entries(AuditFilter(limit: 1000)).map(\.action)
    }

    /// A pending admin who followed their link and set a password, but left before setting up the authenticator.
    static func adminWhoLeftMidEnrolment(_ app: WebTestApp) async throws -> (user: StaffUser, linkSession: String) {
        let (user, token) = try await app.accounts.addUser(
            email: "new.admin@example.com",
            displayName: "New Admin",
            role: .admin,
            actor: "cli",
            ip: ""
        )
        let enrolled = try await enrol(app, token: token)
        #expect(enrolled.status == .seeOther && enrolled.headers[.location] == Routes.enrolSecondFactor.path())
        return (user, try session(enrolled))
    }

    @Test func aPasswordAloneCannotEnrolAnAdminsFirstSecondFactor() async throws {
        try await WebTestApp.run { app in
            let (admin, linkSession) = try await Self.adminWhoLeftMidEnrolment(app)

            // Whoever learns the password signs in first and tries to enrol their own authenticator.
            let signIn = try await app.submitLogin(email: admin.email, password: Self.password)
            #expect(signIn.status == .seeOther && signIn.headers[.location] == Routes.enrolSecondFactor.path())
            let attacker = try Self.session(signIn)
            let page = try await app.get(Routes.enrolSecondFactor.path(), session: attacker)
            #expect(page.status == .forbidden)
            #expect(WebTestApp.hiddenField("secret", in: page) == nil, "no secret is offered")
            #expect(WebTestApp.text(page).contains("Ask an admin for a new enrolment link"))
            let csrf = try #require(WebTestApp.csrfField(in: page), "the page still offers signing out")
            let theirs = TOTP.generateSecret()
            let attempt = try await app.post(
                Routes.enrolSecondFactorSubmit.path(),
                form: [
                    "secret": Base32.encode(theirs), "code": TOTP(secret: theirs).code(at: app.clock.now),
                    "current": Self.password, "_csrf": csrf,
                ],
                session: attacker
            )
            #expect(attempt.status == .forbidden)
            #expect(WebTestApp.setCookies(attempt)[RouteRegistry.sessionCookie] == nil)
            let stored = try #require(try await app.store.users.find(id: admin.id))
            #expect(!stored.totpEnabled && stored.totpSecret == nil)
            #expect(try await app.store.recoveryCodes.remaining(userID: admin.id) == 0)
            #expect(try await app.get(Routes.dashboard.path(), session: attacker).status == .seeOther)

            // The session the link started still may.
            let own = try await app.get(Routes.enrolSecondFactor.path(), session: linkSession)
            #expect(own.status == .ok)
            let secret = try #require(WebTestApp.hiddenField("secret", in: own))
            let done = try await app.post(
                Routes.enrolSecondFactorSubmit.path(),
                form: [
                    "secret": secret,
                    "code": TOTP(secret: try #require(Base32.decode(secret))).code(at: app.clock.now),
                    "_csrf": try #require(WebTestApp.csrfField(in: own)),
                ],
                session: linkSession
            )
            #expect(done.status == .ok)
            #expect(try await app.store.users.find(id: admin.id)?.totpSecret == secret)
        }
    }

    @Test func reissuingAnEnrolmentLinkInvalidatesTheOldOneAndResetsAFactorlessAdmin() async throws {
        try await WebTestApp.run { app in
            let boss = try await app.makeStaff(.admin)
            let login = try await app.login(boss)

            // A pending viewer: the reissued link works, the old one shows the invalid-link page.
            let added = try await app.post(
                Routes.userCreate.path(),
                login,
                form: ["name": "Vera", "email": "vera@example.com", "role": "viewer"]
            )
            let oldToken = try Self.enrolmentToken(in: added)
            let vera = try #require(try await app.store.users.find(email: "vera@example.com"))
            let reissued = try await app.post(Routes.userEnrolmentLink.path(id: vera.id), login)
            #expect(reissued.status == .ok)
            let newToken = try Self.enrolmentToken(in: reissued)
            #expect(newToken != oldToken)
            let old = try await app.get(Routes.enrol.path(["token": oldToken]))
            #expect(old.status == .notFound)
            #expect(WebTestApp.text(old).contains(UIText.linkInvalid.text(.en)))
            let pre = try await app.preSession()
            let oldSubmit = try await app.post(
                Routes.enrolSubmit.path(["token": oldToken]),
                form: ["password": Self.password, "_csrf": pre.field],
                cookies: [RouteRegistry.preSessionCSRFCookie: pre.cookie]
            )
            #expect(oldSubmit.status == .notFound)
            #expect(WebTestApp.setCookies(oldSubmit)[RouteRegistry.sessionCookie] == nil)
            #expect(try await Self.enrol(app, token: newToken).status == .seeOther)

            // An admin who set a password but no factor, and someone who knows it and signed in.
            let (admin, linkSession) = try await Self.adminWhoLeftMidEnrolment(app)
            let attacker = try Self.session(try await app.submitLogin(email: admin.email, password: Self.password))
            let reset = try await app.post(Routes.userEnrolmentLink.path(id: admin.id), login)
            #expect(reset.status == .ok)
            let stored = try #require(try await app.store.users.find(id: admin.id))
            #expect(stored.status == .pending && stored.passwordHash == nil)
            for session in [attacker, linkSession] {
                #expect(WebTestApp.isRedirectToLogin(try await app.get(Routes.dashboard.path(), session: session)))
            }
            #expect(
                try await app.submitLogin(email: admin.email, password: Self.password).status == .unauthorized
            )
            // The new link starts over: a new password, then the authenticator, in that session.
            let again = try await Self.enrol(
                app,
                token: try Self.enrolmentToken(in: reset),
                password: Self.password + "!"
            )
            #expect(again.headers[.location] == Routes.enrolSecondFactor.path())
            #expect(try await app.get(Routes.enrolSecondFactor.path(), session: try Self.session(again)).status == .ok)

            // Accounts that finished enrolment get no new link.
            let done = try await app.post(Routes.userEnrolmentLink.path(id: boss.user.id), login)
            #expect(done.status == .notFound)
            let reissues = try await Self.auditActions(app).filter { $0 == "user.enrolment_reissued" }
            #expect(reissues.count == 2)
        }
    }

    /// A viewer (no factor required) turning on a first factor from an ordinary signed-in session shows the password:
    /// someone at a session left open must not tie the account to their own authenticator.
    @Test func aFirstFactorOutsideTheEnrolmentLinkNeedsThePassword() async throws {
        try await WebTestApp.run { app in
            let viewer = try await app.makeStaff(.viewer)
            let login = try await app.login(viewer)
            let page = try await app.get(Routes.enrolSecondFactor.path(), login)
            #expect(page.status == .ok)
            #expect(WebTestApp.text(page).contains("name=\"current\""))
            let secret = TOTP.generateSecret()
            for current in ["", "not the password"] {
                let refused = try await app.post(
                    Routes.enrolSecondFactorSubmit.path(),
                    login,
                    form: [
                        "secret": Base32.encode(secret), "code": TOTP(secret: secret).code(at: app.clock.now),
                        "current": current,
                    ]
                )
                #expect(refused.status == .badRequest, "current \(current)")
                #expect(try await app.store.users.find(id: viewer.user.id)?.totpEnabled == false)
            }
            #expect(try await Self.auditActions(app).first == "account.second_factor_change_refused")
            let enabled = try await app.post(
                Routes.enrolSecondFactorSubmit.path(),
                login,
                form: [
                    "secret": Base32.encode(secret), "code": TOTP(secret: secret).code(at: app.clock.now),
                    "current": viewer.password,
                ]
            )
            #expect(enabled.status == .ok)
            #expect(try await app.store.users.find(id: viewer.user.id)?.totpSecret == Base32.encode(secret))
        }
    }

    @Test func replacingASecondFactorNeedsTheCurrentCodeOrPassword() async throws {
        try await WebTestApp.run { app in
            let admin = try await app.makeStaff(.admin)
            let login = try await app.login(admin)
            let page = try await app.get(Routes.enrolSecondFactor.path(), login)
            #expect(page.status == .ok)
            #expect(WebTestApp.text(page).contains("name=\"current\""))
            let original = try #require(try await app.store.users.find(id: admin.user.id)?.totpSecret)

            let next = TOTP.generateSecret()
            let refused = try await app.post(
                Routes.enrolSecondFactorSubmit.path(),
                login,
                form: [
                    "secret": Base32.encode(next), "code": TOTP(secret: next).code(at: app.clock.now),
                    "current": "not the password",
                ]
            )
            #expect(refused.status == .badRequest)
            #expect(WebTestApp.errorNotice(refused)?.hasPrefix("current:") == true)
            #expect(try await app.store.users.find(id: admin.user.id)?.totpSecret == original)
            #expect(try await Self.auditActions(app).first == "account.second_factor_change_refused")

            let replaced = try await app.post(
                Routes.enrolSecondFactorSubmit.path(),
                login,
                form: [
                    "secret": Base32.encode(next), "code": TOTP(secret: next).code(at: app.clock.now),
                    "current": admin.password,
                ]
            )
            #expect(replaced.status == .ok)
            #expect(try await app.store.users.find(id: admin.user.id)?.totpSecret == Base32.encode(next))
            #expect(try await Self.auditActions(app).first == "account.second_factor_replaced")
            let fresh = try Self.session(replaced)

            // A code from the current app works too (the next period: the last one was used).
            app.clock.advance(30)
            let third = TOTP.generateSecret()
            let freshPage = try await app.get(Routes.enrolSecondFactor.path(), session: fresh)
            let byCode = try await app.post(
                Routes.enrolSecondFactorSubmit.path(),
                form: [
                    "secret": Base32.encode(third), "code": TOTP(secret: third).code(at: app.clock.now),
                    "current": TOTP(secret: next).code(at: app.clock.now),
                    "_csrf": try #require(WebTestApp.csrfField(in: freshPage)),
                ],
                session: fresh
            )
            #expect(byCode.status == .ok)
            #expect(try await app.store.users.find(id: admin.user.id)?.totpSecret == Base32.encode(third))
        }
    }

    @Test func newRecoveryCodesNeedTheCurrentCodeOrPassword() async throws {
        try await WebTestApp.run { app in
            let admin = try await app.makeStaff(.admin)
            let old = try await app.accounts.regenerateRecoveryCodes(
                userID: admin.user.id,
                current: admin.password,
                ip: ""
            )
            let login = try await app.login(admin)
            for current in ["", "wrong password", "000000"] {
                let refused = try await app.post(
                    Routes.regenerateRecoveryCodes.path(),
                    login,
                    form: ["current": current]
                )
                #expect(refused.status == .badRequest, "current \(current)")
                #expect(WebTestApp.text(refused).contains("<li>current: "))
            }
            #expect(try await app.store.recoveryCodes.remaining(userID: admin.user.id) == 10)
            #expect(try await Self.auditActions(app).prefix(3).allSatisfy { $0 == "account.recovery_codes_refused" })

            app.clock.advance(30)
            let renewed = try await app.post(
                Routes.regenerateRecoveryCodes.path(),
                login,
                form: ["current": try #require(admin.code(at: app.clock.now))]
            )
            #expect(renewed.status == .ok)
            let page = WebTestApp.text(renewed)
            #expect(!old.contains { page.contains($0) })
            #expect(
                try await app.store.recoveryCodes.consume(userID: admin.user.id, code: old[0], now: app.clock.now)
                    == false
            )
            #expect(try await Self.auditActions(app).first == "account.recovery_codes_regenerated")
        }
    }

    @Test func changingThePasswordRotatesTheSessionAndEndsTheOthers() async throws {
        try await WebTestApp.run { app in
            let staff = try await app.makeStaff(.responder)
            let here = try await app.login(staff)
            let elsewhere = try await app.login(staff)
            let changed = try await app.post(
                Routes.changePassword.path(),
                here,
                form: ["current": staff.password, "new": "an entirely new passphrase 2026"]
            )
            #expect(changed.status == .ok)
            let rotated = try Self.session(changed)
            #expect(rotated != here.sessionID && rotated != elsewhere.sessionID)
            #expect(WebTestApp.isRedirectToLogin(try await app.get(Routes.dashboard.path(), here)))
            #expect(WebTestApp.isRedirectToLogin(try await app.get(Routes.dashboard.path(), elsewhere)))
            #expect(try await app.get(Routes.dashboard.path(), session: rotated).status == .ok)
            // The page that answered already carries the new session's form token.
            let csrf = try #require(WebTestApp.csrfField(in: changed))
            #expect(try await app.csrfToken(session: rotated) == csrf)
            #expect(try await app.store.sessions.count(userID: staff.user.id) == 1)
            let entry = try #require(try await app.store.audit.entries(AuditFilter(limit: 1)).first)
            #expect(entry.action == "account.password_changed" && entry.detail == "2 sessions ended, a new one started")

            // A wrong current password changes nothing and ends nothing.
            let wrong = try await app.post(
                Routes.changePassword.path(),
                WebTestApp.Login(sessionID: rotated, csrf: csrf),
                form: ["current": staff.password, "new": "yet another passphrase 2027"]
            )
            #expect(wrong.status == .badRequest)
            #expect(WebTestApp.setCookies(wrong)[RouteRegistry.sessionCookie] == nil)
            #expect(try await app.get(Routes.dashboard.path(), session: rotated).status == .ok)
        }
    }

    @Test func anExpiredTokenIsRefusedAndTheConsoleSaysSo() async throws {
        try await WebTestApp.run { app in
            let admin = try await app.makeStaff(.admin)
            let login = try await app.login(admin)
            for bad in ["0", "366", "ninety", "-5"] {
                let refused = try await app.post(
                    Routes.tokenCreate.path(),
                    login,
                    form: ["name": "SIEM", "role": "viewer", "expires_in": bad]
                )
                #expect(refused.status == .badRequest, "expires_in \(bad)")
                #expect(WebTestApp.text(refused).contains("expires_in:"))
            }
            #expect(try await app.store.tokens.all().isEmpty)

            let created = try await app.post(
                Routes.tokenCreate.path(),
                login,
                form: ["name": "SIEM", "role": "admin", "expires_in": "1"]
            )
            #expect(created.status == .ok)
            let html = WebTestApp.text(created)
            let start = try #require(html.range(of: "kilpi_"))
            let secret = String(html[start.lowerBound...].prefix { $0 != "<" })
            let token = try #require(try await app.store.tokens.all().first)
            #expect(token.createdBy == "user:\(admin.user.id)")
            #expect(token.expiresAt == app.clock.now.addingTimeInterval(86_400))
            #expect(try await app.api(.get, Routes.apiMe.path(), token: secret).status == .ok)
            let listed = try WebTestApp.json(try await app.api(.get, Routes.apiTokens.path(), token: secret))
            #expect((listed["items"] as? [[String: Any]])?.first?["expiresAt"] is String)

            app.clock.advance(86_400)
            #expect(try await app.api(.get, Routes.apiMe.path(), token: secret).status == .unauthorized)
            let again = try await app.login(admin)
            let page = try await app.get(Routes.tokens.path(), again)
            #expect(WebTestApp.text(page).contains("expired"))
        }
    }

    @Test func disablingAnAdminRevokesTheTokensTheyMade() async throws {
        try await WebTestApp.run { app in
            let maker = try await app.makeStaff(.admin)
            let other = try await app.makeStaff(.admin)
            let made = try await app.accounts.createToken(
                name: "maker's",
                role: .admin,
                actor: "user:\(maker.user.id)",
                ip: ""
            )
            let cli = try await app.accounts.createToken(name: "cli", role: .viewer, actor: "cli", ip: "")
            #expect(try await app.api(.get, Routes.apiMe.path(), token: made.secret).status == .ok)
            let login = try await app.login(other)
            let disabled = try await app.post(Routes.userDisable.path(id: maker.user.id), login)
            #expect(disabled.status == .seeOther)
            #expect(try await app.api(.get, Routes.apiMe.path(), token: made.secret).status == .unauthorized)
            #expect(try await app.api(.get, Routes.apiMe.path(), token: cli.secret).status == .ok)
            let revoke = try #require(
                try await app.store.audit.entries(AuditFilter(actionPrefix: "token.revoke")).first
            )
            #expect(revoke.target == "token:\(made.token.id)" && revoke.actor == "user:\(other.user.id)")
        }
    }
}

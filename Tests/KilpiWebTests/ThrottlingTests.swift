import Foundation
import HTTPTypes
import HummingbirdTesting
import KilpiCore
import KilpiStore
import KilpiTestSupport
import Testing

@testable import KilpiWeb

@Suite struct ThrottlingTests {
    @Test func aLockedAccountLooksExactlyLikeAWrongPassword() async throws {
        try await WebTestApp.run { app in
            let viewer = try await app.makeStaff(.viewer)
            let unknown = try await app.submitLogin(email: "nobody-here@example.com", password: viewer.password)
            #expect(unknown.status == .unauthorized)
            let generic = try #require(WebTestApp.errorNotice(unknown))

            for attempt in 1...AccountService.freeFailures {
                let wrong = try await app.submitLogin(email: viewer.email, password: "wrong password number \(attempt)")
                #expect(wrong.status == .unauthorized)
                #expect(WebTestApp.errorNotice(wrong) == generic)
            }
            // Locked now: the right password is refused with the very same words and status.
            let locked = try await app.submitLogin(email: viewer.email, password: viewer.password)
            #expect(locked.status == .unauthorized)
            #expect(WebTestApp.errorNotice(locked) == generic)
            #expect(WebTestApp.setCookies(locked)[RouteRegistry.sessionCookie] == nil)
            #expect(
                try await app.store.audit.entries(AuditFilter(actionPrefix: "session.login_throttled", limit: 10)).count
                    == 1
            )

            // Once the lock has passed, the right password works.
            let lock = try #require(AccountService.lockout(afterFailures: AccountService.freeFailures))
            app.clock.advance(lock + 1)
            let ok = try await app.submitLogin(email: viewer.email, password: viewer.password)
            #expect(ok.status == .seeOther)
            #expect(ok.headers[.location] == "/console")
            // A success resets the count: one more typo does not lock again.
            let user = try #require(try await app.store.users.find(id: viewer.user.id))
            #expect(user.failedLogins == 0)
        }
    }

    @Test func anAddressIsStoppedAfterTooManyFailuresAcrossAccounts() async throws {
        try await WebTestApp.run(configure: { $0.ipFailureLimit = 3 }) { app in
            let viewer = try await app.makeStaff(.viewer)
            for index in 1...3 {
                let response = try await app.submitLogin(
                    email: "guess-\(index)@example.com",
                    password: "password guess \(index)"
                )
                #expect(response.status == .unauthorized, "attempt \(index)")
            }
            // The fourth attempt is refused before any password check, even with a different email and the
            // right password.
            let blocked = try await app.submitLogin(email: viewer.email, password: viewer.password)
            #expect(blocked.status == .tooManyRequests)
            #expect(WebTestApp.setCookies(blocked)[RouteRegistry.sessionCookie] == nil)
            #expect(WebTestApp.errorNotice(blocked) == UIText.tooManyAttempts.text(.en))
            #expect(try await app.store.users.find(id: viewer.user.id)?.lastLoginAt == nil)
            #expect(
                try await app.store.audit.entries(AuditFilter(actionPrefix: "session.login_throttled", limit: 10)).count
                    == 1
            )

            // The window slides: once it has passed, the address may try again.
            app.clock.advance(app.configuration.ipWindow + 1)
            let ok = try await app.submitLogin(email: viewer.email, password: viewer.password)
            #expect(ok.status == .seeOther)
        }
    }

    @Test func wrongSecondFactorCodesCountAgainstTheAddress() async throws {
        try await WebTestApp.run(configure: { $0.ipFailureLimit = 2 }) { app in
            let admin = try await app.makeStaff(.admin)
            let response = try await app.submitLogin(email: admin.email, password: admin.password)
            let partial = try #require(WebTestApp.setCookies(response)[RouteRegistry.sessionCookie]?.value)
            let csrf = try #require(
                WebTestApp.csrfField(in: try await app.get("/console/login/second-factor", session: partial))
            )
            for _ in 1...2 {
                let wrong = try await app.post(
                    "/console/login/second-factor",
                    form: ["code": admin.wrongCode(at: app.clock.now), "_csrf": csrf],
                    session: partial
                )
                #expect(wrong.status == .unauthorized)
            }
            let blocked = try await app.submitLogin(email: admin.email, password: admin.password)
            #expect(blocked.status == .tooManyRequests)
        }
    }
}

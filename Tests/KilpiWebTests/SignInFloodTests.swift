import Foundation
import HTTPTypes
import HummingbirdTesting
import KilpiCore
import KilpiStore
import KilpiTestSupport
import Testing

@testable import KilpiWeb

/// Bursts of sign-in posts: every attempt takes its slot in the database before anything is checked, so a
/// burst gets no more checks than a patient guesser; and a full hashing pool answers 503 instead of queueing.
@Suite struct SignInFloodTests {
    static func failures(_ app: WebTestApp, _ action: String, target: String) async throws -> Int {
        try await app.store.audit.entries(AuditFilter(actionPrefix: action, limit: 10_000)).filter {
            $0.action == action && $0.target == target
        }.count
    }

    /// Runs `count` copies of `post` at once and returns their statuses.
    static func burst(
        _ count: Int,
        _ post: @escaping @Sendable (Int) async throws -> TestResponse
    ) async throws -> [HTTPResponse.Status] {
        try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
            for index in 0..<count { group.addTask { try await post(index).status } }
            var statuses: [HTTPResponse.Status] = []
            for try await status in group { statuses.append(status) }
            return statuses
        }
    }

    @Test(
        "200 parallel wrong codes after the right password: only the allowed few are checked",
        arguments: TestDatabases.engines
    )
    func parallelWrongCodes(engine: SQLEngine) async throws {
        try await WebTestApp.run(
            engine,
            configure: { $0.passwordHashing = PasswordHashingPool(threads: 2, queueLimit: 400) }
        ) { app in
            let admin = try await app.makeStaff(.admin)
            let response = try await app.submitLogin(email: admin.email, password: admin.password)
            #expect(response.headers[.location] == Routes.secondFactor.path())
            let partial = try #require(WebTestApp.setCookies(response)[RouteRegistry.sessionCookie]?.value)
            let csrf = try #require(
                WebTestApp.csrfField(in: try await app.get(Routes.secondFactor.path(), session: partial))
            )
            let wrong = admin.wrongCode(at: app.clock.now)
            let statuses = try await Self.burst(200) { _ in
                try await app.post(
                    Routes.secondFactorSubmit.path(),
                    form: ["code": wrong, "_csrf": csrf],
                    session: partial
                )
            }
            #expect(statuses.allSatisfy { $0 == .unauthorized || $0 == .tooManyRequests })
            // Every checked code leaves a "second factor failed" entry. The password took the account's first
            // slot (it stays counted until the code is given), so four codes were checked: never 200.
            let checked = try await Self.failures(app, "session.second_factor_failed", target: "user:\(admin.user.id)")
            #expect(checked == AccountService.freeFailures - 1, "checked \(checked) of 200")
            #expect(statuses.filter { $0 == .tooManyRequests }.count == 200 - app.configuration.ipFailureLimit)
            // And now even the right code waits out the lock.
            let right = try #require(admin.code(at: app.clock.now))
            let locked = try await app.post(
                Routes.secondFactorSubmit.path(),
                form: ["code": right, "_csrf": csrf],
                session: partial
            )
            #expect(locked.status == .tooManyRequests || locked.status == .unauthorized)
            #expect(WebTestApp.setCookies(locked)[RouteRegistry.sessionCookie] == nil)
        }
    }

    @Test("200 parallel wrong passwords: five are checked, the rest refused", arguments: TestDatabases.engines)
    func parallelWrongPasswords(engine: SQLEngine) async throws {
        try await WebTestApp.run(
            engine,
            configure: {
                $0.passwordHashing = PasswordHashingPool(threads: 2, queueLimit: 400)
                $0.ipFailureLimit = 1000
            }
        ) { app in
            let viewer = try await app.makeStaff(.viewer)
            let pre = try await app.preSession()
            let statuses = try await Self.burst(200) { index in
                try await app.post(
                    Routes.loginSubmit.path(),
                    form: ["email": viewer.email, "password": "guess \(index)", "_csrf": pre.field],
                    cookies: [RouteRegistry.preSessionCSRFCookie: pre.cookie]
                )
            }
            #expect(statuses.allSatisfy { $0 == .unauthorized })
            let checked = try await Self.failures(app, "session.login_failed", target: "user:\(viewer.user.id)")
            #expect(checked == AccountService.freeFailures, "checked \(checked) of 200")
            #expect(
                try await Self.failures(app, "session.login_throttled", target: "user:\(viewer.user.id)") == 200
                    - checked
            )
        }
    }

    @Test func aFullHashingPoolAnswers503WithRetryAfter() async throws {
        let pool = PasswordHashingPool(threads: 1, queueLimit: 0, retryAfter: 7)
        try await WebTestApp.run(configure: { $0.passwordHashing = pool }) { app in
            let viewer = try await app.makeStaff(.viewer)
            var held = pool.admit()
            #expect(held != nil)
            let busy = try await app.submitLogin(email: viewer.email, password: viewer.password)
            #expect(busy.status == .serviceUnavailable)
            #expect(busy.headers[.retryAfter] == "7")
            #expect(WebTestApp.errorNotice(busy) == UIText.signInBusy.text(.en))
            #expect(WebTestApp.setCookies(busy)[RouteRegistry.sessionCookie] == nil)
            #expect(try await app.store.users.find(id: viewer.user.id)?.failedLogins == 0, "nothing was counted")

            held = nil
            let ok = try await app.submitLogin(email: viewer.email, password: viewer.password)
            #expect(ok.status == .seeOther)
        }
    }
}

@Suite struct ClientAddressTests {
    static let proxies = [try! CIDR(parsing: "10.0.0.0/8"), try! CIDR(parsing: "2001:db8:ffff::/48")]

    @Test func anUntrustedPeerIsTheClientWhateverItsHeaderSays() {
        #expect(
            ClientAddress.resolve(peer: "198.51.100.4", forwardedFor: ["203.0.113.9"], trusted: Self.proxies)
                == "198.51.100.4"
        )
        #expect(
            ClientAddress.resolve(peer: "198.51.100.4", forwardedFor: ["203.0.113.9"], trusted: []) == "198.51.100.4"
        )
        #expect(ClientAddress.resolve(peer: "10.0.0.2", forwardedFor: ["203.0.113.9"], trusted: []) == "10.0.0.2")
    }

    @Test func behindTrustedProxiesTheRightmostUntrustedHopIsTheClient() {
        let resolve = { (peer: String, header: [String]) in
            ClientAddress.resolve(peer: peer, forwardedFor: header, trusted: Self.proxies)
        }
        #expect(resolve("10.0.0.2", ["203.0.113.9"]) == "203.0.113.9")
        // The client may send its own header; the proxy appends the real peer, which is what counts.
        #expect(resolve("10.0.0.2", ["6.6.6.6, 203.0.113.9"]) == "203.0.113.9")
        #expect(resolve("10.0.0.2", ["6.6.6.6", "203.0.113.9"]) == "203.0.113.9", "several header lines")
        // A chain of trusted proxies is walked through.
        #expect(resolve("10.0.0.2", ["6.6.6.6, 203.0.113.9, 10.1.1.1, 10.2.2.2"]) == "203.0.113.9")
        #expect(resolve("2001:db8:ffff:1::1", ["2001:db8:1::5, 2001:db8:ffff::7"]) == "2001:db8:1::5")
        #expect(resolve("10.0.0.2", ["[2001:db8:1::5]:4711"]) == "2001:db8:1::5")
        #expect(resolve("10.0.0.2", ["203.0.113.9:4711"]) == "203.0.113.9")
        // No header, or only proxies: the nearest address there is.
        #expect(resolve("10.0.0.2", []) == "10.0.0.2")
        #expect(resolve("10.0.0.2", ["10.9.9.9"]) == "10.9.9.9")
        // Garbage ends the chain at the last proxy that wrote something readable.
        #expect(resolve("10.0.0.2", ["203.0.113.9, nonsense"]) == "10.0.0.2")
        #expect(resolve("10.0.0.2", ["203.0.113.9, nonsense, 10.3.3.3"]) == "10.3.3.3")
    }

    static func loginFailureIPs(_ app: WebTestApp, _ staff: WebTestApp.Staff) async throws -> [String] {
        try await app.store.audit.entries(AuditFilter(actionPrefix: "session.login_failed", limit: 100))
            .filter { $0.target == "user:\(staff.user.id)" }.map(\.ip)
    }

    static func wrongLogin(
        _ app: WebTestApp,
        _ staff: WebTestApp.Staff,
        forwardedFor: String
    ) async throws -> TestResponse {
        let pre = try await app.preSession()
        return try await app.request(
            .post,
            Routes.loginSubmit.path(),
            headers: [.contentType: "application/x-www-form-urlencoded", ClientAddress.forwardedFor: forwardedFor],
            cookies: [RouteRegistry.preSessionCSRFCookie: pre.cookie],
            body: WebTestApp.urlencode(["email": staff.email, "password": "not it", "_csrf": pre.field])
        )
    }

    @Test func aSpoofedHeaderFromAnUntrustedPeerIsIgnored() async throws {
        try await WebTestApp.run(live: true) { app in
            let viewer = try await app.makeStaff(.viewer)
            #expect(try await Self.wrongLogin(app, viewer, forwardedFor: "203.0.113.9").status == .unauthorized)
            #expect(try await Self.loginFailureIPs(app, viewer) == ["127.0.0.1"])
        }
    }

    @Test func behindATrustedProxyEachClientIsCountedOnItsOwn() async throws {
        try await WebTestApp.run(
            live: true,
            configure: {
                $0.trustedProxies = [try! CIDR(parsing: "127.0.0.0/8")]
                $0.ipFailureLimit = 2
            }
        ) { app in
            let viewer = try await app.makeStaff(.viewer)
            for _ in 0..<2 {
                let response = try await Self.wrongLogin(app, viewer, forwardedFor: "6.6.6.6, 203.0.113.9")
                #expect(response.status == .unauthorized)
            }
            #expect(try await Self.wrongLogin(app, viewer, forwardedFor: "203.0.113.9").status == .tooManyRequests)
            // Another client behind the same proxy is not held back by the first one's failures.
            #expect(try await Self.wrongLogin(app, viewer, forwardedFor: "198.51.100.20").status == .unauthorized)
            #expect(
                try await Self.loginFailureIPs(app, viewer).sorted() == ["198.51.100.20", "203.0.113.9", "203.0.113.9"]
            )
        }
    }
}

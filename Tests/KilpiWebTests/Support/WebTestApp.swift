import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KilpiCore
import KilpiStore
import KilpiTestSupport
import NIOCore
import Testing

@testable import KilpiWeb

/// A running Kilpi app over a fresh database, a hand-moved clock and a test client, plus the helpers the web
/// tests share: making staff accounts straight in the store, signing in through the real HTTP flow, and
/// reading cookies and forms out of responses.
struct WebTestApp: Sendable {
    let store: Store
    let clock: TestClock
    let configuration: AppConfiguration
    let client: any TestClientProtocol

    /// Passes the policy for every role (longer than 15, not on the blocklist).
    static let password = "violet tractor mailbox 1987 kilpi"
    /// Cheap scrypt so tests do not spend seconds hashing.
    static let hasher = PasswordHasher(logN: 10, r: 8, p: 1)

    var accounts: AccountService { AccountService(store: store, hasher: Self.hasher, now: clock.source) }

    /// Runs `body` against a fresh app. `configure` adjusts the configuration (TLS, limits) before the app is built.
    /// By default requests go straight to the router (no socket, so no peer address: `remoteIP` is
    /// "unknown"); `live` runs a real server on a free loopback port, for tests about the peer's address.
    static func run<T: Sendable>(
        _ engine: SQLEngine = .sqlite,
        live: Bool = false,
        configure: @Sendable (inout AppConfiguration) -> Void = { _ in },
        _ body: @Sendable (WebTestApp) async throws -> T
    ) async throws -> T {
        try await TestDatabases.with(engine) { database in
            let store = Store(database: database, vault: try Vault.ephemeral())
            let clock = TestClock()
            var configuration = AppConfiguration(passwordHasher: Self.hasher, now: clock.source)
            if live { configuration.port = 0 }
            // Tests change an incident's updates and FAQ and look at once (ShortLivedCacheTests cover holding).
            configuration.supportContentLifetime = .zero
            // The test clock stands still, so no client's bucket would ever refill: the public traffic guard is
            // off unless a test turns it on (PublicTrafficGuardTests).
            configuration.publicTraffic = PublicTrafficLimits(perClient: 0, inFlight: 0)
            configure(&configuration)
            let configured = configuration
            let app = buildApplication(configuration: configuration, store: store, logger: TestDatabases.quietLogger)
            return try await app.test(live ? .live : .router) { client in
                try await body(WebTestApp(store: store, clock: clock, configuration: configured, client: client))
            }
        }
    }

    // MARK: - Accounts

    /// A staff member made directly in the store: active, with `password`; admins (or `totp: true`) get an
    /// enabled TOTP secret, returned so the test can compute codes.
    struct Staff: Sendable {
        let user: StaffUser
        let password: String
        let totpSecret: [UInt8]?

        var email: String { user.email }
        func code(at date: Date) -> String? { totpSecret.map { TOTP(secret: $0).code(at: date) } }
        /// Six digits that are not a valid code around `date`.
        func wrongCode(at date: Date) -> String {
            let totp = TOTP(secret: totpSecret ?? [])
            return ["000000", "111111", "222222"].first { totp.match($0, at: date) == nil }!
        }
    }

    func makeStaff(
        _ role: Role,
        email: String? = nil,
        name: String? = nil,
        totp: Bool? = nil,
        password: String = WebTestApp.password
    ) async throws -> Staff {
        let email = email ?? "\(role.rawValue)-\(UUID().uuidString.prefix(8).lowercased())@example.com"
        let now = clock.now
        let created = try await store.users.create(
            email: email,
            displayName: name ?? "Test \(role.rawValue)",
            role: role,
            status: .active,
            now: now
        )
        try await store.users.setPassword(userID: created.id, hash: try Self.hasher.hash(password), now: now)
        var secret: [UInt8]?
        if totp ?? role.requiresSecondFactor {
            let bytes = TOTP.generateSecret()
            try await store.users.setTOTP(userID: created.id, secret: Base32.encode(bytes), enabled: true, now: now)
            secret = bytes
        }
        let user = try #require(try await store.users.find(id: created.id))
        return Staff(user: user, password: password, totpSecret: secret)
    }

    /// A bearer token secret for `role`.
    /// A token made by `createdBy`: tokens of one creator count as one person (four eyes on notices).
    func makeToken(
        _ role: Role,
        name: String? = nil,
        createdBy: String = "test"
    ) async throws -> (
        token: APIToken, secret: String
    ) {
        try await store.tokens.create(
            name: name ?? "test \(role.rawValue)",
            role: role,
            createdBy: createdBy,
            now: clock.now
        )
    }

    // MARK: - Signing in

    /// A signed-in browser: the session cookie and the session's CSRF token.
    struct Login: Sendable {
        let sessionID: String
        let csrf: String
        var cookieHeader: String { "\(RouteRegistry.sessionCookie)=\(sessionID)" }
    }

    /// The pre-session double-submit token: the `kilpi_csrf` cookie and the form's hidden field.
    struct PreSession: Sendable {
        let cookie: String
        let field: String
    }

    /// GET the sign-in page and return its CSRF cookie and field (they must match).
    func preSession(_ path: String = Routes.login.path()) async throws -> PreSession {
        let response = try await get(path)
        #expect(response.status == .ok, "GET \(path)")
        let cookie = try #require(
            Self.setCookies(response)[RouteRegistry.preSessionCSRFCookie]?.value,
            "no kilpi_csrf cookie from \(path)"
        )
        let field = try #require(Self.csrfField(in: response), "no _csrf field on \(path)")
        return PreSession(cookie: cookie, field: field)
    }

    /// Submits the sign-in form: returns the raw response.
    func submitLogin(email: String, password: String, cookies: [String: String] = [:]) async throws -> TestResponse {
        let pre = try await preSession()
        var jar = cookies
        jar[RouteRegistry.preSessionCSRFCookie] = pre.cookie
        return try await post(
            Routes.loginSubmit.path(),
            form: ["email": email, "password": password, "_csrf": pre.field],
            cookies: jar
        )
    }

    /// Signs `staff` in through the real forms: password, then the TOTP code when one is owed. Admins' codes
    /// cannot be replayed, so a second sign-in of the same admin needs the clock moved by 30 s first.
    func login(_ staff: Staff) async throws -> Login {
        let response = try await submitLogin(email: staff.email, password: staff.password)
        try #require(response.status == .seeOther, "sign-in of \(staff.email) answered \(response.status)")
        var sessionID = try #require(Self.setCookies(response)[RouteRegistry.sessionCookie]?.value)
        if response.headers[.location] == Routes.secondFactor.path() {
            let secret = try #require(staff.totpSecret, "second factor asked of a user without one")
            let page = try await get(Routes.secondFactor.path(), session: sessionID)
            let csrf = try #require(Self.csrfField(in: page))
            let second = try await post(
                Routes.secondFactorSubmit.path(),
                form: ["code": TOTP(secret: secret).code(at: clock.now), "_csrf": csrf],
                session: sessionID
            )
            try #require(
                second.status == .seeOther && second.headers[.location] == Routes.dashboard.path(),
                "second factor answered \(second.status)"
            )
            sessionID = try #require(Self.setCookies(second)[RouteRegistry.sessionCookie]?.value)
        }
        return Login(sessionID: sessionID, csrf: try await csrfToken(session: sessionID))
    }

    /// The session's CSRF token, read from the hidden field of a console page.
    func csrfToken(session: String) async throws -> String {
        let page = try await get(Routes.account.path(), session: session)
        try #require(page.status == .ok, "account page answered \(page.status)")
        return try #require(Self.csrfField(in: page))
    }

    // MARK: - Requests

    func request(
        _ method: HTTPRequest.Method,
        _ uri: String,
        headers: HTTPFields = [:],
        cookies: [String: String] = [:],
        body: String? = nil
    ) async throws -> TestResponse {
        var headers = headers
        if !cookies.isEmpty {
            headers[.cookie] = cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(
                separator: "; "
            )
        }
        return try await client.execute(
            uri: uri,
            method: method,
            headers: headers,
            body: body.map { ByteBuffer(string: $0) }
        )
    }

    func get(_ uri: String, session: String? = nil, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await request(
            .get,
            uri,
            headers: headers,
            cookies: session.map { [RouteRegistry.sessionCookie: $0] } ?? [:]
        )
    }

    func get(_ uri: String, _ login: Login) async throws -> TestResponse {
        try await get(uri, session: login.sessionID)
    }

    /// A urlencoded form POST.
    func post(
        _ uri: String,
        form: KeyValuePairs<String, String>,
        session: String? = nil,
        cookies: [String: String] = [:]
    ) async throws -> TestResponse {
        var jar = cookies
        if let session { jar[RouteRegistry.sessionCookie] = session }
        return try await request(
            .post,
            uri,
            headers: [.contentType: "application/x-www-form-urlencoded"],
            cookies: jar,
            body: Self.urlencode(form)
        )
    }

    /// A form POST as `login`, with its CSRF token added.
    /// A console form posted by `login` with the language cookie set to `language` (fields in order, repeats kept).
    static func post(
        _ app: WebTestApp,
        _ login: Login,
        _ uri: String,
        language: Language,
        _ form: [(String, String)]
    ) async throws -> TestResponse {
        try await app.request(
            .post,
            uri,
            headers: [.contentType: "application/x-www-form-urlencoded"],
            cookies: [RouteRegistry.sessionCookie: login.sessionID, "kilpi_lang": language.rawValue],
            body: urlencode(form + [("_csrf", login.csrf)])
        )
    }

    func post(_ uri: String, _ login: Login, form: KeyValuePairs<String, String> = [:]) async throws -> TestResponse {
        let pairs = form.map { ($0.key, $0.value) } + [("_csrf", login.csrf)]
        return try await request(
            .post,
            uri,
            headers: [.contentType: "application/x-www-form-urlencoded"],
            cookies: [RouteRegistry.sessionCookie: login.sessionID],
            body: Self.urlencode(pairs)
        )
    }

    func api(
        _ method: HTTPRequest.Method,
        _ uri: String,
        token: String?,
        json: String? = nil
    ) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil { headers[.contentType] = "application/json" }
        return try await request(method, uri, headers: headers, body: json)
    }

    // MARK: - Reading responses

    static func urlencode(_ pairs: [(String, String)]) -> String {
        var allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        allowed.insert(charactersIn: "-._~")
        return pairs.map { key, value in
            "\(key.addingPercentEncoding(withAllowedCharacters: allowed)!)=\(value.addingPercentEncoding(withAllowedCharacters: allowed)!)"
        }.joined(separator: "&")
    }

    static func urlencode(_ pairs: KeyValuePairs<String, String>) -> String {
        urlencode(pairs.map { ($0.key, $0.value) })
    }

    /// A `Set-Cookie` header taken apart: name, value and attributes (names as sent, values as sent).
    struct SetCookie: Sendable {
        let name: String
        let value: String
        let attributes: [String: String]
        let raw: String

        func has(_ attribute: String) -> Bool {
            attributes.keys.contains { $0.caseInsensitiveCompare(attribute) == .orderedSame }
        }
        func attribute(_ name: String) -> String? {
            attributes.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value
        }
    }

    static func setCookies(_ response: TestResponse) -> [String: SetCookie] {
        var result: [String: SetCookie] = [:]
        for header in response.headers[values: .setCookie] {
            let parts = header.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let first = parts.first, let equals = first.firstIndex(of: "=") else { continue }
            var attributes: [String: String] = [:]
            for part in parts.dropFirst() {
                let pieces = part.split(separator: "=", maxSplits: 1).map(String.init)
                attributes[pieces[0]] = pieces.count > 1 ? pieces[1] : ""
            }
            let name = String(first[..<equals])
            result[name] = SetCookie(
                name: name,
                value: String(first[first.index(after: equals)...]),
                attributes: attributes,
                raw: header
            )
        }
        return result
    }

    static func text(_ response: TestResponse) -> String { String(buffer: response.body) }

    /// The value of the first hidden input named `name` (`_csrf` by default).
    static func hiddenField(_ name: String, in response: TestResponse) -> String? {
        let html = text(response)
        guard let start = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
        let rest = html[start.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end])
    }

    static func csrfField(in response: TestResponse) -> String? {
        hiddenField("_csrf", in: response).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The text of the page's error notice (`<p class="notice error" ...>...</p>`), if any.
    static func errorNotice(_ response: TestResponse) -> String? {
        let html = text(response)
        guard let start = html.range(of: "<p class=\"notice error\" role=\"alert\">") else { return nil }
        let rest = html[start.upperBound...]
        guard let end = rest.range(of: "</p>") else { return nil }
        return String(rest[..<end.lowerBound])
    }

    static func json(_ response: TestResponse) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))
        return try #require(object as? [String: Any], "body is not a JSON object: \(text(response))")
    }

    /// Whether `response` sends the browser to the sign-in form.
    static func isRedirectToLogin(_ response: TestResponse) -> Bool {
        response.status == .seeOther && response.headers[.location] == Routes.login.path()
    }

    /// Whether `login` still names a live session (without touching the clock).
    func isLive(_ login: Login) async throws -> Bool {
        try await store.sessions.find(
            id: login.sessionID,
            now: clock.now,
            idleTimeout: configuration.sessionIdleTimeout
        ) != nil
    }
}

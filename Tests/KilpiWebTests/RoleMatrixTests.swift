import Foundation
import HTTPTypes
import HummingbirdTesting
import KilpiCore
import KilpiStore
import KilpiTestSupport
import Testing

@testable import KilpiWeb

/// Every route × every role (and nobody), with expectations derived from `AccessPolicy`, plus a few
/// hard-coded spot checks so a mistake in the policy itself also fails.
@Suite struct RoleMatrixTests {
    /// Who makes a request in the matrix.
    enum Caller: Hashable, CustomStringConvertible {
        case nobody
        case staff(Role)
        var description: String {
            switch self {
            case .nobody: "nobody"
            case .staff(let role): role.rawValue
            }
        }
    }

    static let callers: [Caller] = [.nobody] + Role.allCases.map(Caller.staff)

    @Test(arguments: TestDatabases.engines)
    func everyRouteAnswersEveryRoleAsThePolicySays(engine: SQLEngine) async throws {
        #expect(Set(Routes.all).count == Routes.all.count, "a route is listed twice in Routes.all")
        try await WebTestApp.run(engine) { app in
            // What `:id` routes act on: people and tokens nobody signs in with, so changing them cannot
            // disturb the callers.
            let target = try await app.store.users.create(
                email: "target@example.com",
                displayName: "Target",
                role: .viewer,
                status: .pending,
                now: app.clock.now
            )
            let consoleVictim = try await app.makeToken(.viewer, name: "console victim").token
            // A customer for the data-map routes (its page, export and erasure).
            let store = app.store
            _ = try await store.database.transaction { sql in
                try await store.customers.upsert(
                    [
                        CustomerInput(
                            externalID: "MATRIX-1",
                            name: "Matrix Customer",
                            email: "matrix@example.com",
                            phone: nil,
                            language: "fi",
                            country: "FI",
                            region: ""
                        )
                    ],
                    now: Date(),
                    in: sql
                )
            }
            let customerID = try #require(try await store.customers.find(externalID: "MATRIX-1")).id
            try await store.dataMap.installCatalogue(now: Date())
            // An incident (with tasks from the shipped playbooks) for the incident routes.
            try await store.playbooks.installDefaults(try DefaultPlaybooks.all(), now: app.clock.now)
            let commander = try await store.users.create(
                email: "commander@example.com",
                displayName: "Commander",
                role: .responder,
                status: .active,
                now: app.clock.now
            )
            let incident = try await store.incidents.declare(
                IncidentDraft(title: "Matrix incident", kinds: [.dataBreach], severity: .sev2),
                commanderID: commander.id,
                playbooks: try await store.playbooks.all(),
                actor: "test",
                now: app.clock.now
            )
            let taskID = try #require(try await store.incidents.tasks(incidentID: incident.id).first).id
            // An inquiry for the support routes (`/console/support/:id`, `/api/v1/inquiries/:id`).
            let inquiryID = try await SupportInboxFixture.inquiry(app, incidentID: incident.id)
            let apiVictim = try await app.makeToken(.viewer, name: "api victim").token
            // A security measure for its console page (`/console/trust/measures/:id`).
            let measure = try await store.measures.create(
                MeasureInput(area: .backups, language: .en, title: "Matrix measure", summary: "Text", status: .planned),
                by: KilpiCore.Caller(.system, ip: "127.0.0.1"),
                now: app.clock.now
            )
            // A trust-center post for its console page (`/console/trust/posts/:id`).
            let post = try await store.posts.draft(
                PostInput(kind: .update, language: .en, title: "Matrix post", body: "Text"),
                by: KilpiCore.Caller(.user(commander.id), ip: "127.0.0.1"),
                now: app.clock.now
            )
            // A notice campaign and an approved template for the notice routes (`/campaigns/:id`, templates).
            let notices = try await NoticeFixture.make(app)
            // Signs in through the public login route (so a caller's session may be replaced by it).
            let walkIn = try await app.makeStaff(.viewer, email: "walk-in@example.com")

            var staff: [Role: WebTestApp.Staff] = [:]
            var tokens: [Role: String] = [:]
            for role in Role.allCases {
                staff[role] = try await app.makeStaff(role)
                tokens[role] = try await app.makeToken(role).secret
            }
            let revoked = try await app.makeToken(.admin, name: "revoked")
            #expect(try await app.store.tokens.revoke(id: revoked.token.id, now: app.clock.now))

            var logins: [Role: WebTestApp.Login] = [:]
            var adminLogins = 0
            var counter = 0
            var exercised = Set<Route>()
            var allowedCases = 0
            var deniedCases = 0

            for route in Routes.all {
                exercised.insert(route)
                for caller in Self.callers {
                    counter += 1
                    // A caller's session can end by the previous request (sign out, sign in as someone else):
                    // sign in again then. Admin TOTP codes are single-use, so step the clock a period first.
                    var login: WebTestApp.Login?
                    if case .staff(let role) = caller {
                        if let cached = logins[role], try await app.isLive(cached) {
                            login = cached
                        } else {
                            if role.requiresSecondFactor {
                                if adminLogins > 0 { app.clock.advance(30) }
                                adminLogins += 1
                            }
                            login = try await app.login(try #require(staff[role]))
                            logins[role] = login
                        }
                    }
                    let noticeID: Int64? =
                        route.template.contains("/campaigns/")
                        ? notices.campaign.id
                        : route.template.contains("/notice-templates/")
                            || route.template.contains("/notices/templates/")
                            ? notices.english.id : nil
                    let otherID =
                        route.template.hasPrefix("/api/")
                        ? apiVictim.id
                        : (route.template.contains("/tokens/")
                            ? consoleVictim.id : route.template.contains("/customers/") ? customerID : target.id)
                    let id =
                        route.template.contains("/incidents/")
                        ? incident.id
                        : route.template.contains("/trust/posts/")
                            ? post.id
                            : route.template.contains("/trust/measures/")
                                ? measure.id
                                : route.template.hasPrefix("/console/support/")
                                    || route.template.contains("/inquiries/")
                                    ? inquiryID : noticeID ?? otherID
                    let textID =
                        route.template.contains("/categories/")
                        ? "email" : route.template.contains("/playbooks/") ? "data-breach" : String(id)
                    let path = route.path(["id": textID, "task": String(taskID), "token": "no-such-token-\(counter)"])
                    let what = "\(route) as \(caller)"

                    switch route.access {
                    case .api(let permission):
                        let body =
                            route.method == .post
                            ? #"{"email": "api-matrix-\#(counter)@example.com", "displayName": "Matrix \#(counter)", "role": "viewer"}"#
                            : nil
                        guard case .staff(let role) = caller else {
                            let none = try await app.api(route.method, path, token: nil, json: body)
                            #expect(none.status == .unauthorized, "\(what) without a token")
                            #expect(
                                none.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true,
                                "\(what): WWW-Authenticate"
                            )
                            let old = try await app.api(route.method, path, token: revoked.secret, json: body)
                            #expect(old.status == .unauthorized, "\(route) with a revoked token")
                            let bogus = try await app.api(
                                route.method,
                                path,
                                token: "kilpi_not-a-real-token",
                                json: body
                            )
                            #expect(bogus.status == .unauthorized, "\(route) with an unknown token")
                            // A console session is not an API credential.
                            if let session = logins[.admin] {
                                let cookie = try await app.request(
                                    route.method,
                                    path,
                                    cookies: ["kilpi_session": session.sessionID],
                                    body: body
                                )
                                #expect(cookie.status == .unauthorized, "\(route) with only a console session cookie")
                            }
                            continue
                        }
                        let response = try await app.api(route.method, path, token: tokens[role], json: body)
                        if AccessPolicy.allows(role, permission) { allowedCases += 1 } else { deniedCases += 1 }
                        if AccessPolicy.allows(role, permission) {
                            #expect(
                                response.status != .unauthorized && response.status != .forbidden,
                                "\(what): \(response.status)"
                            )
                            #expect(response.status.code < 500, "\(what): \(response.status)")
                        } else {
                            #expect(response.status == .forbidden, "\(what): \(response.status)")
                        }

                    case .loopbackOrAPI(let permission):
                        // The test client's peer is not loopback, so these answer as API routes do.
                        guard case .staff(let role) = caller else {
                            let none = try await app.api(route.method, path, token: nil)
                            #expect(none.status == .unauthorized, "\(what) without a token")
                            let old = try await app.api(route.method, path, token: revoked.secret)
                            #expect(old.status == .unauthorized, "\(route) with a revoked token")
                            continue
                        }
                        let response = try await app.api(route.method, path, token: tokens[role])
                        if AccessPolicy.allows(role, permission) { allowedCases += 1 } else { deniedCases += 1 }
                        #expect(
                            response.status == (AccessPolicy.allows(role, permission) ? .ok : .forbidden),
                            "\(what): \(response.status)"
                        )

                    case .console(let permission):
                        let response = try await send(
                            app,
                            route,
                            path: path,
                            login: login,
                            counter: counter,
                            walkIn: walkIn
                        )
                        guard case .staff(let role) = caller else {
                            #expect(
                                WebTestApp.isRedirectToLogin(response),
                                "\(what): \(response.status) \(response.headers[.location] ?? "")"
                            )
                            // A bearer token does not open the console either.
                            let withToken = try await app.request(
                                route.method,
                                path,
                                headers: [.authorization: "Bearer \(tokens[.admin]!)"]
                            )
                            #expect(
                                WebTestApp.isRedirectToLogin(withToken),
                                "\(route) with only a bearer token: \(withToken.status)"
                            )
                            continue
                        }
                        if AccessPolicy.allows(role, permission) { allowedCases += 1 } else { deniedCases += 1 }
                        if AccessPolicy.allows(role, permission) {
                            #expect(
                                response.status != .forbidden && response.status.code < 500,
                                "\(what): \(response.status)"
                            )
                            if route.method == .get { #expect(response.status == .ok, "\(what): \(response.status)") }
                        } else {
                            #expect(response.status == .forbidden, "\(what): \(response.status)")
                        }

                    case .partialSession:
                        let response = try await send(
                            app,
                            route,
                            path: path,
                            login: login,
                            counter: counter,
                            walkIn: walkIn
                        )
                        if caller == .nobody {
                            #expect(WebTestApp.isRedirectToLogin(response), "\(what): \(response.status)")
                        } else {
                            #expect(
                                response.status != .forbidden && response.status.code < 500,
                                "\(what): \(response.status)"
                            )
                        }

                    case .publicAccess:
                        let response = try await send(
                            app,
                            route,
                            path: path,
                            login: login,
                            counter: counter,
                            walkIn: walkIn
                        )
                        #expect(
                            response.status != .forbidden && response.status != .unauthorized,
                            "\(what): \(response.status)"
                        )
                        #expect(response.status.code < 500, "\(what): \(response.status)")
                        #expect(!WebTestApp.isRedirectToLogin(response), "\(what) sent to the sign-in form")
                    }
                }
            }
            #expect(exercised == Set(Routes.all))
            // Not vacuous: the policy both grants and refuses something over these routes.
            #expect(allowedCases > 0 && deniedCases > 0, "allowed \(allowedCases), denied \(deniedCases)")
        }
    }

    /// One request for the matrix: forms carry the caller's CSRF token (or a fresh pre-session pair) and
    /// fields any of the forms might want.
    private func send(
        _ app: WebTestApp,
        _ route: Route,
        path: String,
        login: WebTestApp.Login?,
        counter: Int,
        walkIn: WebTestApp.Staff
    ) async throws -> TestResponse {
        guard route.isStateChanging else { return try await app.get(path, session: login?.sessionID) }
        let pre = try await app.preSession()
        var cookies = [RouteRegistry.preSessionCSRFCookie: pre.cookie]
        if let login { cookies[RouteRegistry.sessionCookie] = login.sessionID }
        let form: KeyValuePairs<String, String> = [
            "_csrf": login?.csrf ?? pre.field,
            "email": route == Routes.loginSubmit ? walkIn.email : "matrix-\(counter)@example.com",
            "password": route == Routes.loginSubmit ? walkIn.password : WebTestApp.password,
            "name": "Matrix \(counter)", "role": "viewer", "current": "not the password",
            "new": WebTestApp.password + " new",
            "code": "000000", "secret": "",
        ]
        return try await app.post(path, form: form, cookies: cookies)
    }

    // MARK: - Role × response field

    /// Issue 9, finding 3: a viewer's token read customer ids from the exposure diff. Every API response is shaped
    /// by the caller's role with the console's rule (`AccessPolicy.shows`): for each role, which fields are there,
    /// and no customer data at all in any API answer to a role without `customerPII`.
    @Test(arguments: TestDatabases.engines)
    func apiResponsesCarryOnlyTheFieldsTheRoleMaySee(engine: SQLEngine) async throws {
        try await WebTestApp.run(engine) { app in
            let (shop, crm) = try await IncidentConsoleTests.seedDataMap(app)
            let store = app.store
            try await store.playbooks.installDefaults(try DefaultPlaybooks.all(), now: app.clock.now)
            let commander = try await app.makeStaff(.responder)
            let incident = try await store.incidents.declare(
                IncidentDraft(title: "Field matrix", kinds: [.dataBreach], severity: .sev2),
                commanderID: commander.user.id,
                playbooks: try await store.playbooks.all(),
                actor: "test",
                now: app.clock.now
            )
            let window = (
                start: Date(timeIntervalSince1970: 1_793_491_200),  // 2026-11-01
                end: Date(timeIntervalSince1970: 1_794_700_740)  // 2026-11-14 23:59
            )
            for systems in [[shop], [shop, crm]] {
                _ = try await store.scopes.create(
                    incidentID: incident.id,
                    ScopeDraft(systemIDs: systems, windowStart: window.start, windowEnd: window.end),
                    actor: "test",
                    now: app.clock.now
                )
            }
            let v2 = try #require(try await store.scopes.latest(incidentID: incident.id))
            #expect(v2.version == 2 && v2.diff?.addedSample == ["A3"], "the CRM brings Carol (A3) in")
            // A notice campaign (over the same customers' data map) for the notice routes.
            let notices = try await NoticeFixture.make(app)
            let inquiryID = try await SupportInboxFixture.inquiry(app, incidentID: incident.id)

            // Hard-coded rather than read from AccessPolicy: which roles see customer ids.
            let seesCustomers: [Role: Bool] = [
                .admin: true, .responder: true, .communicator: true, .agent: true, .viewer: false,
            ]
            // What identifies a customer in any JSON answer: ids (as JSON strings), names, emails.
            let customerData = [
                "\"A1\"", "\"A3\"", "\"A4\"", "Aino", "Carol Smith", "Dan Jones", "aino@example.com",
                "carol@example.com",
            ]
            for role in Role.allCases {
                let token = try await app.makeToken(role).secret
                let sees = try #require(seesCustomers[role])

                let exposure = try await app.api(.get, Routes.apiExposure.path(id: incident.id), token: token)
                #expect(exposure.status == .ok, "\(role): \(exposure.status)")
                let body = try WebTestApp.json(exposure)
                #expect(body["version"] as? Int == 2)
                let summary = try #require(body["summary"] as? [String: Any], "\(role): summary")
                #expect(summary["customers"] as? Int == 3, "\(role): counts are for every role")
                let diff = try #require(body["diff"] as? [String: Any], "\(role): the diff of v2")
                #expect(diff["added"] as? Int == 1, "\(role)")
                let counts: Set = ["added", "removed", "widened", "narrowed", "newCategories"]
                #expect(
                    Set(diff.keys) == (sees ? counts.union(["addedSample"]) : counts),
                    "\(role): \(diff.keys.sorted())"
                )
                if sees {
                    #expect(diff["addedSample"] as? [String] == ["A3"], "\(role)")
                } else {
                    #expect(diff["addedSample"] == nil, "\(role): absent, not empty")
                }

                // Every API read the role may make: no customer data for a role that may not see it.
                for route in Routes.all where route.method == .get {
                    guard case .api(let permission) = route.access, AccessPolicy.allows(role, permission) else {
                        continue
                    }
                    let id =
                        route.template.contains("/campaigns/")
                        ? notices.campaign.id
                        : route.template.contains("/notice-templates/")
                            ? notices.english.id : route.template.contains("/inquiries/") ? inquiryID : incident.id
                    let response = try await app.api(.get, route.path(id: id), token: token)
                    #expect(response.status == .ok, "\(route) as \(role): \(response.status)")
                    let text = WebTestApp.text(response)
                    if !sees {
                        for needle in customerData {
                            #expect(!text.contains(needle), "\(route) as \(role) carries \(needle)")
                        }
                    }
                }
            }
        }
    }

    // MARK: - Hard-coded spot checks: these do not ask AccessPolicy, so a policy mistake shows here.

    @Test func spotChecksOfTheConsole() async throws {
        try await WebTestApp.run { app in
            let viewerStaff = try await app.makeStaff(.viewer)
            let viewer = try await app.login(viewerStaff)
            let responder = try await app.login(try await app.makeStaff(.responder))
            let communicator = try await app.login(try await app.makeStaff(.communicator))
            let agent = try await app.login(try await app.makeStaff(.agent))
            let admin = try await app.login(try await app.makeStaff(.admin))

            #expect(try await app.get("/console/users", viewer).status == .forbidden)
            #expect(try await app.get("/console/users", responder).status == .ok)
            #expect(try await app.get("/console/tokens", responder).status == .forbidden)
            #expect(try await app.get("/console/audit", agent).status == .forbidden)
            #expect(try await app.get("/console/audit", admin).status == .ok)
            #expect(try await app.get("/console/tokens", admin).status == .ok)
            #expect(try await app.get("/console", viewer).status == .ok)
            #expect(try await app.get("/console/account", agent).status == .ok)

            let denied = try await app.post(
                "/console/users",
                communicator,
                form: ["email": "new@example.com", "name": "New", "role": "admin"]
            )
            #expect(denied.status == .forbidden)
            #expect(try await app.store.users.find(email: "new@example.com") == nil)

            // A responder may list staff but not promote anyone.
            let escalation = try await app.post(
                "/console/users/\(viewerStaff.user.id)/role",
                responder,
                form: ["role": "admin"]
            )
            #expect(escalation.status == .forbidden)
            #expect(try await app.store.users.find(id: viewerStaff.user.id)?.role == .viewer)
        }
    }

    @Test func spotChecksOfTheAPI() async throws {
        try await WebTestApp.run { app in
            let viewer = try await app.makeToken(.viewer).secret
            let responder = try await app.makeToken(.responder).secret
            let admin = try await app.makeToken(.admin).secret

            #expect(try await app.api(.get, "/api/v1/me", token: viewer).status == .ok)
            #expect(try await app.api(.get, "/api/v1/users", token: viewer).status == .forbidden)
            #expect(try await app.api(.get, "/api/v1/users", token: responder).status == .ok)
            #expect(try await app.api(.get, "/api/v1/tokens", token: responder).status == .forbidden)
            #expect(try await app.api(.get, "/api/v1/audit", token: responder).status == .forbidden)
            let target = try await app.makeToken(.viewer, name: "target").token
            #expect(try await app.api(.delete, "/api/v1/tokens/\(target.id)", token: responder).status == .forbidden)
            #expect(try await app.store.tokens.find(id: target.id)?.revokedAt == nil)
            #expect(try await app.api(.delete, "/api/v1/tokens/\(target.id)", token: admin).status == .noContent)
            #expect(try await app.store.tokens.find(id: target.id)?.revokedAt != nil)

            let verify = try await app.api(.get, "/api/v1/audit/verify", token: admin)
            #expect(verify.status == .ok)
            #expect(try WebTestApp.json(verify)["intact"] as? Bool == true)

            let me = try WebTestApp.json(try await app.api(.get, "/api/v1/me", token: viewer))
            #expect(me["role"] as? String == "viewer")
            #expect(
                Set(me["permissions"] as? [String] ?? []) == [
                    "consoleView", "ownAccount", "dataMapView", "incidentView", "metricsView", "noticesView",
                ]
            )
        }
    }
}

import Foundation
import HTTPTypes
import HummingbirdTesting
import KilpiCore
import KilpiStore
import KilpiTestSupport
import Testing

@testable import KilpiWeb

/// The API holds every request to its documented schema: what breaks it is refused with 400 naming the field and
/// changes nothing; one error shape for every refusal; protected tokens survive the API.
@Suite struct APIContractTests {
    static func error(_ response: TestResponse) throws -> (code: String?, field: String?) {
        let body = try WebTestApp.json(response)
        let error = try #require(body["error"] as? [String: Any], "no error object: \(WebTestApp.text(response))")
        return (error["code"] as? String, error["field"] as? String)
    }

    @Test func schemaViolatingBodiesAreRefusedNamingTheFieldAndChangeNothing() async throws {
        try await WebTestApp.run { app in
            let commander = try await app.makeStaff(.responder)
            let secret = try await app.makeToken(.responder).secret
            let valid =
                #""title": "Phish", "kinds": ["phishing"], "severity": "SEV2", "commanderId": \#(commander.user.id)"#
            let created = try await app.api(.post, Routes.apiIncidentCreate.path(), token: secret, json: "{\(valid)}")
            #expect(created.status == .created, "\(WebTestApp.text(created))")
            let id = try #require(try WebTestApp.json(created)["id"] as? Int)
            let incidents = try await app.store.incidents.list(now: app.clock.now).count
            let audit = try await app.store.audit.entries(AuditFilter(limit: 1000)).count

            let refusedCreates: [(String, String)] = [
                (#"{\#(valid), "nonsense": 1}"#, "nonsense"),
                (#"{"title": null, "kinds": ["phishing"], "severity": "SEV2", "commanderId": 1}"#, "title"),
                (#"{"kinds": ["phishing"], "severity": "SEV2", "commanderId": 1}"#, "title"),
                (#"{"title": "x", "kinds": ["phishing"], "severity": "SEV2", "commanderId": "1"}"#, "commanderId"),
                (#"{"title": "x", "kinds": ["phishing"], "severity": "SEV2", "commanderId": 1e30}"#, "commanderId"),
                (#"{"title": "x", "kinds": ["phishing"], "severity": "SEV2", "commanderId": 1.5}"#, "commanderId"),
                (#"{"title": "x", "kinds": ["phishing"], "severity": "sev9", "commanderId": 1}"#, "severity"),
                (#"{"title": "x", "kinds": "phishing", "severity": "SEV2", "commanderId": 1}"#, "kinds"),
                (#"{\#(valid), "summary": null}"#, "summary"),
                (#"{\#(valid), "times": {"occurredAt": "yesterday"}}"#, "times.occurredAt"),
                (#"{\#(valid), "times": {"occurredAt": " 2026-11-01T08:00:00Z"}}"#, "times.occurredAt"),
                (#"{\#(valid), "times": {"lunchAt": "2026-11-01T08:00:00Z"}}"#, "times.lunchAt"),
                (#"{\#(valid), "times": null}"#, "times"),
            ]
            for (body, field) in refusedCreates {
                let response = try await app.api(.post, Routes.apiIncidentCreate.path(), token: secret, json: body)
                #expect(response.status == .badRequest, "\(body): \(WebTestApp.text(response))")
                let (code, named) = try Self.error(response)
                #expect(code == "invalid_body" && named == field, "\(body): \(WebTestApp.text(response))")
            }
            for body in ["", "{not json", "[]", "\"title\"", "null"] {
                let response = try await app.api(.post, Routes.apiIncidentCreate.path(), token: secret, json: body)
                #expect(response.status == .badRequest, "\(body): \(WebTestApp.text(response))")
            }

            let path = Routes.apiIncidentUpdate.path(["id": String(id)])
            for (body, field) in [
                (#"{"title": null}"#, "title"),
                (#"{"status": "done"}"#, "status"),
                (#"{"times": {"detectedAt": 5}}"#, "times.detectedAt"),
                (#"{"reason": ["a"]}"#, "reason"),
            ] {
                let response = try await app.api(.patch, path, token: secret, json: body)
                #expect(response.status == .badRequest, "\(body): \(WebTestApp.text(response))")
                #expect(try Self.error(response).field == field, "\(body)")
            }
            let timeline = Routes.apiTimelineAdd.path(["id": String(id)])
            for (body, field) in [
                (#"{"text": "x", "kind": "gossip"}"#, "kind"),
                (#"{"text": "x", "occurredAt": null}"#, "occurredAt"),
                (#"{}"#, "text"),
            ] {
                let response = try await app.api(.post, timeline, token: secret, json: body)
                #expect(response.status == .badRequest, "\(body): \(WebTestApp.text(response))")
                #expect(try Self.error(response).field == field, "\(body)")
            }

            #expect(try await app.store.incidents.list(now: app.clock.now).count == incidents)
            #expect(try await app.store.audit.entries(AuditFilter(limit: 1000)).count == audit)
            #expect(try await app.store.incidents.find(id: Int64(id))?.title == "Phish")

            // Null clears a key time: there it is part of the schema.
            let set = try await app.api(
                .patch,
                path,
                token: secret,
                json: #"{"times": {"occurredAt": "2026-11-01T08:00:00Z"}}"#
            )
            #expect(set.status == .ok, "\(WebTestApp.text(set))")
            let cleared = try await app.api(.patch, path, token: secret, json: #"{"times": {"occurredAt": null}}"#)
            #expect(cleared.status == .ok, "\(WebTestApp.text(cleared))")
            #expect(try await app.store.incidents.find(id: Int64(id))?.times.occurredAt == nil)
        }
    }

    @Test func badQueryParametersAreRefusedNamingTheParameter() async throws {
        try await WebTestApp.run { app in
            let secret = try await app.makeToken(.admin).secret
            for (query, field) in [
                ("until=null", "until"), ("from=2026-02-30", "from"), ("from=2026-1-5", "from"), ("limit=0", "limit"),
                ("limit=1001", "limit"), ("limit=ten", "limit"), ("before=x", "before"), ("before=0", "before"),
                ("limit=5&limit=6", "limit"),
            ] {
                let response = try await app.api(.get, Routes.apiAudit.path() + "?" + query, token: secret)
                #expect(response.status == .badRequest, "\(query): \(WebTestApp.text(response))")
                let (code, named) = try Self.error(response)
                #expect(code == "invalid_parameter" && named == field, "\(query)")
            }
            let fine = try await app.api(
                .get,
                Routes.apiAudit.path() + "?limit=1000&from=2024-02-29&until=2030-12-31&action=token",
                token: secret
            )
            #expect(fine.status == .ok, "\(WebTestApp.text(fine))")
        }
    }

    @Test func oversizedBodiesUnknownIdsAndOtherMethodsGetTheErrorShape() async throws {
        try await WebTestApp.run { app in
            let secret = try await app.makeToken(.admin).secret
            let huge = #"{"title": ""# + String(repeating: "x", count: 1 << 20) + #""}"#
            let tooLarge = try await app.api(.post, Routes.apiIncidentCreate.path(), token: secret, json: huge)
            #expect(tooLarge.status == .contentTooLarge)
            #expect(try Self.error(tooLarge).code == "too_large")

            for id in ["999999", "abc", "0", "-1"] {
                let response = try await app.api(.get, Routes.apiIncident.path(["id": id]), token: secret)
                #expect(response.status == .notFound, "\(id)")
                #expect(try Self.error(response).code == "not_found", "\(id)")
            }

            let trace = try await app.api(.trace, Routes.apiMe.path(), token: secret)
            #expect(trace.status == .methodNotAllowed)
            #expect(trace.headers[.allow] == "GET")
            #expect(try Self.error(trace).code == "method_not_allowed")
            let query = try await app.api(HTTPRequest.Method("QUERY")!, Routes.apiIncidents.path(), token: secret)
            #expect(query.status == .methodNotAllowed && query.headers[.allow] == "GET, POST")
            let put = try await app.api(.put, Routes.apiTokenRevoke.path(id: Int64(1)), token: secret)
            #expect(put.status == .methodNotAllowed && put.headers[.allow] == "DELETE")
            // The methods a path has still work.
            #expect(try await app.api(.get, Routes.apiMe.path(), token: secret).status == .ok)
            #expect(try await app.api(.head, Routes.apiMe.path(), token: secret).status == .methodNotAllowed)

            let anonymous = try await app.api(.get, Routes.apiMe.path(), token: nil)
            #expect(anonymous.status == .unauthorized && anonymous.headers[.wwwAuthenticate] != nil)
            #expect(try Self.error(anonymous).code == "unauthorized")
        }
    }

    @Test(arguments: TestDatabases.engines)
    func aProtectedTokenIsRevokedOnlyFromTheCommandLine(engine: SQLEngine) async throws {
        try await WebTestApp.run(engine) { app in
            let admin = try await app.makeToken(.admin).secret
            let staff = try await app.makeStaff(.admin)
            let (token, secret) = try await app.accounts.createToken(
                name: "schemathesis",
                role: .admin,
                isProtected: true,
                actor: "cli",
                ip: "local"
            )
            #expect(token.isProtected)
            let created = try await app.store.audit.entries(AuditFilter(actionPrefix: "token.create", limit: 10))
            #expect(created.first?.detail.contains("protected") == true)

            // Through the API, even with its own secret: refused, nothing written, the token still works.
            let before = try await app.store.audit.entries(AuditFilter(limit: 1000)).count
            for caller in [admin, secret] {
                let refused = try await app.api(.delete, Routes.apiTokenRevoke.path(id: token.id), token: caller)
                #expect(refused.status == .conflict, "\(WebTestApp.text(refused))")
                #expect(try Self.error(refused).code == "protected_token")
            }
            #expect(try await app.store.audit.entries(AuditFilter(limit: 1000)).count == before)
            #expect(try await app.api(.get, Routes.apiMe.path(), token: secret).status == .ok)
            let listed = try WebTestApp.json(try await app.api(.get, Routes.apiTokens.path(), token: admin))
            let row = (listed["items"] as? [[String: Any]])?.first { $0["id"] as? Int == Int(token.id) }
            #expect(row?["protected"] as? Bool == true)

            // Through the console: not revoked either.
            let login = try await app.login(staff)
            let console = try await app.post(Routes.tokenRevoke.path(id: token.id), login)
            #expect(console.status == .conflict)
            #expect(WebTestApp.text(console).contains("kilpi token revoke \(token.id)"))
            #expect(try await app.store.tokens.find(id: token.id)?.revokedAt == nil)
            #expect(try await app.api(.get, Routes.apiMe.path(), token: secret).status == .ok)

            // `kilpi token revoke` (the service with evenIfProtected) revokes it, audited.
            let outcome = try await app.accounts.revokeToken(
                id: token.id,
                evenIfProtected: true,
                actor: "cli",
                ip: "local"
            )
            #expect(outcome == .revoked)
            #expect(try await app.api(.get, Routes.apiMe.path(), token: secret).status == .unauthorized)
            let revoked = try await app.store.audit.entries(AuditFilter(actionPrefix: "token.revoke", limit: 10))
            #expect(revoked.map(\.target) == ["token:\(token.id)"] && revoked.first?.actor == "cli")
            #expect(
                try await app.accounts.revokeToken(id: token.id, evenIfProtected: true, actor: "cli", ip: "local")
                    == .notFound
            )
        }
    }

    @Test func bodyErrorsAreInTheReadersLanguage() async throws {
        try await WebTestApp.run { app in
            let secret = try await app.makeToken(.responder).secret
            func message(_ language: String, _ body: String) async throws -> String? {
                let response = try await app.request(
                    .post,
                    Routes.apiIncidentCreate.path(),
                    headers: [
                        .authorization: "Bearer \(secret)", .contentType: "application/json",
                        .acceptLanguage: language,
                    ],
                    body: body
                )
                #expect(response.status == .badRequest)
                return (try WebTestApp.json(response)["error"] as? [String: Any])?["message"] as? String
            }
            let missing = #"{"kinds": ["phishing"], "severity": "SEV2", "commanderId": 1}"#
            #expect(try await message("en", missing) == "title: is required")
            #expect(try await message("fi", missing) == "title: on pakollinen")
            #expect(try await message("sv", missing) == "title: krävs")
            let tooMany = #"{"title": "x", "kinds": ["phishing"], "severity": "SEV2", "commanderId": 1, "x": 1}"#
            #expect(
                try await message("fi", tooMany)?.hasPrefix("x: ei ole tässä sallittu kenttä; käytä: title") == true
            )
            #expect(try await message("sv", tooMany)?.hasPrefix("x: är inget fält här; använd title") == true)
        }
    }

    @Test func theValidatorNamesWhatIsWrong() {
        let schema = SchemaProbe.schema(of: IncidentAPIController.ScopeBody.self)
        func violations(_ json: String) -> [String] {
            guard let value = JSONValue.parse(Data(json.utf8)) else { return ["not json"] }
            return schema.violations(of: value).map(\.description)
        }
        #expect(
            violations(
                #"{"systems": ["Shop"], "windowStart": "2026-11-01T00:00:00Z", "windowEnd": "2026-11-02T00:00:00Z"}"#
            )
            .isEmpty
        )
        #expect(
            violations(#"{"systems": ["Shop", 3], "windowStart": "2026-11-01T00:00:00Z"}"#) == [
                "windowEnd: is required", "systems[1]: must be a string",
            ]
        )
        #expect(violations(#"{"systems": true}"#).contains("systems: must be an array"))
        #expect(JSONValue.parse(Data("true".utf8)) == .bool(true))
        #expect(JSONValue.parse(Data("1".utf8)) == .integer(1))
        #expect(JSONValue.parse(Data("1.5".utf8)) == .double(1.5))
    }
}

import Foundation
import HTTPTypes
import HummingbirdTesting
import KilpiCore
import KilpiStore
import KilpiTestSupport
import Testing

@testable import KilpiWeb

/// The served OpenAPI document against outside validators (openapi-spec-validator for the document, the
/// `jsonschema`-based openapi-schema-validator for real responses), and against `Routes.all`.
@Suite struct OpenAPIDocumentTests {
    /// Runs `python3 SCRIPT ARGS…` and returns its exit status and output.
    static func python(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.runOneAtATime()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    static func temporaryFile(_ name: String, _ contents: Data) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kilpi-openapi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent(name)
        try contents.write(to: file)
        return file
    }

    @Test func theServedDocumentPassesOpenAPISpecValidator() async throws {
        try await WebTestApp.run { app in
            let response = try await app.get(Routes.openAPI.path())
            #expect(response.status == .ok)
            let file = try Self.temporaryFile("openapi.json", Data(response.body.readableBytesView))
            defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
            let (status, output) = try Self.python(["-m", "openapi_spec_validator", file.path])
            #expect(status == 0, "openapi-spec-validator: \(output)")
        }
    }

    @Test func theValidatorRejectsABrokenDocument() async throws {
        // The check above could not fail if the validator accepted anything: a dangling `$ref` must be refused.
        var document = OpenAPIDocument.document()
        var components = try #require(document["components"] as? [String: Any])
        var schemas = try #require(components["schemas"] as? [String: Any])
        schemas.removeValue(forKey: "Incident")
        components["schemas"] = schemas
        document["components"] = components
        let file = try Self.temporaryFile("broken.json", try JSONSerialization.data(withJSONObject: document))
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        let (status, _) = try Self.python(["-m", "openapi_spec_validator", file.path])
        #expect(status != 0)
    }

    @Test func everyAPIRouteIsDocumentedWithItsStatusesAndBody() throws {
        let document = OpenAPIDocument.document()
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let apiRoutes = Routes.all.filter { $0.template.hasPrefix("/api/v1/") }
        #expect(apiRoutes.count >= 17)
        for route in apiRoutes {
            let relative = String(route.openAPIPath.dropFirst("/api/v1".count))
            let operation = try #require(
                paths[relative]?[route.method.rawValue.lowercased()] as? [String: Any],
                "\(route) is missing"
            )
            let responses = try #require(operation["responses"] as? [String: [String: Any]], "\(route)")
            let statuses = Set(responses.keys)
            #expect(statuses.contains { $0.hasPrefix("2") }, "\(route) documents no success")
            if case .api = route.access {
                #expect(statuses.isSuperset(of: ["401", "403"]), "\(route)")
            }
            if route.template.contains("/:") { #expect(statuses.contains("404"), "\(route)") }
            let takesBody = route.method == .post || route.method == .patch
            #expect((operation["requestBody"] != nil) == takesBody, "\(route) request body")
            if takesBody { #expect(statuses.isSuperset(of: ["400", "413"]), "\(route)") }
            for (status, response) in responses where status != "204" {
                let content = response["content"] as? [String: [String: Any]]
                #expect(content?["application/json"]?["schema"] != nil, "\(route) \(status) has no schema")
            }
            for status in statuses where Int(status)! >= 400 {
                let schema = (responses[status]?["content"] as? [String: [String: Any]])?["application/json"]?["schema"]
                #expect(
                    (schema as? [String: Any])?["$ref"] as? String == "#/components/schemas/ErrorResponse",
                    "\(route)"
                )
            }
        }
        // The error codes the API sends are the error schema's enum.
        let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
        let detail = try #require(schemas["ErrorDetail"] as? [String: Any])
        let code = (detail["properties"] as? [String: Any])?["code"] as? [String: Any]
        #expect(code?["enum"] as? [String] == APIError.Code.allCases.map(\.rawValue))
    }

    @Test func schemasComeFromTheCodableTypes() throws {
        struct Probe: Codable {
            enum Colour: String, Codable, CaseIterable { case red, green }
            let name: String
            let nickname: String?
            let colour: Colour
            let at: Date
            let counts: [String: Int]
            let tags: [String]
            let maybe: Int64??
        }
        guard case .object(_, let properties, let required) = SchemaProbe.schema(of: Probe.self) else {
            Issue.record("not an object")
            return
        }
        let byName = Dictionary(uniqueKeysWithValues: properties.map { ($0.name, $0.schema) })
        #expect(Set(required) == ["name", "colour", "at", "counts", "tags"])
        #expect(byName["name"] == .string())
        #expect(byName["nickname"] == .string())
        #expect(byName["colour"] == .enumeration(["red", "green"]))
        #expect(byName["at"] == .string(format: "date-time"))
        #expect(byName["counts"] == .map(.integer()))
        #expect(byName["tags"] == .array(.string()))
        #expect(byName["maybe"] == .nullable(.integer()))
        // The key times body: every key optional, each a time or null, no other key.
        guard
            case .object(_, let times, let timesRequired) = SchemaProbe.schema(of: IncidentAPIController.TimesBody.self)
        else {
            Issue.record("TimesBody is not an object")
            return
        }
        #expect(timesRequired.isEmpty)
        #expect(times.map(\.name) == IncidentAPIController.TimesBody.Key.allCases.map(\.rawValue))
        #expect(times.allSatisfy { $0.schema == .nullable(.string(format: "date-time")) })
    }

    /// Each response a real request produced, checked against the document's schema for its route and status.
    struct Exchange: Encodable {
        let path: String
        let method: String
        let status: String
        let body: String
    }

    @Test(arguments: TestDatabases.engines)
    func realResponsesMatchTheDocumentsSchemas(engine: SQLEngine) async throws {
        try await WebTestApp.run(engine) { app in
            _ = try await IncidentConsoleTests.seedDataMap(app)
            let commander = try await app.makeStaff(.responder)
            let (adminToken, admin) = try await app.makeToken(.admin)
            let viewer = try await app.makeToken(.viewer).secret
            var exchanges: [Exchange] = []
            func call(_ route: Route, _ path: String, token: String?, json: String? = nil) async throws -> TestResponse
            {
                let response = try await app.api(route.method, path, token: token, json: json)
                exchanges.append(
                    Exchange(
                        path: String(route.openAPIPath.dropFirst("/api/v1".count)),
                        method: route.method.rawValue.lowercased(),
                        status: String(response.status.code),
                        body: WebTestApp.text(response)
                    )
                )
                return response
            }
            _ = try await call(Routes.apiMe, Routes.apiMe.path(), token: admin)
            _ = try await call(Routes.apiMe, Routes.apiMe.path(), token: nil)
            _ = try await call(Routes.apiUsers, Routes.apiUsers.path(), token: admin)
            _ = try await call(Routes.apiUsers, Routes.apiUsers.path(), token: viewer)
            let user = try await call(
                Routes.apiUserCreate,
                Routes.apiUserCreate.path(),
                token: admin,
                json: #"{"email": "new@example.com", "displayName": "New", "role": "viewer"}"#
            )
            #expect(user.status == .created)
            _ = try await call(
                Routes.apiUserCreate,
                Routes.apiUserCreate.path(),
                token: admin,
                json: #"{"email": "new@example.com", "displayName": "Again", "role": "viewer"}"#
            )
            _ = try await call(
                Routes.apiUserCreate,
                Routes.apiUserCreate.path(),
                token: admin,
                json: #"{"email": "x@example.com", "displayName": "X", "role": "viewer", "admin": true}"#
            )
            _ = try await call(Routes.apiTokens, Routes.apiTokens.path(), token: admin)
            _ = try await call(Routes.apiAudit, Routes.apiAudit.path() + "?limit=5&from=2020-01-01", token: admin)
            _ = try await call(Routes.apiAudit, Routes.apiAudit.path() + "?until=null", token: admin)
            _ = try await call(Routes.apiAuditVerify, Routes.apiAuditVerify.path(), token: admin)
            let created = try await call(
                Routes.apiIncidentCreate,
                Routes.apiIncidentCreate.path(),
                token: admin,
                json:
                    #"{"title": "Card skimmer", "kinds": ["data_breach"], "severity": "SEV1", "commanderId": \#(commander.user.id), "times": {"occurredAt": "2026-11-01T08:00:00Z"}}"#
            )
            #expect(created.status == .created, "\(WebTestApp.text(created))")
            let id = try #require(try WebTestApp.json(created)["id"] as? Int)
            let incident = ["id": String(id)]
            _ = try await call(
                Routes.apiIncidentCreate,
                Routes.apiIncidentCreate.path(),
                token: admin,
                json: #"{"title": "", "kinds": ["phishing"], "severity": "SEV1", "commanderId": 999999}"#
            )
            _ = try await call(Routes.apiIncidents, Routes.apiIncidents.path(), token: viewer)
            _ = try await call(Routes.apiIncident, Routes.apiIncident.path(incident), token: viewer)
            _ = try await call(Routes.apiIncident, Routes.apiIncident.path(["id": "999999"]), token: viewer)
            _ = try await call(Routes.apiIncident, Routes.apiIncident.path(["id": "abc"]), token: viewer)
            _ = try await call(Routes.apiIncident, Routes.apiIncident.path(incident), token: "kilpi_nope")
            _ = try await call(
                Routes.apiIncidentUpdate,
                Routes.apiIncidentUpdate.path(incident),
                token: admin,
                json: #"{"status": "closed"}"#
            )
            _ = try await call(
                Routes.apiIncidentUpdate,
                Routes.apiIncidentUpdate.path(incident),
                token: viewer,
                json: #"{"title": "x"}"#
            )
            let patched = try await call(
                Routes.apiIncidentUpdate,
                Routes.apiIncidentUpdate.path(incident),
                token: admin,
                json: #"{"status": "analysing", "reason": "confirmed", "times": {"occurredAt": null}}"#
            )
            #expect(patched.status == .ok, "\(WebTestApp.text(patched))")
            _ = try await call(
                Routes.apiTimelineAdd,
                Routes.apiTimelineAdd.path(incident),
                token: admin,
                json: #"{"text": "Found late", "occurredAt": "2026-11-02T10:00:00Z"}"#
            )
            _ = try await call(
                Routes.apiTimelineAdd,
                Routes.apiTimelineAdd.path(incident),
                token: admin,
                json: #"{"text": "   "}"#
            )
            _ = try await call(Routes.apiTimeline, Routes.apiTimeline.path(incident), token: viewer)
            _ = try await call(Routes.apiExposure, Routes.apiExposure.path(incident), token: viewer)
            for (index, systems) in [#"["Shop"]"#, #"["Shop", "CRM"]"#].enumerated() {
                let scope = try await call(
                    Routes.apiScopeSet,
                    Routes.apiScopeSet.path(incident),
                    token: admin,
                    json:
                        #"{"systems": \#(systems), "windowStart": "2026-11-01T00:00:00Z", "windowEnd": "2026-11-14T23:59:00Z", "note": "v\#(index + 1)"}"#
                )
                #expect(scope.status == .created, "\(WebTestApp.text(scope))")
            }
            // Version 2 has a diff: its sample of customer ids goes to the admin, not to the viewer.
            let full = try await call(Routes.apiExposure, Routes.apiExposure.path(incident), token: admin)
            let shaped = try await call(Routes.apiExposure, Routes.apiExposure.path(incident), token: viewer)
            #expect((try WebTestApp.json(full)["diff"] as? [String: Any])?["addedSample"] != nil)
            #expect((try WebTestApp.json(shaped)["diff"] as? [String: Any])?["addedSample"] == nil)
            _ = try await call(
                Routes.apiScopeSet,
                Routes.apiScopeSet.path(incident),
                token: admin,
                json:
                    #"{"systems": ["Nowhere"], "windowStart": "2026-11-01T00:00:00Z", "windowEnd": "2026-11-14T23:59:00Z"}"#
            )
            _ = try await call(Routes.apiPlanCheck, Routes.apiPlanCheck.path(), token: viewer)
            _ = try await call(
                Routes.apiTokenRevoke,
                Routes.apiTokenRevoke.path(id: Int64(999_999)),
                token: admin
            )
            let other = try await app.makeToken(.viewer).token
            _ = try await call(Routes.apiTokenRevoke, Routes.apiTokenRevoke.path(id: other.id), token: admin)
            let protected = try await app.accounts.createToken(
                name: "contract tests",
                role: .admin,
                isProtected: true,
                actor: "cli",
                ip: "local"
            )
            _ = try await call(Routes.apiTokenRevoke, Routes.apiTokenRevoke.path(id: protected.token.id), token: admin)
            _ = try await call(Routes.apiTokens, Routes.apiTokens.path(), token: admin)
            _ = adminToken
            try await NoticeAPITests.exercise(app, admin: admin, viewer: viewer) { route, path, token, json in
                try await call(route, path, token: token, json: json)
            }
            try await SupportAPITests.exercise(app, admin: admin, viewer: viewer) { route, path, token, json in
                try await call(route, path, token: token, json: json)
            }

            // Every route was exercised, and every status seen is documented with a schema that fits the body.
            let seen = Set(exchanges.map { "\($0.method) \($0.path)" })
            for route in Routes.all where route.template.hasPrefix("/api/v1/") && route != Routes.openAPI {
                #expect(seen.contains("\(route.method.rawValue.lowercased()) \(route.openAPIPath.dropFirst(7))"))
            }
            #expect(exchanges.count > 30)
            let document = try Self.temporaryFile("openapi.json", Data(OpenAPIDocument.json().utf8))
            defer { try? FileManager.default.removeItem(at: document.deletingLastPathComponent()) }
            let recorded = document.deletingLastPathComponent().appendingPathComponent("exchanges.json")
            try JSONEncoder().encode(exchanges).write(to: recorded)
            let script = document.deletingLastPathComponent().appendingPathComponent("check.py")
            try Data(Self.checkScript.utf8).write(to: script)
            let (status, output) = try Self.python([script.path, document.path, recorded.path])
            #expect(status == 0, "\(output)")
            #expect(output.contains("checked \(exchanges.count) responses"), "\(output)")
        }
    }

    @Test func theResponseCheckCatchesWhatTheDocumentDoesNotSay() throws {
        // The check above could not fail if the script accepted anything: these four must each be reported.
        let exchanges = [
            Exchange(path: "/incidents/{id}/exposure", method: "get", status: "200", body: #"{"version": "one"}"#),
            Exchange(path: "/me", method: "get", status: "418", body: "{}"),
            Exchange(path: "/tokens/{id}", method: "delete", status: "404", body: #"{"error": {"code": "nope"}}"#),
            Exchange(
                path: "/audit/verify",
                method: "get",
                status: "200",
                body: #"{"intact": true, "checked": 1, "headID": 1, "headHash": "x", "extra": 1}"#
            ),
        ]
        let document = try Self.temporaryFile("openapi.json", Data(OpenAPIDocument.json().utf8))
        defer { try? FileManager.default.removeItem(at: document.deletingLastPathComponent()) }
        let recorded = document.deletingLastPathComponent().appendingPathComponent("exchanges.json")
        try JSONEncoder().encode(exchanges).write(to: recorded)
        let script = document.deletingLastPathComponent().appendingPathComponent("check.py")
        try Data(Self.checkScript.utf8).write(to: script)
        let (status, output) = try Self.python([script.path, document.path, recorded.path])
        #expect(status == 1)
        #expect(output.contains("GET /incidents/{id}/exposure -> 200: $.version"), "\(output)")
        #expect(output.contains("GET /me -> 418: status not documented"), "\(output)")
        #expect(output.contains("DELETE /tokens/{id} -> 404: $.error"), "\(output)")
        #expect(output.contains("GET /audit/verify -> 200: $: Additional properties"), "\(output)")
    }

    /// Validates each recorded response against the document with openapi-schema-validator (OpenAPI 3.1 dialect of
    /// JSON Schema 2020-12, `$ref`s resolved against the document): exit 1 listing every mismatch.
    static let checkScript = #"""
        import json, sys
        from openapi_schema_validator import OAS31Validator
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT202012

        document = json.load(open(sys.argv[1]))
        exchanges = json.load(open(sys.argv[2]))
        registry = Registry().with_resource("urn:kilpi", Resource(contents=document, specification=DRAFT202012))
        problems = []
        for exchange in exchanges:
            where = f'{exchange["method"].upper()} {exchange["path"]} -> {exchange["status"]}'
            operation = document["paths"].get(exchange["path"], {}).get(exchange["method"])
            if operation is None:
                problems.append(f"{where}: no such operation"); continue
            response = operation["responses"].get(exchange["status"])
            if response is None:
                problems.append(f"{where}: status not documented"); continue
            content = response.get("content")
            if content is None:
                if exchange["body"]:
                    problems.append(f"{where}: documented without a body, got {exchange['body'][:200]}")
                continue
            schema = content["application/json"]["schema"]
            if "$ref" in schema:
                schema = {"$ref": "urn:kilpi" + schema["$ref"]}
            else:
                schema = json.loads(json.dumps(schema).replace('"#/components', '"urn:kilpi#/components'))
            body = json.loads(exchange["body"])
            validator = OAS31Validator(schema, registry=registry, format_checker=OAS31Validator.FORMAT_CHECKER)
            for error in validator.iter_errors(body):
                problems.append(f"{where}: {error.json_path}: {error.message}")
        for problem in problems:
            print(problem)
        print(f"checked {len(exchanges)} responses, {len(problems)} problems")
        sys.exit(1 if problems else 0)
        """#
}

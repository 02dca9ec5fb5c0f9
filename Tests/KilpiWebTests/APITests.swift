import Foundation
import HTTPTypes
import HummingbirdTesting
import KilpiCore
import KilpiStore
import KilpiTestSupport
import Testing

@testable import KilpiWeb

@Suite struct APITests {
    @Test func theOpenAPIDocumentDescribesExactlyTheAPIRoutes() async throws {
        try await WebTestApp.run { app in
            let response = try await app.get("/api/v1/openapi.json")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            let document = try WebTestApp.json(response)
            #expect(document["openapi"] as? String == "3.1.0")
            let servers = try #require(document["servers"] as? [[String: Any]])
            #expect(servers.first?["url"] as? String == "/api/v1")

            let paths = try #require(document["paths"] as? [String: [String: Any]])
            var documented = Set<String>()
            for (path, operations) in paths {
                for method in operations.keys { documented.insert("\(method.uppercased()) \(path)") }
            }
            let apiRoutes = Routes.all.filter { $0.template.hasPrefix("/api/v1/") }
            #expect(!apiRoutes.isEmpty)
            let expected = Set(
                apiRoutes.map { route in
                    "\(route.method.rawValue) "
                        + route.template.dropFirst("/api/v1".count).split(
                            separator: "/",
                            omittingEmptySubsequences: false
                        ).map {
                            $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0)
                        }.joined(separator: "/")
                }
            )
            #expect(documented == expected)

            let schemes = (document["components"] as? [String: Any])?["securitySchemes"] as? [String: Any]
            #expect(schemes?["bearer"] != nil)
            var operationIDs = Set<String>()
            for route in apiRoutes {
                let relative = String(route.openAPIPath.dropFirst("/api/v1".count))
                let operation = try #require(
                    paths[relative]?[route.method.rawValue.lowercased()] as? [String: Any],
                    "\(route)"
                )
                let security = operation["security"] as? [[String: Any]]
                if case .api(let permission) = route.access {
                    #expect(security?.contains { $0["bearer"] != nil } == true, "\(route) must declare bearer security")
                    #expect(operation["x-kilpi-permission"] as? String == permission.rawValue)
                    let roles = Set(operation["x-kilpi-roles"] as? [String] ?? [])
                    #expect(roles == Set(Role.allCases.filter { AccessPolicy.allows($0, permission) }.map(\.rawValue)))
                    let responses = operation["responses"] as? [String: Any]
                    #expect(responses?["401"] != nil && responses?["403"] != nil, "\(route)")
                } else {
                    #expect(security?.isEmpty == true, "\(route) is public and must say so")
                }
                let id = try #require(operation["operationId"] as? String)
                #expect(operationIDs.insert(id).inserted, "duplicate operationId \(id)")
                // Path parameters are declared.
                for segment in route.template.split(separator: "/") where segment.hasPrefix(":") {
                    let parameters = operation["parameters"] as? [[String: Any]] ?? []
                    #expect(
                        parameters.contains {
                            $0["name"] as? String == String(segment.dropFirst()) && $0["in"] as? String == "path"
                        },
                        "\(route)"
                    )
                }
            }
            // The document is served without a token.
            #expect(try await app.api(.get, "/api/v1/openapi.json", token: nil).status == .ok)
        }
    }

    @Test func creatingAUserThroughTheAPI() async throws {
        try await WebTestApp.run { app in
            let (token, secret) = try await app.makeToken(.admin)
            let response = try await app.api(
                .post,
                "/api/v1/users",
                token: secret,
                json: #"{"email": "New.Person@Example.com", "displayName": "New Person", "role": "responder"}"#
            )
            #expect(response.status == .created)
            let body = try WebTestApp.json(response)
            let link = try #require(body["enrolmentLink"] as? String)
            #expect(link.hasPrefix(app.configuration.publicBaseURL + "/console/enrol/"))
            let user = try #require(body["user"] as? [String: Any])
            #expect(user["email"] as? String == "new.person@example.com")
            #expect(user["role"] as? String == "responder")
            #expect(user["status"] as? String == "pending")
            #expect(user["passwordHash"] == nil)

            let stored = try #require(try await app.store.users.find(email: "new.person@example.com"))
            #expect(stored.role == .responder && stored.status == .pending)
            let entries = try await app.store.audit.entries(AuditFilter(actionPrefix: "user.create", limit: 10))
            #expect(entries.count == 1)
            #expect(entries.first?.actor == "token:\(token.id)")
            #expect(entries.first?.target == "user:\(stored.id)")

            // The link works: the enrolment page opens for that person.
            let path = String(link.dropFirst(app.configuration.publicBaseURL.count))
            let page = try await app.get(path)
            #expect(page.status == .ok)
            #expect(WebTestApp.text(page).contains("new.person@example.com"))

            // The listing shows the new account.
            let list = try WebTestApp.json(try await app.api(.get, "/api/v1/users", token: secret))
            let emails = (list["items"] as? [[String: Any]] ?? []).compactMap { $0["email"] as? String }
            #expect(emails.contains("new.person@example.com"))
        }
    }

    @Test func badBodiesAreRefusedNamingTheField() async throws {
        try await WebTestApp.run { app in
            let secret = try await app.makeToken(.admin).secret
            _ = try await app.makeStaff(.viewer, email: "taken@example.com")
            let before = try await app.store.users.count(role: nil, status: nil)

            func error(_ json: String) async throws -> (HTTPResponse.Status, [String: Any]) {
                let response = try await app.api(.post, "/api/v1/users", token: secret, json: json)
                let error = try #require(try WebTestApp.json(response)["error"] as? [String: Any], "\(json)")
                return (response.status, error)
            }

            let (invalidStatus, invalid) = try await error("{not json")
            #expect(invalidStatus == .badRequest)
            #expect(invalid["field"] == nil || invalid["field"] is NSNull)
            #expect(invalid["message"] is String)

            let (missingStatus, missing) = try await error(#"{"displayName": "No Email", "role": "viewer"}"#)
            #expect(missingStatus == .badRequest)
            #expect(missing["field"] as? String == "email")

            let (wrongTypeStatus, wrongType) = try await error(
                #"{"email": 42, "displayName": "Number", "role": "viewer"}"#
            )
            #expect(wrongTypeStatus == .badRequest)
            #expect(wrongType["field"] as? String == "email")

            let (badEmailStatus, badEmail) = try await error(
                #"{"email": "not-an-email", "displayName": "Bad", "role": "viewer"}"#
            )
            #expect(badEmailStatus == .unprocessableContent)
            #expect(badEmail["field"] as? String == "email")

            let (roleStatus, role) = try await error(
                #"{"email": "x@example.com", "displayName": "X", "role": "superuser"}"#
            )
            #expect(roleStatus == .badRequest)
            #expect(role["field"] as? String == "role")

            let (nameStatus, name) = try await error(
                #"{"email": "y@example.com", "displayName": "   ", "role": "viewer"}"#
            )
            #expect(nameStatus == .unprocessableContent)
            #expect(name["field"] as? String == "displayName")

            let (duplicateStatus, duplicate) = try await error(
                #"{"email": "Taken@example.com", "displayName": "Again", "role": "viewer"}"#
            )
            #expect(duplicateStatus == .conflict)
            #expect(duplicate["field"] as? String == "email")

            #expect(try await app.store.users.count(role: nil, status: nil) == before)
        }
    }

    @Test func revokingATokenThroughTheAPIStopsItAtOnce() async throws {
        try await WebTestApp.run { app in
            let (admin, adminSecret) = try await app.makeToken(.admin)
            let (other, otherSecret) = try await app.makeToken(.viewer)
            #expect(try await app.api(.get, "/api/v1/me", token: otherSecret).status == .ok)
            #expect(try await app.api(.delete, "/api/v1/tokens/\(other.id)", token: adminSecret).status == .noContent)
            #expect(try await app.api(.get, "/api/v1/me", token: otherSecret).status == .unauthorized)
            #expect(try await app.api(.delete, "/api/v1/tokens/\(other.id)", token: adminSecret).status == .notFound)
            #expect(try await app.api(.delete, "/api/v1/tokens/abc", token: adminSecret).status.code < 500)
            let entries = try await app.store.audit.entries(AuditFilter(actionPrefix: "token.revoke", limit: 10))
            #expect(entries.map(\.actor) == ["token:\(admin.id)"])
        }
    }
}

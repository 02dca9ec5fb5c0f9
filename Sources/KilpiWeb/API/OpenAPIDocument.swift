import Foundation
import KilpiCore

/// The OpenAPI 3.1 description of `/api/v1`, generated from `Routes` (paths, methods, permissions) and
/// `APIContract` (bodies, parameters and statuses, with schemas generated from the handlers' own Codable types),
/// so it cannot drift from the code.
enum OpenAPIDocument {
    /// The document as served: it depends on the code only, so it is built once.
    static let served = json()

    static func json() -> String {
        let data = try? JSONSerialization.data(
            withJSONObject: document(),
            options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        )
        return data.flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
    }

    static func document() -> [String: Any] {
        var paths: [String: [String: Any]] = [:]
        var components: [String: Any] = [:]
        for route in Routes.all where route.template.hasPrefix("/api/v1/") {
            let contract = APIContract.operation(route)
            let relative = String(route.openAPIPath.dropFirst("/api/v1".count))
            var responses: [String: Any] = [:]
            for (status, answer) in contract.responses {
                var response: [String: Any] = ["description": answer.description]
                if let schema = answer.schema {
                    response["content"] = ["application/json": ["schema": schema.rendered(components: &components)]]
                }
                if status == 401 {
                    response["headers"] = [
                        "WWW-Authenticate": ["schema": ["type": "string"], "description": "`Bearer realm=\"kilpi\"`"]
                    ]
                }
                if route == Routes.apiIncidentCreate && status == 201 { response["links"] = incidentLinks }
                responses[String(status)] = response
            }
            var operation: [String: Any] = [
                "summary": route.summary,
                "operationId": operationID(route),
                "responses": responses,
            ]
            if case .api(let permission) = route.access {
                operation["security"] = [["bearer": [String]()]]
                operation["x-kilpi-permission"] = permission.rawValue
                operation["x-kilpi-roles"] = Role.allCases.filter { AccessPolicy.allows($0, permission) }.map(
                    \.rawValue
                )
            } else {
                operation["security"] = [[String: [String]]]()
            }
            var parameters: [[String: Any]] =
                route.template.split(separator: "/").filter { $0.hasPrefix(":") }.map {
                    [
                        "name": String($0.dropFirst()), "in": "path", "required": true,
                        "schema": ["type": "integer", "format": "int64", "minimum": 1],
                    ]
                }
            for parameter in contract.query {
                parameters.append([
                    "name": parameter.name, "in": "query", "required": false,
                    "description": parameter.description,
                    "schema": parameter.schema.rendered(components: &components),
                ])
            }
            if !parameters.isEmpty { operation["parameters"] = parameters }
            if let body = contract.requestBody {
                operation["requestBody"] = [
                    "required": true,
                    "content": ["application/json": ["schema": body.rendered(components: &components)]],
                ]
            }
            paths[relative, default: [:]][route.method.rawValue.lowercased()] = operation
        }
        return [
            "openapi": "3.1.0",
            "info": [
                "title": "Kilpi API", "version": "1",
                "description":
                    "Breach response and customer trust. Every call that changes state is written to the audit log. "
                    + "Request bodies are checked against these schemas before anything is done: an unknown field, "
                    + "a wrong type or a null where a value is expected is answered 400 naming the field.",
            ],
            "servers": [["url": "/api/v1"]],
            "paths": paths,
            "components": [
                "securitySchemes": [
                    "bearer": [
                        "type": "http", "scheme": "bearer",
                        "description": "An API token from `kilpi token create` or the console.",
                    ]
                ],
                "schemas": components,
            ],
        ]
    }

    /// From a declared incident to everything done with its id, so clients (and schemathesis's stateful phase) can
    /// follow on from the response.
    private static var incidentLinks: [String: Any] {
        var links: [String: Any] = [:]
        for route in Routes.all where route.template.hasPrefix("/api/v1/incidents/:id") {
            let id = operationID(route)
            links[id.prefix(1).uppercased() + id.dropFirst()] = [
                "operationId": id, "parameters": ["id": "$response.body#/id"],
            ]
        }
        return links
    }

    private static func operationID(_ route: Route) -> String {
        switch route {
        case Routes.openAPI: "getOpenAPI"
        case Routes.apiMe: "getMe"
        case Routes.apiUsers: "listUsers"
        case Routes.apiUserCreate: "createUser"
        case Routes.apiTokens: "listTokens"
        case Routes.apiTokenRevoke: "revokeToken"
        case Routes.apiAudit: "listAuditEntries"
        case Routes.apiAuditVerify: "verifyAuditChain"
        case Routes.apiIncidents: "listIncidents"
        case Routes.apiIncidentCreate: "declareIncident"
        case Routes.apiIncident: "getIncident"
        case Routes.apiIncidentUpdate: "updateIncident"
        case Routes.apiTimeline: "listTimeline"
        case Routes.apiTimelineAdd: "addTimelineEntry"
        case Routes.apiScopeSet: "setScope"
        case Routes.apiExposure: "getExposure"
        case Routes.apiPlanCheck: "checkPlan"
        case Routes.apiInquiries: "listInquiries"
        case Routes.apiInquiry: "getInquiry"
        case Routes.apiInquiryReply: "replyToInquiry"
        case Routes.apiInquiryUpdate: "updateInquiry"
        default: route.method.rawValue.lowercased() + route.template.replacingOccurrences(of: "/", with: "_")
        }
    }
}

import Foundation
import KilpiCore

/// The OpenAPI 3.1 description of `/api/v1`, generated from `Routes` so paths, methods and permissions cannot
/// drift from the code; request and response schemas are declared here beside it.
enum OpenAPIDocument {
    static func json() -> String {
        let data = try? JSONSerialization.data(
            withJSONObject: document(),
            options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        )
        return data.flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
    }

    static func document() -> [String: Any] {
        var paths: [String: [String: Any]] = [:]
        for route in Routes.all where route.template.hasPrefix("/api/v1/") {
            let relative = String(route.openAPIPath.dropFirst("/api/v1".count))
            var operation: [String: Any] = [
                "summary": route.summary,
                "operationId": operationID(route),
                "responses": responses(route),
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
            let parameters: [[String: Any]] =
                route.template.split(separator: "/").filter { $0.hasPrefix(":") }.map {
                    [
                        "name": String($0.dropFirst()), "in": "path", "required": true,
                        "schema": ["type": "integer", "format": "int64"],
                    ]
                } + queryParameters(route)
            if !parameters.isEmpty { operation["parameters"] = parameters }
            if let body = requestBodies[route] {
                operation["requestBody"] = ["required": true, "content": ["application/json": ["schema": body]]]
            }
            paths[relative, default: [:]][route.method.rawValue.lowercased()] = operation
        }
        return [
            "openapi": "3.1.0",
            "info": [
                "title": "Kilpi API", "version": "1",
                "description":
                    "Breach response and customer trust. Every call that changes state is written to the audit log.",
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
                "schemas": schemas,
            ],
        ]
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
        default: route.method.rawValue.lowercased() + route.template.replacingOccurrences(of: "/", with: "_")
        }
    }

    private static func ref(_ name: String) -> [String: Any] { ["$ref": "#/components/schemas/\(name)"] }
    private static func list(_ name: String) -> [String: Any] {
        ["type": "object", "required": ["items"], "properties": ["items": ["type": "array", "items": ref(name)]]]
    }
    private static func json(_ schema: [String: Any], _ description: String) -> [String: Any] {
        ["description": description, "content": ["application/json": ["schema": schema]]]
    }

    private static func responses(_ route: Route) -> [String: Any] {
        var result: [String: Any] = [:]
        switch route {
        case Routes.openAPI: result["200"] = json(["type": "object"], "This document")
        case Routes.apiMe: result["200"] = json(ref("Me"), "The calling token")
        case Routes.apiUsers: result["200"] = json(list("User"), "Staff accounts")
        case Routes.apiUserCreate:
            result["201"] = json(ref("CreatedUser"), "Created; send the enrolment link to the person")
            result["400"] = json(ref("Error"), "Invalid field")
            result["409"] = json(ref("Error"), "Email already taken")
        case Routes.apiTokens: result["200"] = json(list("Token"), "API tokens (never their secrets)")
        case Routes.apiTokenRevoke:
            result["204"] = ["description": "Revoked"]
            result["404"] = json(ref("Error"), "No such active token")
        case Routes.apiAudit: result["200"] = json(list("AuditEntry"), "Newest first")
        case Routes.apiAuditVerify: result["200"] = json(ref("AuditVerification"), "Chain status")
        default: result["200"] = ["description": "OK"]
        }
        if case .api = route.access {
            result["401"] = json(ref("Error"), "Missing or invalid bearer token")
            result["403"] = json(ref("Error"), "The token's role lacks the permission")
        }
        return result
    }

    private static func queryParameters(_ route: Route) -> [[String: Any]] {
        guard route == Routes.apiAudit else { return [] }
        let string: [String: Any] = ["type": "string"]
        return [
            ["name": "actor", "in": "query", "schema": string],
            [
                "name": "action", "in": "query", "schema": string,
                "description": "Action or dotted prefix, e.g. `session`",
            ],
            ["name": "target", "in": "query", "schema": string],
            ["name": "from", "in": "query", "schema": ["type": "string", "format": "date"]],
            [
                "name": "until", "in": "query", "schema": ["type": "string", "format": "date"],
                "description": "Inclusive day",
            ],
            [
                "name": "before", "in": "query", "schema": ["type": "integer", "format": "int64"],
                "description": "Paging: entries with a smaller id",
            ],
            ["name": "limit", "in": "query", "schema": ["type": "integer", "minimum": 1, "maximum": 1000]],
        ]
    }

    private static var requestBodies: [Route: [String: Any]] {
        [
            Routes.apiUserCreate: ref("CreateUser")
        ]
    }

    private static var schemas: [String: Any] {
        let string: [String: Any] = ["type": "string"]
        let int64: [String: Any] = ["type": "integer", "format": "int64"]
        let time: [String: Any] = ["type": "string", "format": "date-time"]
        let optionalTime: [String: Any] = ["type": ["string", "null"], "format": "date-time"]
        let role: [String: Any] = ["type": "string", "enum": Role.allCases.map(\.rawValue)]
        return [
            "Error": [
                "type": "object", "required": ["error"],
                "properties": [
                    "error": [
                        "type": "object", "required": ["code", "message"],
                        "properties": ["code": string, "message": string, "field": ["type": ["string", "null"]]],
                    ]
                ],
            ],
            "Me": [
                "type": "object", "required": ["tokenID", "name", "role", "permissions"],
                "properties": [
                    "tokenID": int64, "name": string, "role": role, "permissions": ["type": "array", "items": string],
                ],
            ],
            "User": [
                "type": "object",
                "required": ["id", "email", "displayName", "role", "status", "secondFactor", "createdAt"],
                "properties": [
                    "id": int64, "email": string, "displayName": string, "role": role,
                    "status": ["type": "string", "enum": ["pending", "active", "disabled"]],
                    "secondFactor": ["type": "boolean"],
                    "lastLoginAt": optionalTime, "createdAt": time,
                ],
            ],
            "CreateUser": [
                "type": "object", "required": ["email", "displayName", "role"],
                "properties": [
                    "email": ["type": "string", "format": "email"],
                    "displayName": ["type": "string", "minLength": 1, "maxLength": 200], "role": role,
                ],
            ],
            "CreatedUser": [
                "type": "object", "required": ["user", "enrolmentLink"],
                "properties": ["user": ref("User"), "enrolmentLink": string],
            ],
            "Token": [
                "type": "object", "required": ["id", "name", "role", "prefix", "createdBy", "createdAt", "expiresAt"],
                "properties": [
                    "id": int64, "name": string, "role": role, "prefix": string, "createdBy": string, "createdAt": time,
                    "lastUsedAt": optionalTime, "revokedAt": optionalTime, "expiresAt": time,
                ],
            ],
            "AuditEntry": [
                "type": "object", "required": ["id", "at", "actor", "action", "target", "ip", "detail", "hash"],
                "properties": [
                    "id": int64, "at": time, "actor": string, "action": string, "target": string, "ip": string,
                    "detail": string, "hash": string,
                ],
            ],
            "AuditVerification": [
                "type": "object", "required": ["intact", "checked", "headID", "headHash"],
                "properties": [
                    "intact": ["type": "boolean"], "checked": ["type": "integer"], "headID": int64, "headHash": string,
                    "resumedAfter": ["type": ["integer", "null"], "format": "int64"],
                    "problem": ["type": ["string", "null"]],
                ],
            ],
        ]
    }
}

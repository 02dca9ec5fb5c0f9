import Foundation
import HTTPTypes
import KilpiCore

/// What each `/api/v1` route takes and answers: its request body type, query parameters and every status it can
/// return with the type of the body. The schemas are generated from the very types the handlers decode and encode
/// (`SchemaProbe`), and `APIBody` checks each request body against the same schema, so the OpenAPI document
/// cannot drift from the code. Statuses that follow from the route itself are added by `operation(_:)`: 401 and
/// 403 for a token route, 404 for a path with an id, 400 and 413 for a route with a body.
enum APIContract {
    struct Operation {
        var requestBody: JSONSchema?
        var query: [QueryParameter] = []
        var responses: [Int: Answer] = [:]
    }

    /// One documented status: what it means and the schema of its JSON body (none: no body).
    struct Answer {
        let description: String
        let schema: JSONSchema?
    }

    static func operation(_ route: Route) -> Operation {
        var operation = declared(route)
        let error = SchemaProbe.schema(of: APIError.ErrorResponse.self)
        func add(_ status: Int, _ description: String) {
            if operation.responses[status] == nil {
                operation.responses[status] = Answer(description: description, schema: error)
            }
        }
        if case .api = route.access {
            add(401, "Missing, unknown, expired or revoked bearer token")
            add(403, "The token's role lacks the permission")
        }
        if route.template.contains("/:") {
            add(404, "Nothing with this id (or the id is not a positive integer)")
        }
        if operation.requestBody != nil {
            add(400, "The body is not JSON or breaks the schema; `field` names the first field at fault")
            add(413, "The body is larger than 1 MiB")
        }
        if !operation.query.isEmpty {
            add(400, "A query parameter breaks its schema; `field` names it")
        }
        return operation
    }

    private static func ok<T: Decodable>(_ type: T.Type, _ description: String) -> [Int: Answer] {
        [200: Answer(description: description, schema: SchemaProbe.schema(of: type))]
    }
    private static func answer<T: Decodable>(_ type: T.Type, _ description: String) -> Answer {
        Answer(description: description, schema: SchemaProbe.schema(of: type))
    }
    private static func error(_ description: String) -> Answer {
        Answer(description: description, schema: SchemaProbe.schema(of: APIError.ErrorResponse.self))
    }

    typealias Users = APIController
    typealias Incidents = IncidentAPIController

    private static func declared(_ route: Route) -> Operation {
        switch route {
        case Routes.openAPI:
            return Operation(responses: [200: Answer(description: "This document", schema: .map(.any))])
        case Routes.apiMe:
            return Operation(responses: ok(Users.Me.self, "The calling token"))
        case Routes.apiUsers:
            return Operation(responses: ok(Users.ListOf<Users.UserDTO>.self, "Staff accounts"))
        case Routes.apiUserCreate:
            return Operation(
                requestBody: SchemaProbe.schema(of: Users.CreateUserBody.self),
                responses: [
                    201: answer(Users.CreatedUser.self, "Created; send the enrolment link to the person"),
                    422: error("Refused (`field` names it): not an email address, a blank name"),
                    409: error("An account with this email already exists"),
                ]
            )
        case Routes.apiTokens:
            return Operation(responses: ok(Users.ListOf<Users.TokenDTO>.self, "API tokens (never their secrets)"))
        case Routes.apiTokenRevoke:
            return Operation(responses: [
                204: Answer(description: "Revoked", schema: nil),
                404: error("No active token with this id"),
                409: error("The token is protected: only `kilpi token revoke` on the server revokes it"),
            ])
        case Routes.apiAudit:
            return Operation(query: auditQuery, responses: ok(Users.ListOf<Users.AuditDTO>.self, "Newest first"))
        case Routes.apiAuditVerify:
            return Operation(responses: ok(Users.Verification.self, "The chain's state since the last checkpoint"))
        case Routes.apiIncidents:
            return Operation(responses: ok(Users.ListOf<Incidents.IncidentDTO>.self, "Every incident, without tasks"))
        case Routes.apiIncidentCreate:
            return Operation(
                requestBody: SchemaProbe.schema(of: Incidents.CreateBody.self),
                responses: [
                    201: answer(Incidents.IncidentDTO.self, "Declared, with its playbook tasks"),
                    422: error("Refused by the rules (a blank title, no such commander, a time in the future)"),
                ]
            )
        case Routes.apiIncident:
            return Operation(responses: ok(Incidents.IncidentDTO.self, "The incident with its tasks"))
        case Routes.apiIncidentUpdate:
            return Operation(
                requestBody: SchemaProbe.schema(of: Incidents.UpdateBody.self),
                responses: [
                    200: answer(Incidents.IncidentDTO.self, "Updated"),
                    409: error("The status cannot move there from the current one; nothing was changed"),
                    422: error("Refused by the rules; nothing was changed"),
                ]
            )
        case Routes.apiTimeline:
            return Operation(responses: ok(Users.ListOf<Incidents.EntryDTO>.self, "In the order things happened"))
        case Routes.apiTimelineAdd:
            return Operation(
                requestBody: SchemaProbe.schema(of: Incidents.EntryBody.self),
                responses: [
                    201: answer(Incidents.EntryDTO.self, "Added"),
                    422: error("Refused by the rules (blank text, a time in the future)"),
                ]
            )
        case Routes.apiScopeSet:
            return Operation(
                requestBody: SchemaProbe.schema(of: Incidents.ScopeBody.self),
                responses: [
                    201: answer(Incidents.ExposureDTO.self, "The new scope version and its exposure"),
                    422: error(
                        "Refused by the rules (an unknown system or category, the window ends before it starts)"
                    ),
                ]
            )
        case Routes.apiExposure:
            return Operation(responses: [
                200: answer(Incidents.ExposureDTO.self, "The latest scope version's exposure, shaped for the role"),
                404: error("No such incident, or it has no scope yet (`no_scope`)"),
            ])
        case Routes.apiPlanCheck:
            return Operation(responses: ok(Users.ListOf<Incidents.FindingDTO>.self, "Findings; empty when clean"))
        default:
            if let notices = noticeOperation(route) { return notices }
            if let support = supportOperation(route) { return support }
            preconditionFailure("\(route) has no API contract")
        }
    }

    /// `GET /audit`'s filters.
    static let auditQuery: [QueryParameter] = [
        QueryParameter(name: "actor", schema: .string(maxLength: 200), description: "Exact actor, e.g. `token:3`"),
        QueryParameter(
            name: "action",
            schema: .string(maxLength: 200),
            description: "Action or dotted prefix, e.g. `session`"
        ),
        QueryParameter(name: "target", schema: .string(maxLength: 200), description: "Exact target, e.g. `user:2`"),
        QueryParameter(name: "from", schema: .string(format: "date"), description: "First day (UTC)"),
        QueryParameter(name: "until", schema: .string(format: "date"), description: "Last day (UTC), inclusive"),
        QueryParameter(
            name: "before",
            schema: .integer(minimum: 1),
            description: "Paging: only entries with a smaller id"
        ),
        QueryParameter(
            name: "limit",
            schema: .integer(format: "int32", minimum: 1, maximum: 1000),
            description: "At most this many entries (default 100)"
        ),
    ]
}

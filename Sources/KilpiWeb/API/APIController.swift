import Foundation
import Hummingbird
import KilpiCore
import KilpiStore

/// The JSON API under `/api/v1`. Same rules as the console (the same `AccountService` and `AccessPolicy`),
/// bearer tokens instead of sessions, and every state change audited with the token as actor.
struct APIController {
    let services: AppServices

    struct UserDTO: Codable, Sendable {
        let id: Int64
        let email: String
        let displayName: String
        let role: String
        let status: String
        let secondFactor: Bool
        let lastLoginAt: Date?
        let createdAt: Date
        init(_ user: StaffUser) {
            id = user.id
            email = user.email
            displayName = user.displayName
            role = user.role.rawValue
            status = user.status.rawValue
            secondFactor = user.totpEnabled
            lastLoginAt = user.lastLoginAt
            createdAt = user.createdAt
        }
    }
    struct TokenDTO: Codable, Sendable {
        let id: Int64
        let name: String
        let role: String
        let prefix: String
        let createdBy: String
        let createdAt: Date
        let lastUsedAt: Date?
        let revokedAt: Date?
        let expiresAt: Date
        init(_ token: APIToken) {
            id = token.id
            name = token.name
            role = token.role.rawValue
            prefix = token.prefix
            createdBy = token.createdBy
            createdAt = token.createdAt
            lastUsedAt = token.lastUsedAt
            revokedAt = token.revokedAt
            expiresAt = token.expiresAt
        }
    }
    struct AuditDTO: Codable, Sendable {
        let id: Int64
        let at: Date
        let actor: String
        let action: String
        let target: String
        let ip: String
        let detail: String
        let hash: String
        init(_ entry: AuditEntry) {
            id = entry.id
            at = entry.at
            actor = entry.actor
            action = entry.action
            target = entry.target
            ip = entry.ip
            detail = entry.detail
            hash = entry.hash
        }
    }
    struct CreateUserBody: Decodable {
        let email: String?
        let displayName: String?
        let role: String?
    }
    struct CreatedUser: Encodable {
        let user: UserDTO
        let enrolmentLink: String
    }
    struct Me: Encodable {
        let tokenID: Int64
        let name: String
        let role: String
        let permissions: [String]
    }
    struct Verification: Encodable {
        let intact: Bool
        /// Entries checked now: those after the checkpoint.
        let checked: Int
        let headID: Int64
        let headHash: String
        /// The checkpoint entry the check started after (null: the whole chain was walked).
        let resumedAfter: Int64?
        let problem: String?
    }
    struct ListOf<T: Encodable>: Encodable { let items: [T] }

    func register(_ routes: RouteRegistry) {
        routes.page(Routes.openAPI) { _, _ in
            .text(OpenAPIDocument.json(), contentType: "application/json; charset=utf-8")
        }
        routes.page(Routes.apiMe) { _, context in
            guard let token = context.apiToken else { throw HTTPError(.unauthorized) }
            return try .json(
                Me(
                    tokenID: token.id,
                    name: token.name,
                    role: token.role.rawValue,
                    permissions: AccessPolicy.permissions(of: token.role).map(\.rawValue).sorted()
                )
            )
        }
        routes.page(Routes.apiUsers) { _, _ in
            try .json(ListOf(items: try await services.store.users.all().map(UserDTO.init)))
        }
        routes.page(Routes.apiUserCreate) { request, context in
            let body: CreateUserBody
            do {
                body = try await Self.decode(CreateUserBody.self, request, context)
            } catch let error as APIBodyError {
                return .apiError(.badRequest, code: "invalid_body", message: error.message, field: error.field)
            }
            guard let email = body.email else {
                return .apiError(.badRequest, code: "missing_field", message: "email is required", field: "email")
            }
            guard let name = body.displayName else {
                return .apiError(
                    .badRequest,
                    code: "missing_field",
                    message: "displayName is required",
                    field: "displayName"
                )
            }
            guard let roleName = body.role, let role = Role(rawValue: roleName) else {
                return .apiError(
                    .badRequest,
                    code: "invalid_field",
                    message: "role must be one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))",
                    field: "role"
                )
            }
            do {
                let (user, token) = try await services.accounts.addUser(
                    email: email,
                    displayName: name,
                    role: role,
                    actor: context.actor,
                    ip: context.remoteIP
                )
                return try .json(
                    CreatedUser(user: UserDTO(user), enrolmentLink: services.link(Routes.enrol.path(["token": token]))),
                    status: .created
                )
            } catch let error as AccountError {
                let field =
                    error.code == .invalidEmail
                    ? "email" : error.code == .invalidName ? "displayName" : error.code == .emailTaken ? "email" : nil
                return .apiError(
                    error.code == .emailTaken ? .conflict : .badRequest,
                    code: "rejected",
                    message: error.description,
                    field: field
                )
            }
        }
        routes.page(Routes.apiTokens) { _, _ in
            try .json(ListOf(items: try await services.store.tokens.all().map(TokenDTO.init)))
        }
        routes.page(Routes.apiTokenRevoke) { _, context in
            guard let id = context.parameters.get("id", as: Int64.self) else {
                return .apiError(.badRequest, code: "invalid_field", message: "id must be a number", field: "id")
            }
            guard
                try await services.accounts.revokeToken(
                    id: id,
                    actor: context.actor,
                    ip: context.remoteIP,
                    detail: "via API"
                )
            else {
                return .apiError(.notFound, code: "not_found", message: "no active token with id \(id)")
            }
            return Response(status: .noContent)
        }
        routes.page(Routes.apiAudit) { request, _ in
            var filter = ConsoleController.auditFilter(request.uri.queryParameters)
            if let limit = request.uri.queryParameters.get("limit", as: Int.self) {
                filter.limit = max(1, min(limit, 1000))
            }
            return try .json(ListOf(items: try await services.store.audit.entries(filter).map(AuditDTO.init)))
        }
        routes.page(Routes.apiAuditVerify) { _, _ in
            // From the last checkpoint only, like the console; `kilpi audit verify` walks the whole chain.
            let result = try await services.store.audit.verifySinceCheckpoint()
            return try .json(
                Verification(
                    intact: result.isIntact,
                    checked: result.checked,
                    headID: result.headID,
                    headHash: result.headHash,
                    resumedAfter: result.resumedAfter,
                    problem: result.problem?.description
                )
            )
        }
    }

    struct APIBodyError: Error {
        let message: String
        let field: String?
    }

    /// Decodes a JSON body, turning decoding failures into a message that names the field.
    static func decode<T: Decodable>(
        _ type: T.Type,
        _ request: Request,
        _ context: KilpiRequestContext
    ) async throws -> T {
        var request = request
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(T.self, from: Data(buffer.readableBytesView))
        } catch DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw APIBodyError(message: "\(field) has the wrong type", field: field)
        } catch DecodingError.keyNotFound(let key, _) {
            throw APIBodyError(message: "\(key.stringValue) is required", field: key.stringValue)
        } catch DecodingError.dataCorrupted(let context) where !context.codingPath.isEmpty {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw APIBodyError(
                message: "\(field) is not valid (dates are ISO 8601, e.g. 2026-11-25T08:00:00Z)",
                field: field
            )
        } catch {
            throw APIBodyError(message: "the body is not valid JSON", field: nil)
        }
    }
}

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
        let role: Role
        let status: StaffUser.Status
        let secondFactor: Bool
        let lastLoginAt: Date?
        let createdAt: Date
        init(_ user: StaffUser) {
            id = user.id
            email = user.email
            displayName = user.displayName
            role = user.role
            status = user.status
            secondFactor = user.totpEnabled
            lastLoginAt = user.lastLoginAt
            createdAt = user.createdAt
        }
    }
    struct TokenDTO: Codable, Sendable {
        let id: Int64
        let name: String
        let role: Role
        let prefix: String
        let createdBy: String
        let createdAt: Date
        let lastUsedAt: Date?
        let revokedAt: Date?
        let expiresAt: Date
        /// Revocable by `kilpi token revoke` only, not through the API or the console.
        let protected: Bool
        init(_ token: APIToken) {
            id = token.id
            name = token.name
            role = token.role
            prefix = token.prefix
            createdBy = token.createdBy
            createdAt = token.createdAt
            lastUsedAt = token.lastUsedAt
            revokedAt = token.revokedAt
            expiresAt = token.expiresAt
            protected = token.isProtected
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
        let email: String
        let displayName: String
        let role: Role
    }
    struct CreatedUser: Codable {
        let user: UserDTO
        let enrolmentLink: String
    }
    struct Me: Codable {
        let tokenID: Int64
        let name: String
        let role: Role
        let permissions: [Permission]
    }
    struct Verification: Codable {
        let intact: Bool
        /// Entries checked now: those after the checkpoint.
        let checked: Int
        let headID: Int64
        let headHash: String
        /// The checkpoint entry the check started after (null: the whole chain was walked).
        let resumedAfter: Int64?
        let problem: String?
    }
    struct ListOf<T: Codable>: Codable { let items: [T] }

    func register(_ routes: RouteRegistry) {
        routes.answerOtherMethodsOfAPIPaths()
        routes.page(Routes.openAPI) { _, _ in
            .text(OpenAPIDocument.served, contentType: "application/json; charset=utf-8")
        }
        routes.api(Routes.apiMe) { _, context in
            guard let token = context.apiToken else { throw APIError.unauthorized() }
            return try .json(
                Me(
                    tokenID: token.id,
                    name: token.name,
                    role: token.role,
                    permissions: AccessPolicy.permissions(of: token.role).sorted { $0.rawValue < $1.rawValue }
                )
            )
        }
        routes.api(Routes.apiUsers) { _, _ in
            try .json(ListOf(items: try await services.store.users.all().map(UserDTO.init)))
        }
        routes.api(Routes.apiUserCreate) { request, context in
            let body = try await APIBody.decode(CreateUserBody.self, request, context)
            do {
                let (user, token) = try await services.accounts.addUser(
                    email: body.email,
                    displayName: body.displayName,
                    role: body.role,
                    actor: context.actor,
                    ip: context.remoteIP
                )
                return try .json(
                    CreatedUser(user: UserDTO(user), enrolmentLink: services.link(Routes.enrol.path(["token": token]))),
                    status: .created
                )
            } catch let error as AccountError {
                let field = error.code == .invalidName ? "displayName" : error.field
                let message = error.message(context.language)
                if error.code == .emailTaken { throw APIError(.conflict, .conflict, message, field: field) }
                throw APIError(.unprocessableContent, .invalid, message, field: field)
            }
        }
        routes.api(Routes.apiTokens) { _, _ in
            try .json(ListOf(items: try await services.store.tokens.all().map(TokenDTO.init)))
        }
        routes.api(Routes.apiTokenRevoke, .id) { _, context, id in
            let outcome = try await services.accounts.revokeToken(
                id: id,
                evenIfProtected: false,
                actor: context.actor,
                ip: context.remoteIP,
                detail: "via API"
            )
            switch outcome {
            case .revoked: return Response(status: .noContent)
            case .notFound: throw APIError.notFound("No active token with id \(id).")
            case .protected:
                throw APIError(
                    .conflict,
                    .protectedToken,
                    "Token \(id) is protected: revoke it with `kilpi token revoke \(id)` on the server."
                )
            }
        }
        routes.api(Routes.apiAudit) { request, context in
            let query = try APIQuery.read(request, APIContract.auditQuery, language: context.language)
            let filter = AuditFilter(
                actor: query.string("actor"),
                actionPrefix: query.string("action"),
                target: query.string("target"),
                from: query.day("from"),
                // "Until" a day includes that whole day.
                until: query.day("until").map { $0.addingTimeInterval(86_400) },
                beforeID: query.integer("before"),
                limit: query.integer("limit").map { Int($0) } ?? 100
            )
            return try .json(ListOf(items: try await services.store.audit.entries(filter).map(AuditDTO.init)))
        }
        routes.api(Routes.apiAuditVerify) { _, _ in
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
}

import Foundation
import HTTPTypes
import Hummingbird
import KilpiCore

/// The JSON API's one error. Handlers `throw` it; it becomes `{"error": {"code", "message", "field"}}` with its
/// status (`field` names the bad input, absent when the error is not about one). The document's `Error` schema is
/// generated from `ErrorResponse`, so what is sent is what is described.
struct APIError: HTTPResponseError, Sendable, CustomStringConvertible {
    /// What went wrong, for programs; `message` is for people.
    enum Code: String, Sendable, CaseIterable, Codable {
        /// The body is not JSON, or breaks the schema (unknown field, wrong type, null, out of range).
        case invalidBody = "invalid_body"
        /// A query or path parameter breaks its schema.
        case invalidParameter = "invalid_parameter"
        /// Well-formed input the rules refuse (an unknown commander, a time in the future).
        case invalid
        case unauthorized
        case forbidden
        case notFound = "not_found"
        /// The incident has no scope yet.
        case noScope = "no_scope"
        /// Taken already (an email address).
        case conflict
        /// The status change is not allowed from the current status.
        case transitionRefused = "transition_refused"
        /// The token is protected: only `kilpi token revoke` revokes it.
        case protectedToken = "protected_token"
        /// The path exists but not with this method (see `Allow`).
        case methodNotAllowed = "method_not_allowed"
        case tooLarge = "too_large"
        /// Too many requests from this source in the current window (see `Retry-After`).
        case throttled
        case busy
        case `internal`
    }

    let status: HTTPResponse.Status
    let code: Code
    let message: String
    let field: String?
    var headers: HTTPFields = [:]

    init(_ status: HTTPResponse.Status, _ code: Code, _ message: String, field: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
    }

    var description: String { "\(status.code) \(code.rawValue): \(message)" }

    /// The body as sent.
    struct ErrorResponse: Codable, Sendable {
        struct ErrorDetail: Codable, Sendable {
            let code: Code
            let message: String
            /// The input at fault: a body field (`times.occurredAt`, `kinds[0]`) or a parameter.
            let field: String?
        }
        let error: ErrorDetail
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        response()
    }

    func response() -> Response {
        var response =
            (try? Response.json(ErrorResponse(error: .init(code: code, message: message, field: field)), status: status))
            ?? Response(status: status)
        for field in headers { response.headers.append(field) }
        return response
    }

    // MARK: - The common ones

    static func notFound(_ message: String = "No such resource.") -> APIError {
        APIError(.notFound, .notFound, message)
    }

    static func unauthorized() -> APIError {
        var error = APIError(.unauthorized, .unauthorized, "A valid bearer token is required.")
        error.headers[.wwwAuthenticate] = "Bearer realm=\"kilpi\""
        return error
    }

    /// A body that is not JSON or breaks its schema, naming the first field at fault; the message (in `language`)
    /// lists up to five problems.
    static func invalidBody(_ violations: [JSONSchema.Violation], language: Language) -> APIError {
        let shown = violations.prefix(5).map { $0.description(in: language) }.joined(separator: "; ")
        let field = violations.first.flatMap { $0.path.isEmpty ? nil : $0.path }
        return APIError(.badRequest, .invalidBody, shown, field: field)
    }

    /// A query parameter that breaks its schema.
    static func invalidParameter(_ name: String, _ message: LocalizedMessage, language: Language) -> APIError {
        APIError(.badRequest, .invalidParameter, "\(name): \(message.text(language))", field: name)
    }

    /// Input the rules refuse (422), naming the first field; the message lists every problem in `language`.
    static func invalid(_ problems: [FieldProblem], language: Language) -> APIError {
        APIError(
            .unprocessableContent,
            .invalid,
            problems.map { $0.description(in: language) }.joined(separator: "; "),
            field: problems.first?.field
        )
    }

    /// Any other error that carries an HTTP status (Hummingbird's own, a body over the size limit) in this shape.
    init(_ error: any HTTPResponseError) {
        switch error.status {
        case .contentTooLarge: self.init(.contentTooLarge, .tooLarge, "The body is too large.")
        case .unauthorized: self = .unauthorized()
        case .forbidden: self.init(.forbidden, .forbidden, "Not allowed.")
        case .notFound: self = .notFound()
        case .serviceUnavailable: self.init(.serviceUnavailable, .busy, "Busy; retry shortly.")
        default:
            if (400..<500).contains(error.status.code) {
                self.init(error.status, .invalidBody, error.status.reasonPhrase)
            } else {
                self.init(.internalServerError, .internal, "Internal error; it was logged.")
            }
        }
    }
}

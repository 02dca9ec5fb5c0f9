import Foundation
import HTTPTypes
import KilpiCore

/// Who may call a route.
public enum Access: Sendable, Equatable, CustomStringConvertible {
    /// Anyone, signed in or not (login form, public pages, health).
    case publicAccess
    /// A console user whose password was accepted but who still owes a second factor (or must enrol one).
    case partialSession
    /// A fully signed-in console user holding the permission.
    case console(Permission)
    /// An API token whose role holds the permission.
    case api(Permission)
    /// A peer on the loopback interface (the socket's address, never `X-Forwarded-For`), or else an API token whose
    /// role holds the permission: for `/metrics`, scraped by a local agent.
    case loopbackOrAPI(Permission)

    public var description: String {
        switch self {
        case .publicAccess: "public"
        case .partialSession: "partial session"
        case .console(let permission): "console:\(permission.rawValue)"
        case .api(let permission): "api:\(permission.rawValue)"
        case .loopbackOrAPI(let permission): "loopback or api:\(permission.rawValue)"
        }
    }

    /// Whether a role may use a route with this access (public and partial routes are open to all roles).
    public func allows(_ role: Role) -> Bool {
        switch self {
        case .publicAccess, .partialSession: true
        case .console(let permission), .api(let permission), .loopbackOrAPI(let permission):
            AccessPolicy.allows(role, permission)
        }
    }
}

/// One route: method, path template and the access it needs. The same value registers the handler and
/// builds links, so links cannot drift from routes.
public struct Route: Sendable, Hashable, CustomStringConvertible {
    public let method: HTTPRequest.Method
    /// Hummingbird path template, e.g. `/console/users/:id/role`.
    public let template: String
    public let access: Access
    /// One line for the OpenAPI document and the route list.
    public let summary: String

    public init(_ method: HTTPRequest.Method, _ template: String, _ access: Access, _ summary: String) {
        self.method = method
        self.template = template
        self.access = access
        self.summary = summary
    }

    public static func == (lhs: Route, rhs: Route) -> Bool { lhs.method == rhs.method && lhs.template == rhs.template }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(method.rawValue)
        hasher.combine(template)
    }

    public var description: String { "\(method.rawValue) \(template)" }

    /// The path with `:name` parameters filled in (percent-encoded).
    public func path(_ parameters: [String: String] = [:]) -> String {
        template.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            guard segment.hasPrefix(":") else { return String(segment) }
            let name = String(segment.dropFirst())
            let value = parameters[name] ?? ""
            return value.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? value
        }.joined(separator: "/")
    }

    /// Convenience for the common single-`id` routes.
    public func path(id: some BinaryInteger) -> String { path(["id": String(id)]) }

    /// Path template in OpenAPI form: `/tokens/{id}`.
    public var openAPIPath: String {
        template.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.hasPrefix(":") ? "{\(segment.dropFirst())}" : String(segment)
        }.joined(separator: "/")
    }

    public var isStateChanging: Bool { method != .get && method != .head }
}

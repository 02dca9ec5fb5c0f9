import Hummingbird
import KilpiCore
import KilpiStore
import NIOCore

/// Per-request state: who is calling (console session or API token), in which language, from where.
public struct KilpiRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client's address, without port: the peer's, or when the peer is a trusted proxy, the rightmost
    /// untrusted hop of `X-Forwarded-For` (set by `ClientAddressMiddleware`). Only the IP is ever logged or
    /// audited; sign-in throttling counts under its source key (IPv6 per /64).
    public internal(set) var remoteIP: String
    /// The address of the socket's other end (a proxy, when there is one).
    public let peerIP: String
    /// Set by the session middleware for console requests with a live session.
    public var session: ActiveSession?
    /// Set by the API authentication for API routes.
    public var apiToken: APIToken?
    public var language: Language = .en
    /// Whether this is a demo server (pages say so); set by the route registry.
    public var demo = false

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.peerIP = Self.ip(of: source.channel.remoteAddress)
        self.remoteIP = peerIP
    }

    /// The audit actor for whoever is calling.
    public var actor: String {
        if let session { return "user:\(session.user.id)" }
        if let apiToken { return "token:\(apiToken.id)" }
        return "anonymous"
    }

    static func ip(of address: SocketAddress?) -> String {
        guard let address else { return "unknown" }
        return address.ipAddress ?? "unknown"
    }

    /// Bodies are small forms and JSON documents; uploads (later issues) raise this on their own routes.
    public var maxUploadSize: Int { 1 << 20 }
}

/// A signed-in staff member and their session.
public struct ActiveSession: Sendable {
    public let id: String
    public let session: StaffSession
    public let user: StaffUser
}

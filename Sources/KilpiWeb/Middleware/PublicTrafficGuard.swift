import Foundation
import HTTPTypes
import Hummingbird
import KilpiCore
import Synchronization

/// Keeps a rush or a flood on the public trust center from starving the staff console and the customer portal.
/// Every request outside the console, the customer portal, the token API, health, metrics and the style sheet
/// (the public pages, feeds, public JSON, and unknown paths) passes two checks first:
/// - each client (an IPv4 address or an IPv6 /64, as `IPAddress.throttleKey` says) has a token bucket of
///   `perClient` requests a second with a burst of `burst`; beyond it the answer is 429 with `Retry-After`;
/// - at most `inFlight` such requests are served at once; beyond that the answer is 503 with `Retry-After: 1`,
///   at once, without queueing, so the work the server does for the public stays bounded.
/// Both answers are tiny and cached by nobody. Zero turns a check off.
struct PublicTrafficGuard: RouterMiddleware {
    typealias Context = KilpiRequestContext

    let limits: PublicTrafficLimits
    let now: @Sendable () -> Date
    private let state: State

    init(limits: PublicTrafficLimits, now: @escaping @Sendable () -> Date) {
        self.limits = limits
        self.now = now
        self.state = State()
    }

    /// Paths the guard leaves alone: they have their own sign-in, link or token checks and must stay reachable.
    static let exempt = ["/console", "/support", "/api/v1/", "/healthz", "/metrics", "/static/"]

    static func isGuarded(_ path: String) -> Bool {
        !exempt.contains { path == $0 || path.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }
    }

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard Self.isGuarded(request.uri.path) else { return try await next(request, context) }
        if limits.perClient > 0,
            let wait = state.take(
                key: IPAddress.throttleKey(for: context.remoteIP),
                rate: limits.perClient,
                burst: limits.burst,
                now: now()
            )
        {
            return Self.refusal(.tooManyRequests, retryAfter: wait, "Too many requests from your address.")
        }
        if limits.inFlight > 0 {
            guard state.enter(limit: limits.inFlight) else {
                return Self.refusal(.serviceUnavailable, retryAfter: 1, "Busy: please try again in a moment.")
            }
            defer { state.leave() }
            return try await next(request, context)
        }
        return try await next(request, context)
    }

    static func refusal(_ status: HTTPResponse.Status, retryAfter seconds: Int, _ text: String) -> Response {
        var response = Response.text(text + "\n", status: status)
        response.headers[.retryAfter] = String(seconds)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// The buckets and the in-flight count. Buckets of clients idle long enough to be full again are dropped
    /// when the table grows past `maximumClients`, so addresses never seen again do not pile up.
    final class State: Sendable {
        struct Bucket {
            var tokens: Double
            var at: Date
        }

        static let maximumClients = 100_000
        private let buckets = Mutex<[String: Bucket]>([:])
        private let running = Atomic<Int>(0)

        /// Takes one token from `key`'s bucket; nil when there was one, else the seconds until there is.
        func take(key: String, rate: Double, burst: Double, now: Date) -> Int? {
            buckets.withLock { table in
                var bucket = table[key] ?? Bucket(tokens: burst, at: now)
                bucket.tokens = min(burst, bucket.tokens + max(0, now.timeIntervalSince(bucket.at)) * rate)
                bucket.at = now
                defer {
                    table[key] = bucket
                    if table.count > Self.maximumClients { Self.prune(&table, rate: rate, burst: burst, now: now) }
                }
                guard bucket.tokens >= 1 else { return max(1, Int(((1 - bucket.tokens) / rate).rounded(.up))) }
                bucket.tokens -= 1
                return nil
            }
        }

        private static func prune(_ table: inout [String: Bucket], rate: Double, burst: Double, now: Date) {
            let idle = burst / rate
            table = table.filter { now.timeIntervalSince($0.value.at) < idle }
            // Still too many (a flood from very many addresses): start again rather than grow without bound.
            if table.count > maximumClients { table = [:] }
        }

        func enter(limit: Int) -> Bool {
            let after = running.wrappingAdd(1, ordering: .relaxed).newValue
            guard after <= limit else {
                running.wrappingSubtract(1, ordering: .relaxed)
                return false
            }
            return true
        }

        func leave() { running.wrappingSubtract(1, ordering: .relaxed) }

        var clients: Int { buckets.withLock { $0.count } }
    }
}

/// How much the public trust center may ask of the server (see `PublicTrafficGuard`).
public struct PublicTrafficLimits: Sendable, Equatable {
    /// Requests a second one client (address or IPv6 /64) may make on the public pages; 0: no per-client limit.
    public var perClient: Double
    /// How many it may make at once after a pause.
    public var burst: Double
    /// Public requests served at the same time; 0: no budget.
    public var inFlight: Int

    public init(perClient: Double = 50, burst: Double = 200, inFlight: Int = 64) {
        self.perClient = perClient
        self.burst = burst
        self.inFlight = inFlight
    }
}

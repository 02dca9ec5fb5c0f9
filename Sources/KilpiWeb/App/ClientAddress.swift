import HTTPTypes
import Hummingbird
import KilpiCore

/// Who the client is when Kilpi sits behind reverse proxies.
///
/// `X-Forwarded-For` is written by whoever sends the request, so it is believed only as far as the proxies
/// that relayed it are trusted: when the peer is a trusted proxy, the hops are read from the right (the hop
/// the proxy itself appended) and the first one that is not a trusted proxy is the client. A header from an
/// untrusted peer is ignored, so nobody can pick the address their attempts count under.
enum ClientAddress {
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    /// The client address for a request from `peer` carrying `forwardedFor` (each header line, in order).
    static func resolve(peer: String, forwardedFor: [String], trusted: [CIDR]) -> String {
        guard !trusted.isEmpty, isTrusted(peer, trusted) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        var client = peer
        for hop in hops.reversed() {
            // A hop that is not an address (garbage, "unknown") ends the chain: the last proxy that could be
            // trusted is then as close to the client as can be told.
            guard let address = address(hop) else { return client }
            client = address.description
            if !trusted.contains(where: { $0.contains(address) }) { return client }
        }
        // Every hop was a trusted proxy: the leftmost is the best there is.
        return client
    }

    private static func isTrusted(_ text: String, _ trusted: [CIDR]) -> Bool {
        guard let address = IPAddress(text) else { return false }
        return trusted.contains { $0.contains(address) }
    }

    /// An address as proxies write it: bare, `[v6]`, `[v6]:port` or `v4:port`.
    private static func address(_ hop: String) -> IPAddress? {
        if let address = IPAddress(hop) { return address }
        if hop.hasPrefix("["), let close = hop.firstIndex(of: "]") {
            return IPAddress(hop[hop.index(after: hop.startIndex)..<close])
        }
        let parts = hop.split(separator: ":")
        if parts.count == 2, let port = Int(parts[1]), (0...65535).contains(port) { return IPAddress(parts[0]) }
        return nil
    }
}

/// Sets `context.remoteIP` from the peer and, behind trusted proxies, `X-Forwarded-For`. Outermost, so that
/// everything after (logs, audit entries, throttling) sees the client.
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = KilpiRequestContext
    let trusted: [CIDR]

    func handle(
        _ request: Request,
        context: KilpiRequestContext,
        next: (Request, KilpiRequestContext) async throws -> Response
    ) async throws -> Response {
        guard !trusted.isEmpty else { return try await next(request, context) }
        var context = context
        context.remoteIP = ClientAddress.resolve(
            peer: context.peerIP,
            forwardedFor: request.headers[values: ClientAddress.forwardedFor],
            trusted: trusted
        )
        return try await next(request, context)
    }
}

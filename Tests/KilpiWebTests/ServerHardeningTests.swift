import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KilpiCore
import KilpiStore
import KilpiTestSupport
import NIOCore
import Testing

@testable import KilpiWeb

/// Issue 9, item 13: `/metrics` from loopback or with a token, the HTTP idle timeout. These run a real server on a
/// loopback port, since both are about the socket.
@Suite struct ServerHardeningTests {
    /// A live server (port chosen by the system) over a fresh database; `body` gets its port and the store.
    static func live<T: Sendable>(
        configure: @Sendable (inout AppConfiguration) -> Void = { _ in },
        _ body: @Sendable (_ client: any TestClientProtocol, _ port: Int, _ store: Store) async throws -> T
    ) async throws -> T {
        try await TestDatabases.with(.sqlite) { database in
            let store = Store(database: database, vault: try Vault.ephemeral())
            var configuration = AppConfiguration(host: "127.0.0.1", port: 0, passwordHasher: WebTestApp.hasher)
            configure(&configuration)
            let app = buildApplication(configuration: configuration, store: store, logger: TestDatabases.quietLogger)
            return try await app.test(.live) { client in
                try await body(client, try #require(client.port), store)
            }
        }
    }

    // MARK: /metrics

    @Test func metricsAnswerALoopbackPeerWithoutAToken() async throws {
        try await Self.live { client, _, _ in
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(metrics.status == .ok)
            #expect(String(buffer: metrics.body).contains("kilpi_http_requests_total"))
            // A proxy on this host relays other people's requests from loopback too: with X-Forwarded-For, the
            // request came from elsewhere and needs a token.
            let relayed = try await client.execute(
                uri: "/metrics",
                method: .get,
                headers: [ClientAddress.forwardedFor: "203.0.113.9"]
            )
            #expect(relayed.status == .unauthorized)
        }
    }

    @Test func metricsNeedATokenFromAnyOtherPeer() async throws {
        // The router test client has no socket, so its peer is not loopback: as from another host.
        try await WebTestApp.run { app in
            let none = try await app.get("/metrics")
            #expect(none.status == .unauthorized)
            #expect(none.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            #expect(!WebTestApp.text(none).contains("kilpi_http_requests_total"))
            let bogus = try await app.api(.get, "/metrics", token: "kilpi_not-a-real-token")
            #expect(bogus.status == .unauthorized)
            // A console session is not enough either.
            let login = try await app.login(try await app.makeStaff(.responder))
            #expect(try await app.get("/metrics", login).status == .unauthorized)
            // Any role's token: a scraper needs no more than a viewer's.
            let viewer = try await app.makeToken(.viewer).secret
            let metrics = try await app.api(.get, "/metrics", token: viewer)
            #expect(metrics.status == .ok)
            #expect(WebTestApp.text(metrics).contains("kilpi_http_requests_total"))
        }
    }

    @Test func loopbackIsRecognisedInEveryForm() {
        for ip in ["127.0.0.1", "127.10.20.30", "::1", "::ffff:127.0.0.1", "0:0:0:0:0:0:0:1"] {
            #expect(RouteRegistry.isLoopback(ip), "\(ip)")
        }
        for ip in ["unknown", "", "10.0.0.1", "128.0.0.1", "::2", "fe80::1", "127.0.0.1.evil", "::ffff:10.0.0.1"] {
            #expect(!RouteRegistry.isLoopback(ip), "\(ip)")
        }
    }

    // MARK: Idle timeout

    /// Connects to `port`, sends `bytes`, reads whatever comes back and tells whether the server closed the
    /// connection within `patience` seconds (far longer than the configured timeout, so this never races it).
    static func serverCloses(port: Int, sending bytes: String, patience: Int = 20) async -> Bool {
        await withCheckedContinuation { continuation in
            // Blocking socket calls: on a thread of their own, not the cooperative pool.
            let thread = Thread {
                continuation.resume(returning: blockingServerCloses(port: port, sending: bytes, patience: patience))
            }
            thread.start()
        }
    }

    private static func blockingServerCloses(port: Int, sending bytes: String, patience: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { return false }
        var wait = timeval(tv_sec: patience, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        if !bytes.isEmpty {
            let sent = Array(bytes.utf8).withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            guard sent == bytes.utf8.count else { return false }
        }
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 { continue }  // a response; keep reading until the server closes
            if count == 0 { return true }  // orderly close
            return errno == ECONNRESET  // EAGAIN: still open after `patience`
        }
    }

    @Test func idleConnectionsAreClosed() async throws {
        try await Self.live(configure: { $0.httpIdleTimeout = 0.3 }) { _, port, _ in
            // Connected, sending nothing.
            #expect(await Self.serverCloses(port: port, sending: ""))
            // Half a request line and headers that never end (slowloris).
            #expect(await Self.serverCloses(port: port, sending: "GET /healthz HTTP/1.1\r\nHost: localhost\r\n"))
            // A finished request on a keep-alive connection, then silence.
            #expect(
                await Self.serverCloses(
                    port: port,
                    sending: "GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n"
                )
            )
        }
    }

    @Test func theIdleTimeoutIsAMinuteUnlessConfigured() {
        #expect(AppConfiguration().httpIdleTimeout == 60)
    }
}

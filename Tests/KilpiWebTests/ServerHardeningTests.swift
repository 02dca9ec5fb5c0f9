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

/// Issue 9, item 13: the HTTP idle timeout. These run a real server on a loopback port, since it is about the
/// socket.
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

import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Opens SMTP connections to one server as its configuration says (see `SMTPConfiguration` for the TLS rules).
public final class SMTPClient: Sendable {
    public let configuration: SMTPConfiguration
    private let eventLoopGroup: any EventLoopGroup
    /// Built once: loading trust roots is far too slow to repeat per connection.
    private let tlsContext: Result<NIOSSLContext, SMTPError>

    public init(
        configuration: SMTPConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .fullVerification
        tls.minimumTLSVersion = .tlsv12
        if !configuration.additionalTrustRoots.isEmpty {
            tls.additionalTrustRoots = [.certificates(configuration.additionalTrustRoots)]
        }
        tlsContext = Result { try NIOSSLContext(configuration: tls) }
            .mapError { SMTPError.tlsFailed(SMTPClientHandler.describe($0)) }
    }

    /// Connects and runs the opening dialogue: greeting, EHLO, STARTTLS and EHLO again, AUTH. Throws `SMTPError`.
    public func connect() async throws -> SMTPConnection {
        let configuration = configuration
        let tlsContext = try tlsContext.get()
        let state = SMTPConnectionState()
        // SNI and the name check take a host name; for an IP address NIOSSL checks the certificate's IP addresses
        // against the peer's address instead.
        let serverName = Self.isIPAddress(configuration.host) ? nil : configuration.host
        let implicitTLS = configuration.security == .implicitTLS
        let bootstrap = ClientBootstrap(group: eventLoopGroup)
            .connectTimeout(TimeAmount(configuration.timeouts.connect))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
        let channel: any Channel
        let handler: NIOLoopBound<SMTPClientHandler>
        do {
            (channel, handler) = try await bootstrap.connect(host: configuration.host, port: configuration.port) {
                channel in
                channel.eventLoop.makeCompletedFuture {
                    let operations = channel.pipeline.syncOperations
                    if implicitTLS {
                        try operations.addHandler(NIOSSLClientHandler(context: tlsContext, serverHostname: serverName))
                    }
                    try operations.addHandler(ByteToMessageHandler(SMTPReplyDecoder()))
                    let greeting = channel.eventLoop.makePromise(of: SMTPReply.self)
                    let handler = SMTPClientHandler(timeouts: configuration.timeouts, state: state, greeting: greeting)
                    try operations.addHandler(handler)
                    return (channel, NIOLoopBound(handler, eventLoop: channel.eventLoop))
                }
            }
        } catch {
            throw SMTPError.connectionFailed(
                "\(configuration.host):\(configuration.port)",
                detail: SMTPClientHandler.describe(error)
            )
        }
        do {
            let dialogue = Dialogue(channel: channel, handler: handler, configuration: configuration)
            let pipelining = try await dialogue.open(tlsContext: tlsContext, serverName: serverName)
            return SMTPConnection(channel: channel, handler: handler, state: state, pipelining: pipelining)
        } catch {
            try? await channel.close()
            throw error
        }
    }

    static func isIPAddress(_ host: String) -> Bool {
        (try? SocketAddress(ipAddress: host, port: 0)) != nil
    }
}

/// The opening dialogue, command by command (a handful of round trips per connection; speed is in `send`).
private struct Dialogue {
    let channel: any Channel
    let handler: NIOLoopBound<SMTPClientHandler>
    let configuration: SMTPConfiguration

    func open(tlsContext: NIOSSLContext, serverName: String?) async throws -> Bool {
        let greeting = try await greetingReply()
        guard greeting.code == 220 else {
            _ = try? await exchange("QUIT")
            throw SMTPError.greetingRefused(greeting)
        }
        var extensions = try await hello()
        var secure = configuration.security == .implicitTLS
        if !secure {
            if extensions.keys.contains("STARTTLS") {
                let upgrade = try await channel.eventLoop.submit {
                    NIOLoopBound(
                        try NIOSSLClientHandler(context: tlsContext, serverHostname: serverName),
                        eventLoop: channel.eventLoop
                    )
                }.get()
                let reply = try await exchange("STARTTLS", upgrade: upgrade)
                guard reply.code == 220 else { throw SMTPError.refused("STARTTLS", reply: reply) }
                secure = true
                // RFC 3207 §4.2: forget everything learnt before TLS.
                extensions = try await hello()
            } else if !(configuration.isLoopback && configuration.credentials == nil) {
                _ = try? await exchange("QUIT")
                throw SMTPError.tlsUnavailable
            }
        }
        if let credentials = configuration.credentials {
            // Unreachable without TLS (see above); kept as the last guard before a password goes on the wire.
            guard secure else { throw SMTPError.tlsUnavailable }
            try await authenticate(credentials, mechanisms: extensions["AUTH"] ?? [])
        }
        let pipelining = extensions.keys.contains("PIPELINING")
        try await channel.eventLoop.submit { handler.value.pipelining = pipelining }.get()
        return pipelining
    }

    private func greetingReply() async throws -> SMTPReply {
        // The handler was made waiting for the greeting (its first expectation), before the connection opened.
        try await channel.eventLoop.flatSubmit { handler.value.greeting }.get()
    }

    private func exchange(_ line: String, upgrade: NIOLoopBound<NIOSSLClientHandler>? = nil) async throws -> SMTPReply {
        try await channel.eventLoop.flatSubmit { handler.value.command(line, upgrade: upgrade?.value) }.get()
    }

    /// EHLO (HELO when refused); the extensions by keyword, each with its parameters.
    private func hello() async throws -> [String: [String]] {
        let reply = try await exchange("EHLO \(configuration.heloName)")
        if reply.isPositive {
            var extensions: [String: [String]] = [:]
            for line in reply.lines.dropFirst() {
                let words = line.uppercased().split(whereSeparator: { $0 == " " || $0 == "=" }).map(String.init)
                guard let keyword = words.first else { continue }
                extensions[keyword, default: []] += words.dropFirst()
            }
            return extensions
        }
        let fallback = try await exchange("HELO \(configuration.heloName)")
        guard fallback.isPositive else { throw SMTPError.refused("EHLO", reply: reply) }
        return [:]
    }

    private func authenticate(_ credentials: SMTPCredentials, mechanisms: [String]) async throws {
        let secrets = [
            credentials.password, Self.base64(credentials.password), credentials.user, Self.base64(credentials.user),
        ]
        if mechanisms.contains("PLAIN") {
            let token = Self.base64("\0\(credentials.user)\0\(credentials.password)")
            var reply = try await exchange("AUTH PLAIN \(token)")
            if reply.code == 334 { reply = try await exchange(token) }
            guard reply.code == 235 else { throw SMTPError.authenticationFailed(Self.masked(reply, secrets + [token])) }
        } else if mechanisms.contains("LOGIN") {
            var reply = try await exchange("AUTH LOGIN")
            if reply.code == 334 { reply = try await exchange(Self.base64(credentials.user)) }
            if reply.code == 334 { reply = try await exchange(Self.base64(credentials.password)) }
            guard reply.code == 235 else { throw SMTPError.authenticationFailed(Self.masked(reply, secrets)) }
        } else {
            _ = try? await exchange("QUIT")
            throw SMTPError.authenticationUnavailable
        }
    }

    static func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

    /// The reply with any echo of a secret replaced by "***" (a hostile server could repeat what it was sent).
    static func masked(_ reply: SMTPReply, _ secrets: [String]) -> SMTPReply {
        SMTPReply(
            code: reply.code,
            lines: reply.lines.map { line in
                secrets.filter { !$0.isEmpty }.reduce(line) { $0.replacingOccurrences(of: $1, with: "***") }
            }
        )
    }
}

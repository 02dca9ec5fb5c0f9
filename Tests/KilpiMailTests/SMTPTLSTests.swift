import Foundation
import Testing

@testable import KilpiMail

/// STARTTLS, implicit TLS and AUTH against aiosmtpd with a CA made for the test by openssl: verification is always
/// on, an untrusted certificate is refused, and no password goes over plain text or into an error.
@Suite struct SMTPTLSTests {
    static func configuration(_ url: String, caFile: String?) throws -> SMTPConfiguration {
        var configuration = try SMTPConfiguration(url: url, caFile: caFile)
        configuration.timeouts = SMTPTimeouts(
            connect: .seconds(20),
            greeting: .seconds(20),
            reply: .seconds(20),
            dataEnd: .seconds(20)
        )
        return configuration
    }

    static func deliverOne(_ configuration: SMTPConfiguration) async throws {
        let connection = try await SMTPClient(configuration: configuration).connect()
        let outcomes = await connection.send([SMTPDeliveryTests.mail(1)])
        guard case .accepted = outcomes.first else { throw Failure("not accepted: \(outcomes)") }
        await connection.close()
    }

    @Test(arguments: ["127.0.0.1", "localhost"])
    func startTLSWithTheTestCA(host: String) async throws {
        let certificates = try SMTPTestCertificates.make()
        defer { certificates.remove() }
        let server = try SMTPTestServer.start(.init(tls: .startTLS(certificates)))
        defer { server.stop() }
        try await Self.deliverOne(
            Self.configuration("smtp://\(host):\(server.port)", caFile: certificates.caCertificate)
        )
        let received = try server.received()
        #expect(received.count == 1)
        #expect(received.first?.tls == true)
        // EHLO again after the handshake (RFC 3207 §4.2).
        #expect(server.commands().filter { $0 == "EHLO" }.count == 2)
    }

    @Test func implicitTLSWithTheTestCA() async throws {
        let certificates = try SMTPTestCertificates.make()
        defer { certificates.remove() }
        let server = try SMTPTestServer.start(.init(tls: .implicit(certificates)))
        defer { server.stop() }
        try await Self.deliverOne(
            Self.configuration("smtps://127.0.0.1:\(server.port)", caFile: certificates.caCertificate)
        )
        #expect(try server.received().count == 1)
    }

    @Test(arguments: [false, true])
    func aCertificateFromAnotherCAIsRefused(implicit: Bool) async throws {
        let certificates = try SMTPTestCertificates.make()
        defer { certificates.remove() }
        let server = try SMTPTestServer.start(.init(tls: implicit ? .implicit(certificates) : .startTLS(certificates)))
        defer { server.stop() }
        let scheme = implicit ? "smtps" : "smtp"
        for caFile in [certificates.otherCACertificate, nil] {
            let configuration = try Self.configuration("\(scheme)://127.0.0.1:\(server.port)", caFile: caFile)
            let error = await #expect(throws: SMTPError.self) {
                try await SMTPClient(configuration: configuration).connect()
            }
            #expect(error?.kind == .tlsFailed, "\(String(describing: error))")
        }
        #expect(try server.received().isEmpty)
        #expect(!server.commands().contains("MAIL"))
    }

    @Test func aCertificateThatDoesNotNameTheHostIsRefused() async throws {
        // The certificate names localhost, 127.0.0.1 and ::1; 127.0.0.2 is loopback too, but not named.
        let certificates = try SMTPTestCertificates.make()
        defer { certificates.remove() }
        let server = try SMTPTestServer.start(.init(tls: .implicit(certificates), host: "127.0.0.2"))
        defer { server.stop() }
        let configuration = try Self.configuration(
            "smtps://127.0.0.2:\(server.port)",
            caFile: certificates.caCertificate
        )
        let error = await #expect(throws: SMTPError.self) {
            try await SMTPClient(configuration: configuration).connect()
        }
        #expect(error?.kind == .tlsFailed, "\(String(describing: error))")
    }

    @Test(arguments: ["PLAIN", "LOGIN"])
    func authenticatesOverTLS(mechanism: String) async throws {
        let certificates = try SMTPTestCertificates.make()
        defer { certificates.remove() }
        let password = "s3cret pass:@/%"
        let server = try SMTPTestServer.start(
            .init(tls: .startTLS(certificates), auth: (user: "kilpi", password: password, mechanisms: mechanism))
        )
        defer { server.stop() }
        let url = "smtp://kilpi:s3cret%20pass%3A%40%2F%25@127.0.0.1:\(server.port)"
        try await Self.deliverOne(Self.configuration(url, caFile: certificates.caCertificate))
        #expect(try server.received().count == 1)
        #expect(server.commands().contains("AUTH"))
    }

    @Test(arguments: ["PLAIN", "LOGIN"])
    func refusedCredentialsAreAClearErrorWithoutThePassword(mechanism: String) async throws {
        let certificates = try SMTPTestCertificates.make()
        defer { certificates.remove() }
        let server = try SMTPTestServer.start(
            .init(tls: .startTLS(certificates), auth: (user: "kilpi", password: "right", mechanisms: mechanism))
        )
        defer { server.stop() }
        let configuration = try Self.configuration(
            "smtp://kilpi:Wrong-Pa55word@127.0.0.1:\(server.port)",
            caFile: certificates.caCertificate
        )
        let error = await #expect(throws: SMTPError.self) {
            try await SMTPClient(configuration: configuration).connect()
        }
        #expect(error?.kind == .authenticationFailed)
        #expect(error?.reply?.code == 535)
        let shown = [
            String(describing: error), String(reflecting: error), error?.message.en ?? "", error?.message.fi ?? "",
            error?.message.text(.sv) ?? "", String(describing: configuration), String(reflecting: configuration),
        ]
        for text in shown {
            #expect(!text.contains("Wrong-Pa55word"), "\(text)")
            #expect(!text.contains(Data("Wrong-Pa55word".utf8).base64EncodedString()), "\(text)")
        }
        var dumped = ""
        dump(configuration, to: &dumped)
        #expect(!dumped.contains("Wrong-Pa55word"), "\(dumped)")
        #expect(try server.received().isEmpty)
    }

    @Test func noCredentialsOverPlainTextEvenOnLoopback() async throws {
        // A careless server that offers AUTH without TLS.
        let server = try SMTPTestServer.start(
            .init(auth: (user: "kilpi", password: "pw", mechanisms: "PLAIN,LOGIN"), authOverPlain: true)
        )
        defer { server.stop() }
        let configuration = try Self.configuration("smtp://kilpi:pw@127.0.0.1:\(server.port)", caFile: nil)
        let error = await #expect(throws: SMTPError.self) {
            try await SMTPClient(configuration: configuration).connect()
        }
        #expect(error?.kind == .tlsUnavailable)
        #expect(!server.commands().contains("AUTH"))
    }

    @Test func noPlainTextToAServerThatIsNotOnLoopback() async throws {
        let address = try #require(Self.nonLoopbackIPv4Address(), "this machine has no non-loopback IPv4 address")
        let server = try SMTPTestServer.start(
            .init(auth: (user: "kilpi", password: "pw", mechanisms: "PLAIN"), authOverPlain: true, host: address)
        )
        defer { server.stop() }
        for url in ["smtp://\(address):\(server.port)", "smtp://kilpi:pw@\(address):\(server.port)"] {
            let configuration = try Self.configuration(url, caFile: nil)
            #expect(!configuration.isLoopback)
            let error = await #expect(throws: SMTPError.self) {
                try await SMTPClient(configuration: configuration).connect()
            }
            #expect(error?.kind == .tlsUnavailable)
        }
        #expect(!server.commands().contains("AUTH"))
        #expect(!server.commands().contains("MAIL"))
    }

    /// The first IPv4 address of an interface that is up and not loopback.
    static func nonLoopbackIPv4Address() -> String? {
        var interfaces: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&interfaces) == 0, let first = interfaces else { return nil }
        defer { freeifaddrs(interfaces) }
        for pointer in sequence(first: first, next: { $0.pointee.ifa_next }) {
            let interface = pointer.pointee
            guard let address = interface.ifa_addr, address.pointee.sa_family == sa_family_t(AF_INET),
                interface.ifa_flags & UInt32(IFF_LOOPBACK) == 0, interface.ifa_flags & UInt32(IFF_UP) != 0
            else { continue }
            var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            guard
                getnameinfo(
                    address,
                    socklen_t(MemoryLayout<sockaddr_in>.size),
                    &host,
                    socklen_t(host.count),
                    nil,
                    0,
                    NI_NUMERICHOST
                ) == 0
            else { continue }
            return String(decoding: host.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        return nil
    }
}

import Foundation
import KilpiTestSupport
import Testing

@testable import KilpiMail

/// Servers that break the protocol on purpose, scripted with a raw socket (aiosmtpd is too well-behaved): the
/// client stays bounded and fails with a clear error instead of buffering, hanging or being fooled.
@Suite struct SMTPHostileServerTests {
    /// A one-connection server that sends `greeting`, then answers each command line with `replies[VERB]` (or
    /// "250 ok"), written as given; it prints its port first.
    final class ScriptedServer: @unchecked Sendable {
        let process = Process()
        let input = Pipe()
        let port: Int
        let greetingFolder: URL

        static let script = #"""
            import socket, sys, json, os, threading
            greeting, replies = json.load(open(sys.argv[1])), json.loads(sys.argv[2])
            s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
            print(s.getsockname()[1], flush=True)
            threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
            c, _ = s.accept()
            try:
                c.sendall(greeting.encode("latin-1"))
                f = c.makefile("rb")
                for line in f:
                    verb = line.split(b" ")[0].strip().upper().decode()
                    c.sendall(replies.get(verb, "250 ok\r\n").encode("latin-1"))
            except OSError:
                pass
            """#

        init(greeting: String, replies: [String: String] = [:]) throws {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            let encoded = { (value: Any) in
                String(
                    decoding: try JSONSerialization.data(withJSONObject: value, options: .fragmentsAllowed),
                    as: UTF8.self
                )
            }
            // The greeting goes through a file: a hostile one is larger than an argument may be.
            let file = try Python.temporaryFile("greeting.json", Array(try encoded(greeting).utf8))
            greetingFolder = file.deletingLastPathComponent()
            process.arguments = ["-c", Self.script, file.path, try encoded(replies)]
            let output = Pipe()
            process.standardInput = input
            process.standardOutput = output
            try process.runOneAtATime()
            var line = Data()
            while true {
                let byte = output.fileHandleForReading.readData(ofLength: 1)
                if byte.isEmpty || byte.first == UInt8(ascii: "\n") { break }
                line.append(byte)
            }
            port = try #require(Int(String(decoding: line, as: UTF8.self)))
        }

        func stop() {
            if process.isRunning { process.terminate() }
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
            try? FileManager.default.removeItem(at: greetingFolder)
        }
    }

    static func connect(_ server: ScriptedServer, caFile: String? = nil) async throws -> SMTPConnection {
        var configuration = try SMTPConfiguration(url: "smtp://127.0.0.1:\(server.port)", caFile: caFile)
        configuration.timeouts = SMTPTimeouts(
            connect: .seconds(20),
            greeting: .seconds(20),
            reply: .seconds(20),
            dataEnd: .seconds(20)
        )
        return try await SMTPClient(configuration: configuration).connect()
    }

    @Test func aHugeReplyLineIsBounded() async throws {
        let server = try ScriptedServer(greeting: "220 " + String(repeating: "x", count: 100_000))
        defer { server.stop() }
        let error = await #expect(throws: SMTPError.self) { try await Self.connect(server) }
        #expect(error?.kind == .protocolViolation)
    }

    @Test func aReplyOfEndlessLinesIsBounded() async throws {
        let server = try ScriptedServer(
            greeting: String(repeating: "220-more and more\r\n", count: 10_000) + "220 done\r\n"
        )
        defer { server.stop() }
        let error = await #expect(throws: SMTPError.self) { try await Self.connect(server) }
        #expect(error?.kind == .protocolViolation)
        #expect(error?.detail == "a reply is too long")
    }

    @Test func aGarbledOrRefusingGreeting() async throws {
        let garbled = try ScriptedServer(greeting: "hello there\r\n")
        defer { garbled.stop() }
        let error = await #expect(throws: SMTPError.self) { try await Self.connect(garbled) }
        #expect(error?.kind == .protocolViolation)

        let refusing = try ScriptedServer(greeting: "554 5.7.1 go away\r\n")
        defer { refusing.stop() }
        let refused = await #expect(throws: SMTPError.self) { try await Self.connect(refusing) }
        #expect(refused?.kind == .refused)
        #expect(refused?.reply?.text == "554 5.7.1 go away")
    }

    @Test func controlCharactersInARepliedTextBecomeSpaces() async throws {
        let server = try ScriptedServer(
            greeting: "220 hi\r\n",
            replies: ["EHLO": "250 ok\r\n", "MAIL": "250 ok\r\n", "RCPT": "550 5.1.1 bad\u{1B}[31m\u{7}user\r\n"]
        )
        defer { server.stop() }
        let connection = try await Self.connect(server)
        let outcomes = await connection.send([SMTPDeliveryTests.mail(1)])
        guard case .rejected(let reply) = outcomes.first else { throw Failure("not rejected: \(outcomes)") }
        #expect(reply.text == "550 5.1.1 bad [31m user")
        await connection.close()
    }

    @Test func plainTextInjectedAfterTheSTARTTLSReplyIsRefused() async throws {
        // CVE-2011-0411 style: a reply to EHLO smuggled in before the handshake must not be believed.
        let certificates = try SMTPTestCertificates.make()
        defer { certificates.remove() }
        let server = try ScriptedServer(
            greeting: "220 hi\r\n",
            replies: [
                "EHLO": "250-hi\r\n250 STARTTLS\r\n", "STARTTLS": "220 go ahead\r\n250-injected\r\n250 AUTH PLAIN\r\n",
            ]
        )
        defer { server.stop() }
        let error = await #expect(throws: SMTPError.self) {
            try await Self.connect(server, caFile: certificates.caCertificate)
        }
        #expect(error?.kind == .protocolViolation)
    }
}

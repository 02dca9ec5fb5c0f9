import Foundation
import KilpiTestSupport
import Testing

/// A capturing SMTP server for tests: `smtp_server.py` (aiosmtpd, run by Debian's /usr/bin/python3) on loopback at
/// a free port, writing every message it accepts into its own temporary folder. Start one per test with the faults
/// the test needs; `stop()` ends it and removes the folder (the process also ends when the test process does).
final class SMTPTestServer: @unchecked Sendable {
    struct Options {
        /// Address or "@domain" → the reply to RCPT ("451 4.7.1 try later", or only a code); 421 also closes.
        var rcptReplies: [String: String] = [:]
        /// The reply to every MAIL FROM, e.g. "550 5.7.1 sender rejected".
        var mailReply: String?
        /// After this many stored messages, close the connection at the end of the next message's data.
        var dropAfter: Int?
        /// Seconds to wait before each reply to MAIL, RCPT and the end of data.
        var delay: Double?
        var pipelining = true
        var tls: TLS?
        var auth: (user: String, password: String, mechanisms: String)?
        /// Offer AUTH over plain text as well (a careless server).
        var authOverPlain = false
        /// Where to listen; a non-loopback address for the "no credentials over plain text" test.
        var host = "127.0.0.1"

        enum TLS {
            case startTLS(SMTPTestCertificates)
            case implicit(SMTPTestCertificates)
        }
    }

    /// One stored message: its envelope and its bytes as received (after dot-unstuffing).
    struct Received: Decodable {
        let mailFrom: String
        let rcptTos: [String]
        let tls: Bool
        var bytes: [UInt8] = []

        enum CodingKeys: String, CodingKey {
            case mailFrom = "mail_from"
            case rcptTos = "rcpt_tos"
            case tls
        }
    }

    let port: Int
    let host: String
    let folder: URL
    private let process: Process
    private let input: Pipe

    static var script: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("smtp_server.py")
    }

    private init(port: Int, host: String, folder: URL, process: Process, input: Pipe) {
        self.port = port
        self.host = host
        self.folder = folder
        self.process = process
        self.input = input
    }

    /// `smtp://host:port` (add credentials or use `smtps` as the test needs).
    var url: String { "smtp://\(host):\(port)" }

    static func start(
        _ options: Options = Options(),
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws
        -> SMTPTestServer
    {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kilpi-smtp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("mail"),
            withIntermediateDirectories: true
        )
        var arguments = [script.path, "--host", options.host, "--folder", folder.appendingPathComponent("mail").path]
        arguments += ["--log", folder.appendingPathComponent("commands.log").path]
        for (pattern, reply) in options.rcptReplies.sorted(by: { $0.key < $1.key }) {
            arguments += ["--rcpt-reply", "\(pattern)=\(reply)"]
        }
        if let mailReply = options.mailReply { arguments += ["--mail-reply", mailReply] }
        if let dropAfter = options.dropAfter { arguments += ["--drop-after", String(dropAfter)] }
        if let delay = options.delay { arguments += ["--delay", String(delay)] }
        if !options.pipelining { arguments.append("--no-pipelining") }
        switch options.tls {
        case .startTLS(let certificates)?:
            arguments += [
                "--tls-cert", certificates.serverCertificate, "--tls-key", certificates.serverKey, "--starttls",
            ]
        case .implicit(let certificates)?:
            arguments += [
                "--tls-cert", certificates.serverCertificate, "--tls-key", certificates.serverKey, "--implicit-tls",
            ]
        case nil: break
        }
        if let auth = options.auth {
            arguments += ["--auth-user", auth.user, "--auth-password", auth.password]
            arguments += ["--auth-mechanisms", auth.mechanisms]
        }
        if options.authOverPlain { arguments.append("--auth-over-plain") }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = arguments
        let input = Pipe()
        let output = Pipe()
        let errors = FileHandle(forWritingAtPath: "/dev/null")
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.runOneAtATime()
        } catch {
            Issue.record(
                "/usr/bin/python3 could not be started (\(error)); scripts/test.sh installs python3-aiosmtpd",
                sourceLocation: sourceLocation
            )
            throw error
        }
        // The first line is {"port": N} once the server listens; EOF first means it failed to start.
        var line = Data()
        while true {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte.first == UInt8(ascii: "\n") { break }
            line.append(byte)
        }
        struct Ready: Decodable { let port: Int }
        guard let ready = try? JSONDecoder().decode(Ready.self, from: line) else {
            process.waitUntilExit()
            let problem =
                "the test SMTP server did not start (is python3-aiosmtpd installed for /usr/bin/python3? "
                + "scripts/test.sh installs it); exit status \(process.terminationStatus)"
            Issue.record(Comment(rawValue: problem), sourceLocation: sourceLocation)
            throw ServerDidNotStart()
        }
        return SMTPTestServer(port: ready.port, host: options.host, folder: folder, process: process, input: input)
    }

    struct ServerDidNotStart: Error {}

    /// Ends the server and removes its folder.
    func stop() {
        if process.isRunning { process.terminate() }
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: folder)
    }

    deinit { if process.isRunning { process.terminate() } }

    /// The messages stored so far, in the order the server accepted them.
    func received() throws -> [Received] {
        let mail = folder.appendingPathComponent("mail")
        let names = try FileManager.default.contentsOfDirectory(atPath: mail.path)
            .filter { $0.hasSuffix(".eml") }.sorted()
        return try names.map { name in
            let base = mail.appendingPathComponent(String(name.dropLast(4)))
            var message = try JSONDecoder().decode(
                Received.self,
                from: Data(contentsOf: base.appendingPathExtension("json"))
            )
            message.bytes = [UInt8](try Data(contentsOf: base.appendingPathExtension("eml")))
            return message
        }
    }

    /// The command verbs the server saw, in order (EHLO, AUTH, MAIL, RCPT, DATA, RSET, QUIT).
    func commands() -> [String] { log().filter { !$0.hasPrefix("~") } }

    /// What happened on the server's side, in order with the verbs: `~lost` when a connection ended, and
    /// `~late-reply` when a delayed reply went to a client that was still waiting for it.
    func events() -> [String] { log().filter { $0.hasPrefix("~") } }

    /// Waits (polling, up to `limit`) until `event` is in `events()`, and returns them.
    func events(waitingFor event: String, limit: Duration = .seconds(120)) async throws -> [String] {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            let seen = events()
            if seen.contains(event) { return seen }
            try await Task.sleep(for: .milliseconds(50))
        }
        return events()
    }

    private func log() -> [String] {
        let log = (try? String(contentsOf: folder.appendingPathComponent("commands.log"), encoding: .utf8)) ?? ""
        return log.split(separator: "\n").map(String.init)
    }
}

/// A CA made for one test with openssl in a temporary folder, and a server certificate it signed for
/// localhost, 127.0.0.1 and ::1; `otherCA` is an unrelated CA for a verification that must fail.
struct SMTPTestCertificates: Sendable {
    let folder: String
    var caCertificate: String { folder + "/ca.crt" }
    var otherCACertificate: String { folder + "/other-ca.crt" }
    var serverCertificate: String { folder + "/server.crt" }
    var serverKey: String { folder + "/server.key" }

    static func make(sourceLocation: SourceLocation = #_sourceLocation) throws -> SMTPTestCertificates {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "kilpi-smtp-tls-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let script = """
            set -e
            ca() { openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -sha256 -days 2 \
              -subj "/CN=$2" -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
              -keyout "$1.key" -out "$1.crt"; }
            ca ca "Kilpi SMTP test CA"
            ca other-ca "Kilpi unrelated CA"
            openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -sha256 -subj "/CN=localhost" \
              -keyout server.key -out server.csr
            printf '%s\\n' "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1" "basicConstraints=critical,CA:FALSE" \
              "keyUsage=critical,digitalSignature" "extendedKeyUsage=serverAuth" > server.ext
            openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -sha256 -days 2 \
              -extfile server.ext -out server.crt
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = folder
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.runOneAtATime()
        let log = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            Issue.record("openssl failed: \(String(decoding: log, as: UTF8.self))", sourceLocation: sourceLocation)
            throw ServerDidNotStart()
        }
        return SMTPTestCertificates(folder: folder.path)
    }

    struct ServerDidNotStart: Error {}

    func remove() { try? FileManager.default.removeItem(atPath: folder) }
}

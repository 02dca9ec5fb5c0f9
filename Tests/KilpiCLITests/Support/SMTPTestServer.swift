import Foundation
import KilpiTestSupport
import Testing

/// The capturing SMTP server of the mail tests (`Tests/KilpiMailTests/Support/smtp_server.py`: aiosmtpd, run by
/// Debian's /usr/bin/python3) for the command-line tests: on loopback at a free port, writing every message it
/// accepts into its own temporary folder. A trimmed copy of KilpiMailTests' starter (no faults, no TLS), so this
/// target needs nothing from that one.
final class SMTPTestServer: @unchecked Sendable {
    /// One stored message: its envelope and its bytes as received.
    struct Received: Sendable {
        let mailFrom: String
        let rcptTos: [String]
        let bytes: [UInt8]

        /// The value of the first header called `name` (case-insensitive), unfolded.
        func header(_ name: String) -> String? {
            let text = String(decoding: bytes, as: UTF8.self)
            let head = text.components(separatedBy: "\r\n\r\n").first ?? ""
            let unfolded = head.replacingOccurrences(of: "\r\n ", with: " ").replacingOccurrences(
                of: "\r\n\t",
                with: " "
            )
            let prefix = name.lowercased() + ":"
            for line in unfolded.components(separatedBy: "\r\n") where line.lowercased().hasPrefix(prefix) {
                return line.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces)
            }
            return nil
        }
    }

    let port: Int
    let folder: URL
    private let process: Process
    private let input: Pipe

    static var script: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../KilpiMailTests/Support/smtp_server.py").standardizedFileURL
    }

    private init(port: Int, folder: URL, process: Process, input: Pipe) {
        self.port = port
        self.folder = folder
        self.process = process
        self.input = input
    }

    var url: String { "smtp://127.0.0.1:\(port)" }
    var mail: URL { folder.appendingPathComponent("mail") }

    static func start(sourceLocation: SourceLocation = #_sourceLocation) throws -> SMTPTestServer {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kilpi-smtp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("mail"),
            withIntermediateDirectories: true
        )
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [
            script.path, "--host", "127.0.0.1", "--folder", folder.appendingPathComponent("mail").path,
        ]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
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
            Issue.record(
                "the test SMTP server did not start (is python3-aiosmtpd installed for /usr/bin/python3? scripts/test.sh installs it); exit status \(process.terminationStatus)",
                sourceLocation: sourceLocation
            )
            throw ServerDidNotStart()
        }
        return SMTPTestServer(port: ready.port, folder: folder, process: process, input: input)
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

    /// How many messages are stored so far (each .eml appears complete, renamed into place).
    func count() -> Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: mail.path)) ?? []).filter { $0.hasSuffix(".eml") }.count
    }

    /// The messages stored so far, in the order the server accepted them.
    func received() throws -> [Received] {
        struct Envelope: Decodable {
            let mail_from: String
            let rcpt_tos: [String]
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: mail.path).filter { $0.hasSuffix(".eml") }
            .sorted()
        return try names.map { name in
            let base = mail.appendingPathComponent(String(name.dropLast(4)))
            let envelope = try JSONDecoder().decode(
                Envelope.self,
                from: Data(contentsOf: base.appendingPathExtension("json"))
            )
            return Received(
                mailFrom: envelope.mail_from,
                rcptTos: envelope.rcpt_tos,
                bytes: [UInt8](try Data(contentsOf: base.appendingPathExtension("eml")))
            )
        }
    }
}

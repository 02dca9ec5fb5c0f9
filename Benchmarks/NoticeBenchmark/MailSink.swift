import Foundation
import KilpiBenchSupport

#if canImport(Glibc)
import Glibc
#endif

/// Postfix's `smtp-sink` on a loopback port: accepts and discards every message, advertising PIPELINING.
struct MailSink {
    let port: Int
    let process: Spawned

    static func start(logPath: String) throws -> MailSink {
        let port = Int.random(in: 30_000..<40_000)
        var arguments = ["/usr/sbin/smtp-sink"]
        // smtp-sink refuses to run as root without a user to drop to.
        if getuid() == 0 { arguments += ["-u", "nobody"] }
        arguments += ["127.0.0.1:\(port)", "1024"]
        let process = try Spawned.start(arguments, outputPath: logPath)
        for _ in 0..<100 {
            if canConnect(port: port) { return MailSink(port: port, process: process) }
            usleep(50_000)
        }
        process.terminate()
        throw BenchError("smtp-sink did not start on 127.0.0.1:\(port) (is postfix installed? see \(logPath))")
    }

    var url: String { "smtp://127.0.0.1:\(port)" }

    func stop() {
        process.terminate()
        _ = process.wait()
    }

    /// `smtp-source` against the same sink: `messages` messages of `length` bytes over `sessions` connections,
    /// each connection kept for many messages (-d), as Kilpi does. Messages per second.
    func smtpSource(messages: Int, sessions: Int, length: Int) throws -> Double {
        let start = ContinuousClock.now
        let child = try Spawned.start([
            "/usr/sbin/smtp-source", "-d", "-s", String(sessions), "-m", String(messages), "-l", String(length),
            "-f", "security@bench.example", "-t", "customer@example.com", "127.0.0.1:\(port)",
        ])
        guard child.wait().status == 0 else { throw BenchError("smtp-source failed") }
        return Double(messages) / seconds(since: start)
    }

    static func canConnect(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}

import Foundation
import KilpiBenchSupport
import KilpiCore
import KilpiStore
import Logging

// Support portal benchmark (issue 11): `wrk` against customers' personal pages (1,000 distinct valid links, each
// request a different one in turn) and against the staff inbox list with 10,000 inquiries, served by the real
// `kilpi serve` (the release binary beside this one) on loopback. Prints requests/s and p50/p99 latency for each,
// the server's peak RSS and the machine. wrk and the server share the machine's cores. Never fails on speed.
//
//   kilpi-bench-support DATABASE_URL [--tokens N] [--inquiries N] [--seconds S] [--connections C]
//
// DATABASE_URL must name an empty database (a new SQLite file, or an empty PostgreSQL database).

struct Options {
    var database = ""
    var tokens = 1_000
    var inquiries = 10_000
    var seconds = 15
    var connections = 32

    init(_ arguments: [String]) throws {
        var rest = arguments.dropFirst()
        while let argument = rest.popFirst() {
            func number() throws -> Int {
                guard let text = rest.popFirst(), let value = Int(text), value > 0 else {
                    throw BenchError("\(argument) needs a positive number")
                }
                return value
            }
            switch argument {
            case "--tokens": tokens = try number()
            case "--inquiries": inquiries = try number()
            case "--seconds": seconds = try number()
            case "--connections": connections = try number()
            default:
                guard database.isEmpty, !argument.hasPrefix("--") else {
                    throw BenchError("unknown argument \(argument)")
                }
                database = argument
            }
        }
        guard !database.isEmpty else {
            throw BenchError(
                "usage: kilpi-bench-support DATABASE_URL [--tokens N] [--inquiries N] [--seconds S] [--connections C]"
            )
        }
    }
}

/// What wrk printed, read back.
struct WrkResult {
    let requestsPerSecond: Double
    let p50: String
    let p99: String
    let non2xx: Int
    let errors: String?

    init(_ output: String) {
        func value(after prefix: String) -> String? {
            output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                .first { $0.hasPrefix(prefix) }?.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces)
        }
        requestsPerSecond = Double(value(after: "Requests/sec:") ?? "") ?? 0
        p50 = value(after: "50%") ?? "?"
        p99 = value(after: "99%") ?? "?"
        non2xx = Int(value(after: "Non-2xx or 3xx responses:") ?? "") ?? 0
        errors = value(after: "Socket errors:")
    }
}

func runWrk(_ arguments: [String], work: String, label: String) throws -> WrkResult {
    let outputPath = "\(work)/wrk-\(label).txt"
    let wrk = try Spawned.start(["wrk"] + arguments, outputPath: outputPath)
    let exit = wrk.wait()
    let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    guard exit.status == 0 else { throw BenchError("wrk failed (is it installed?): \(output)") }
    return WrkResult(output)
}

/// wrk over every link once: its script stops its one thread after the last link, but wrk itself waits out its
/// duration, so it is interrupted (and prints its figures over the time it really ran) once the database holds an
/// opening for every link.
func firstOpenings(_ arguments: [String], url: DatabaseURL, links: Int, work: String) async throws -> WrkResult {
    let outputPath = "\(work)/wrk-first.txt"
    let wrk = try Spawned.start(["wrk"] + arguments, outputPath: outputPath)
    var logger = Logger(label: "bench")
    logger.logLevel = .critical
    try await Database.withOpened(url, logger: logger) { database in
        for _ in 0..<6_000 {
            try await Task.sleep(for: .milliseconds(50))
            let opened = try await database.read { sql in
                try await sql.raw("SELECT count(*) AS n FROM support_openings").first()?.decode(
                    column: "n",
                    as: Int.self
                )
            }
            if (opened ?? 0) >= links { break }
        }
    }
    kill(wrk.pid, SIGINT)
    let exit = wrk.wait()
    let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    guard exit.status == 0 else { throw BenchError("wrk failed: \(output)") }
    return WrkResult(output)
}

func waitForServer(port: Int) async throws {
    for _ in 0..<600 {
        // curl, as Foundation on Linux fetches no http URL without FoundationNetworking.
        let probe = try Spawned.start(["curl", "-sf", "-o", "/dev/null", "http://127.0.0.1:\(port)/healthz"])
        if probe.wait().status == 0 { return }
        try await Task.sleep(for: .milliseconds(100))
    }
    throw BenchError("kilpi serve did not answer on port \(port)")
}

func freePort() -> Int { 20_000 + Int(getpid() % 20_000) }

func main() async throws {
    let options = try Options(CommandLine.arguments)
    let url = try DatabaseURL(parsing: options.database)
    let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    let kilpi = executable.deletingLastPathComponent().appendingPathComponent("kilpi").path
    guard FileManager.default.isExecutableFile(atPath: kilpi) else {
        throw BenchError("\(kilpi) is missing: swift build -c release --product kilpi --product kilpi-bench-support")
    }
    let work = NSTemporaryDirectory() + "kilpi-bench-support-\(getpid())"
    try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    let keyFile = work + "/kilpi.key"
    say("machine: \(machine())")
    say("database: \(url), \(options.tokens) links, \(options.inquiries) inquiries")
    var logger = Logger(label: "bench")
    logger.logLevel = .critical
    let world = try await Database.withOpened(url, logger: logger) { database in
        try await Migrator(database: database).migrate()
        let (ring, _) = try KeyRingSource.load(path: keyFile)
        let vault = Vault(ring: ring)
        try await vault.register(in: database, now: Date())
        return try await BenchSupportWorld.make(
            store: Store(database: database, vault: vault),
            tokens: options.tokens,
            inquiries: options.inquiries
        )
    }
    say("setup (demo data, 10,000 customers, delivered notices, links, inquiries): \(format(world.setupSeconds, 1)) s")

    let list = world.tokens.map { "\"/support/\($0)\"" }.joined(separator: ",\n")
    let paths = "local paths = {\n\(list)\n}\nlocal i = 0\n"
    let script = work + "/tokens.lua"
    try """
    \(paths)request = function()
      i = i % #paths + 1
      return wrk.format("GET", paths[i])
    end
    """.write(toFile: script, atomically: true, encoding: .utf8)
    // Each link once (one wrk thread, so one counter): a notice's first opening is written and audited.
    let firstScript = work + "/first.lua"
    try """
    \(paths)local answered = 0
    request = function()
      i = i % #paths + 1
      return wrk.format("GET", paths[i])
    end
    response = function()
      answered = answered + 1
      if answered >= #paths then wrk.thread:stop() end
    end
    """.write(toFile: firstScript, atomically: true, encoding: .utf8)

    let port = freePort()
    let server = try Spawned.start(
        [kilpi, "serve", "--database", options.database, "--key-file", keyFile, "--port", String(port)],
        outputPath: work + "/serve.log"
    )
    defer { kill(server.pid, SIGTERM) }
    try await waitForServer(port: port)
    let base = "http://127.0.0.1:\(port)"
    let common = ["-t", "2", "-c", String(options.connections), "-d", "\(options.seconds)s", "--latency"]
    // The anchors, same run and same wrk: a static file (the server's own floor) and /healthz (one database read).
    let stylesheet = try runWrk(common + [base + "/static/kilpi.css"], work: work, label: "stylesheet")
    say("anchor, stylesheet (/static/kilpi.css, no database): \(describe(stylesheet))")
    let health = try runWrk(common + [base + "/healthz"], work: work, label: "health")
    say("anchor, health check (/healthz, one database read): \(describe(health))")
    // Every notice's first opening (written and audited), then the pages as customers come back to them: a
    // return within a minute of the last opening costs no write (`SupportLinkRepository.openingResolution`).
    let first = try await firstOpenings(
        ["-t", "1", "-c", "8", "-d", "300s", "--latency", "-s", firstScript, base],
        url: url,
        links: options.tokens,
        work: work
    )
    say("first openings (each link once, -c 8, each written and audited): \(describe(first))")
    let page = try runWrk(common + ["-s", script, base], work: work, label: "page")
    say(
        "personal page (/support/<token>, \(options.tokens) links in turn): \(describe(page))  (target ≥ 5,000 req/s, p99 < 20 ms; \(format(100 * page.requestsPerSecond / max(health.requestsPerSecond, 1), 0)) % of /healthz)"
    )
    let cookie = "Cookie: kilpi_session=\(world.agentSessionID)"
    let inbox = try runWrk(common + ["-H", cookie, base + "/console/support"], work: work, label: "inbox")
    say("inbox list (/console/support, \(options.inquiries) inquiries, signed-in agent): \(describe(inbox))")
    kill(server.pid, SIGTERM)
    let exit = server.wait()
    say("kilpi serve peak RSS: \(format(exit.peakRSSMegabytes, 0)) MB; load now: \(loadAverage())")
}

/// requests/s, p50 and p99, and anything that went wrong.
func describe(_ result: WrkResult) -> String {
    "\(format(result.requestsPerSecond, 0)) req/s, p50 \(result.p50), p99 \(result.p99)"
        + (result.non2xx > 0 ? ", \(result.non2xx) non-2xx" : "")
        + (result.errors.map { ", socket errors \($0)" } ?? "")
}

func loadAverage() -> String {
    ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?").split(separator: " ").prefix(3)
        .joined(separator: " ")
}

do {
    try await main()
} catch {
    FileHandle.standardError.write(Data("kilpi-bench-support: \(error)\n".utf8))
    exit(1)
}

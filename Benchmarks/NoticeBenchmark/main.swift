import Foundation
import KilpiBenchSupport
import KilpiCore
import KilpiMail
import KilpiStore
import Logging

// Notice delivery benchmark (issue 10): render, persist and deliver 1,000,000 personalised notices to a local
// Postfix `smtp-sink`, every recipient's state durable, DKIM left to the relay; beside it Postfix's own
// `smtp-source` against the same sink in the same run. Then a smaller campaign with Kilpi's own DKIM signing,
// beside `openssl speed rsa2048` on every core, measured in the same run.
//
//   kilpi-bench-notices DATABASE_URL [--customers N] [--processes P] [--connections C] [--dkim-notices K]
//
// DATABASE_URL must name an empty database (a new SQLite file, or an empty PostgreSQL database). Delivery runs in
// P real `kilpi notices send` processes (the release binary beside this one), each with C SMTP connections, so
// the figures are the product's. Prints messages/s, p50/p99 per-message latency (claimed → outcome durable),
// each process's peak RSS, the machine. Never fails on speed.

struct Options {
    var database = ""
    var customers = 1_000_000
    var processes = 1
    var connections = 4
    var dkimNotices = 20_000

    init(_ arguments: [String]) throws {
        var rest = arguments.dropFirst()
        while let argument = rest.popFirst() {
            func number() throws -> Int {
                guard let text = rest.popFirst(), let value = Int(text), value >= 0 else {
                    throw BenchError("\(argument) needs a number")
                }
                return value
            }
            switch argument {
            case "--customers": customers = max(1, try number())
            case "--processes": processes = max(1, try number())
            case "--connections": connections = max(1, try number())
            case "--dkim-notices": dkimNotices = try number()
            default:
                guard database.isEmpty, !argument.hasPrefix("--") else {
                    throw BenchError("unknown argument \(argument)")
                }
                database = argument
            }
        }
        guard !database.isEmpty else {
            throw BenchError(
                "usage: kilpi-bench-notices DATABASE_URL [--customers N] [--processes P] [--connections C] [--dkim-notices K]"
            )
        }
        dkimNotices = min(dkimNotices, customers)
    }
}

/// One delivery run: P `kilpi notices send` processes draining one campaign.
struct DeliveryRun {
    let seconds: Double
    let exits: [Spawned.Exit]
}

func deliver(
    campaign: Int64,
    options: Options,
    kilpi: String,
    keyFile: String,
    sink: MailSink,
    work: String,
    label: String,
    extra: [String] = []
) async throws -> DeliveryRun {
    let start = ContinuousClock.now
    var children: [Spawned] = []
    for index in 0..<options.processes {
        children.append(
            try Spawned.start(
                [
                    kilpi, "notices", "send", String(campaign), "--database", options.database, "--key-file", keyFile,
                    "--smtp", sink.url, "--mail-from", "Bench Security <security@bench.example>",
                    "--smtp-connections", String(options.connections), "--lease-seconds", "120",
                ] + extra,
                outputPath: "\(work)/\(label)-\(index).log"
            )
        )
    }
    var exits: [Spawned.Exit] = []
    for child in children {
        exits.append(
            await withCheckedContinuation { continuation in
                Thread { continuation.resume(returning: child.wait()) }.start()
            }
        )
    }
    let elapsed = seconds(since: start)
    for (index, exit) in exits.enumerated() where exit.status != 0 {
        say(
            "  process \(index) ended with \(exit.status.map { "status \($0)" } ?? "a signal"): see \(work)/\(label)-\(index).log"
        )
    }
    return DeliveryRun(seconds: elapsed, exits: exits)
}

/// The campaign's state counts and per-message latencies (claimed → outcome recorded), from the database.
func report(_ label: String, campaign: Int64, run: DeliveryRun, store: Store) async throws -> Double {
    let progress = try await store.outbox.progress(campaignID: campaign)
    let latencies = try await store.database.withConnection { sql in
        try await sql.raw(
            """
            SELECT sent_at - first_attempt_at AS ms FROM notice_outbox
            WHERE campaign_id = \(bind: campaign) AND state = 'sent'
            """
        ).all().map { Double(try $0.decode(column: "ms", as: Int64.self)) }
    }.sorted()
    let sent = progress.counts[.sent] ?? 0
    let rate = Double(sent) / run.seconds
    let states = OutboxState.allCases.compactMap { state in progress.counts[state].map { "\(state.rawValue) \($0)" } }
    say("\(label):")
    say("  \(states.joined(separator: ", ")) of \(progress.total) in \(format(run.seconds, 1)) s")
    say(
        "  \(format(rate)) messages/s end to end, latency p50 \(format(percentile(latencies, 0.5))) ms, p99 \(format(percentile(latencies, 0.99))) ms"
    )
    for (index, exit) in run.exits.enumerated() {
        say("  process \(index): peak RSS \(format(exit.peakRSSMegabytes)) MB")
    }
    return rate
}

func main() async throws {
    let options = try Options(CommandLine.arguments)
    let url = try DatabaseURL(parsing: options.database)
    let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    let kilpi = executable.deletingLastPathComponent().appendingPathComponent("kilpi").path
    guard FileManager.default.isExecutableFile(atPath: kilpi) else {
        throw BenchError("\(kilpi) is missing: swift build -c release --product kilpi --product kilpi-bench-notices")
    }
    let work = NSTemporaryDirectory() + "kilpi-bench-notices-\(getpid())"
    try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    let keyFile = work + "/kilpi.key"
    say("machine: \(machine())")
    say(
        "database: \(url), \(options.customers) customers, \(options.processes) process(es) × \(options.connections) SMTP connections"
    )
    var logger = Logger(label: "bench")
    logger.logLevel = .critical
    try await Database.withOpened(url, logger: logger) { database in
        try await Migrator(database: database).migrate()
        let (ring, _) = try KeyRingSource.load(path: keyFile)
        let vault = Vault(ring: ring)
        try await vault.register(in: database, now: Date())
        let store = Store(database: database, vault: vault)
        let campaigns = try await BenchCampaigns.make(
            store: store,
            directory: work,
            customers: options.customers,
            dkimCustomers: options.dkimNotices,
            connections: options.connections
        )
        say("import of \(options.customers) customers: \(format(campaigns.importSeconds, 1)) s (not counted below)")
        say(
            "campaign of \(campaigns.main.recipients) notices made (one durable outbox row each, codes sealed): \(format(campaigns.campaignSeconds, 1)) s"
        )
        let size = try await sampleSize(store: store, campaign: campaigns.main.id)
        let sink = try MailSink.start(logPath: work + "/smtp-sink.log")
        defer { sink.stop() }

        let sourceCount = min(options.customers, 500_000)
        let sourceSessions = options.connections * options.processes
        let source = try sink.smtpSource(messages: sourceCount, sessions: sourceSessions, length: size)
        say(
            "smtp-source, \(sourceCount) messages of \(size) bytes over \(sourceSessions) connections: \(format(source)) messages/s"
        )

        let run = try await deliver(
            campaign: campaigns.main.id,
            options: options,
            kilpi: kilpi,
            keyFile: keyFile,
            sink: sink,
            work: work,
            label: "send"
        )
        let rate = try await report("Kilpi, no DKIM", campaign: campaigns.main.id, run: run, store: store)
        say("  ratio to smtp-source: \(format(rate / source * 100, 1)) %")

        if let dkim = campaigns.dkim {
            let keyPath = work + "/dkim.pem"
            guard output(of: ["openssl", "genrsa", "-out", keyPath, "2048"]) != nil else {
                throw BenchError("openssl genrsa failed (is openssl on PATH?)")
            }
            let signed = try await deliver(
                campaign: dkim.id,
                options: options,
                kilpi: kilpi,
                keyFile: keyFile,
                sink: sink,
                work: work,
                label: "dkim",
                extra: ["--dkim-key", keyPath, "--dkim-selector", "bench", "--dkim-domain", "bench.example"]
            )
            let dkimRate = try await report(
                "Kilpi, DKIM rsa-sha256 signed by Kilpi",
                campaign: dkim.id,
                run: signed,
                store: store
            )
            let cores = ProcessInfo.processInfo.activeProcessorCount
            if let openssl = opensslSpeed(processes: cores) {
                say(
                    "  openssl speed -multi \(cores) rsa2048: \(format(openssl)) signatures/s; ratio \(format(dkimRate / openssl * 100, 1)) %"
                )
            } else {
                say("  openssl speed did not run (is openssl on PATH?)")
            }
        }
    }
    say("work files (logs, key): \(work)")
}

/// The size of one rendered notice of the campaign, for smtp-source's message length.
func sampleSize(store: Store, campaign: Int64) async throws -> Int {
    guard let row = try await store.outbox.recipients(campaignID: campaign, limit: 1).first else { return 5_000 }
    let from = MailAddress("security@bench.example", displayName: "Bench Security")
    let composer = NoticeComposer(
        store: store,
        company: NoticeCompany(
            name: "Bench Oy",
            contactEmail: "security@bench.example",
            trustCenterURL: "https://bench.example/verify"
        ),
        from: from,
        bounceDomain: nil,
        dkim: nil
    )
    guard let notice = try await composer.preview(row: row, now: Date()) else { return 5_000 }
    let message = MailMessage(
        from: from,
        to: MailAddress("customer@example.com"),
        subject: notice.subject,
        text: notice.text,
        html: notice.html,
        outboxID: try OutboxID(row.noticeKey),
        date: Date(),
        bounceDomain: nil
    )
    return try message.rendered().bytes.count
}

do {
    try await main()
} catch {
    FileHandle.standardError.write(Data("bench: \(error)\n".utf8))
    exit(1)
}

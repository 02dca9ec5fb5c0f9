import Foundation
import KilpiCore
import KilpiStore
import Logging

// Exposure benchmark (issue: a scope of 2 systems over 1,000,000 customers / 3,000,000 holdings under 2 s on
// SQLite and on PostgreSQL).
//   kilpi-bench-exposure DATABASE_URL [customers]
// Fills an empty database straight through SQL (or reuses one an earlier run filled), then saves two scope
// versions and prints how long each took. Never fails on speed.

func machine() -> String {
    let cpu =
        (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
        .split(separator: "\n").first { $0.hasPrefix("model name") }?
        .split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "unknown CPU"
    return
        "\(ProcessInfo.processInfo.activeProcessorCount) cores, \(ProcessInfo.processInfo.physicalMemory / (1 << 30)) GiB, \(cpu)"
}

func seconds(_ start: ContinuousClock.Instant) -> Double {
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}

let arguments = CommandLine.arguments
guard arguments.count >= 2, let url = try? DatabaseURL(parsing: arguments[1]) else {
    FileHandle.standardError.write(Data("usage: kilpi-bench-exposure DATABASE_URL [customers]\n".utf8))
    exit(2)
}
let customerCount = arguments.count > 2 ? Int(arguments[2]) ?? 1_000_000 : 1_000_000
var logger = Logger(label: "bench")
logger.logLevel = .error
let day: Int64 = 86_400_000
let now = Date()

/// Customers carry random text in place of personal data (the exposure never reads it); three holdings per
/// customer on average over five systems, periods spread over two years.
@Sendable func fill(_ database: Database, store: Store) async throws {
    let categories = DataCategory.catalogue.map(\.id)
    try await database.transaction { sql in
        for (index, system) in DemoDataMap.systems.enumerated() {
            try await sql.raw(
                """
                INSERT INTO systems (name, name_key, kind, owner, location, encrypted_at_rest, key_location, created_at, updated_at)
                VALUES (\(bind: system.name), \(bind: "\(index)-" + system.name.lowercased()), \(bind: system.kind.rawValue), '', '', \(bind: false), '', 0, 0)
                """
            ).run()
        }
        let places = ["FI|", "FI|", "SE|", "DE|", "US|CA", "US|TX", "US|NY", "EE|"]
        // Random text as wide as the sealed fields and MACs of a real customer (about 500 bytes a row), so that
        // looking up where customers live costs what it would.
        let sealed =
            database.engine == .sqlite
            ? "hex(randomblob(40))" : "md5(random()::text) || md5(random()::text) || md5(random()::text)"
        let row = "(\(Array(repeating: sealed, count: 5).joined(separator: ", ")), "
        for start in stride(from: 0, to: customerCount, by: 2000) {
            let rows = (start..<min(start + 2000, customerCount)).map { i -> String in
                let place = places[i % places.count].split(separator: "|", omittingEmptySubsequences: false)
                return row + "'B\(i)', 'fi', '\(place[0])', '\(place[1])', \(sealed), 'bench', 0, 0)"
            }
            try await sql.raw(
                """
                INSERT INTO customers (name_sealed, email_sealed, email_index, phone_sealed, address_sealed,
                    external_id, language, country, region, content_mac, key_id, created_at, updated_at)
                VALUES \(unsafeRaw: rows.joined(separator: ","))
                """
            ).run()
        }
    }
    let systemIDs = try await store.dataMap.summaries().map(\.system.id).sorted()
    let firstCustomer = try await database.withConnection { sql in
        try await sql.raw("SELECT MIN(id) AS id FROM customers").first()!.decode(column: "id", as: Int64.self)
    }
    try await database.transaction { sql in
        var rng = SystemRandomNumberGenerator()
        var batch: [String] = []
        var written = 0
        for i in 0..<customerCount {
            let customer = firstCustomer + Int64(i)
            var used = Set<String>()
            for _ in 0..<(1 + Int.random(in: 0..<5, using: &rng)) where written < customerCount * 3 {
                let system = systemIDs[Int.random(in: 0..<systemIDs.count, using: &rng)]
                let category = categories[Int.random(in: 0..<categories.count, using: &rng)]
                guard used.insert("\(system)/\(category)").inserted else { continue }
                let from = Int64(20_000 + Int.random(in: 0..<730, using: &rng)) * day
                let until =
                    Int.random(in: 0..<4, using: &rng) == 0
                    ? String(from + Int64(Int.random(in: 0..<300, using: &rng)) * day) : "NULL"
                batch.append("(\(customer),\(system),'\(category)',\(from),\(until))")
                written += 1
                if batch.count == 2000 {
                    try await sql.raw(
                        "INSERT INTO holdings (customer_id, system_id, category_id, held_from, held_until) VALUES \(unsafeRaw: batch.joined(separator: ","))"
                    ).run()
                    batch.removeAll(keepingCapacity: true)
                }
            }
        }
        if !batch.isEmpty {
            try await sql.raw(
                "INSERT INTO holdings (customer_id, system_id, category_id, held_from, held_until) VALUES \(unsafeRaw: batch.joined(separator: ","))"
            ).run()
        }
    }
}

try await Database.withOpened(url, logger: logger) { database in
    try await Migrator(database: database).migrate()
    let store = Store(database: database, vault: try Vault.ephemeral())
    try await store.dataMap.installCatalogue(now: now)
    let existing = try await store.customers.count()
    guard existing == 0 || existing == customerCount else {
        print("the database must be empty, or filled by an earlier run with the same number of customers")
        return
    }
    print("Kilpi exposure benchmark · \(database.engine.rawValue) · \(machine())")
    let started = ContinuousClock.now
    if existing == 0 { try await fill(database, store: store) }
    if database.engine == .postgres {
        // What autovacuum would have done by the time anyone declares an incident on freshly imported data.
        try await database.withConnection { sql in try await sql.raw("ANALYZE").run() }
    }
    let holdings = try await store.dataMap.holdingCount()
    let systemIDs = try await store.dataMap.summaries().map(\.system.id).sorted()
    print(
        String(
            format: "%@ %d customers, %d holdings in %.1f s",
            existing == 0 ? "filled" : "reused",
            customerCount,
            holdings,
            seconds(started)
        )
    )

    let commander = try await store.users.create(
        email: "bench-\(UUID().uuidString.prefix(8).lowercased())@example.com",
        displayName: "Bench",
        role: .responder,
        status: .active,
        now: now
    )
    let incident = try await store.incidents.declare(
        IncidentDraft(title: "Benchmark", kinds: [.dataBreach], severity: .sev1),
        commanderID: commander.id,
        playbooks: [],
        actor: "bench",
        now: now
    )
    let window = (Date(epochMilliseconds: 20_300 * day), Date(epochMilliseconds: 20_500 * day))
    for (label, systems) in [
        ("v1: 2 systems", Array(systemIDs.prefix(2))), ("v2: 3 systems (with diff)", Array(systemIDs.prefix(3))),
    ] {
        let started = ContinuousClock.now
        let version = try await store.scopes.create(
            incidentID: incident.id,
            ScopeDraft(systemIDs: systems, windowStart: window.0, windowEnd: window.1),
            actor: "bench",
            now: now
        )
        let elapsed = seconds(started)
        print(
            String(
                format: "%@: %d customers, %d customer × category pairs exposed in %.2f s (%.0f pairs/s)%@",
                label,
                version.summary.customers,
                version.summary.pairs,
                elapsed,
                Double(version.summary.pairs) / elapsed,
                version.diff.map { " · diff +\($0.added) −\($0.removed), \($0.widened) widened" } ?? ""
            )
        )
    }
}

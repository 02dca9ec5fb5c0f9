import Foundation
import KilpiCore
import KilpiStore
import Logging

// Import benchmark for the customer data map (issue: 1,000,000 customers and 3,000,000 holdings under 60 s on
// SQLite with peak memory under 300 MB). Two steps so generating the files does not count towards memory:
//   kilpi-bench-import generate DIR [customers]
//   kilpi-bench-import run DIR DATABASE_URL
// Prints figures and the machine; never fails on speed.

func machine() -> String {
    let cpu =
        (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
        .split(separator: "\n").first { $0.hasPrefix("model name") }?
        .split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "unknown CPU"
    let memory = ProcessInfo.processInfo.physicalMemory / (1 << 30)
    return "\(ProcessInfo.processInfo.activeProcessorCount) cores, \(memory) GiB, \(cpu)"
}

func peakRSSMegabytes() -> Double {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
        let kb = Double(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
    else { return 0 }
    return kb / 1024
}

func generate(directory: String, customers: Int) throws {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    func writer(_ name: String) throws -> FileHandle {
        let path = directory + "/" + name
        FileManager.default.createFile(atPath: path, contents: nil)
        return try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    }
    let systems = try writer("systems.csv")
    systems.write(Data(CSVWriter.line(["name", "kind", "owner", "location", "encrypted_at_rest"]).utf8))
    for system in DemoDataMap.systems {
        systems.write(
            Data(
                CSVWriter.line([
                    system.name, system.kind.rawValue, system.owner, system.location,
                    system.encryptedAtRest ? "yes" : "no",
                ]).utf8
            )
        )
    }
    try systems.close()
    let people = try writer("customers.csv")
    let holdings = try writer("holdings.csv")
    people.write(Data(CSVWriter.line(["external_id", "name", "email", "phone", "language", "country", "region"]).utf8))
    holdings.write(Data(CSVWriter.line(["external_id", "system", "category", "held_from", "held_until"]).utf8))
    var rng = DemoDataMap.Generator(seed: 42)
    var peopleBuffer = ""
    var holdingBuffer = ""
    let categories = ["email", "order_history", "payment_card_last4"]
    for index in 1...customers {
        let c = DemoDataMap.customer(index, using: &rng)
        peopleBuffer += CSVWriter.line([
            c.externalID, c.name ?? "", c.email ?? "", c.phone ?? "", c.language, c.country, c.region,
        ])
        // Three holdings per customer: 3,000,000 for a million customers, as the issue asks.
        for (offset, category) in categories.enumerated() {
            let system = DemoDataMap.systems[offset % 2].name
            holdingBuffer += CSVWriter.line([
                c.externalID, system, category, "2024-0\(1 + index % 9)-1\(index % 9)", offset == 2 ? "2025-12-31" : "",
            ])
        }
        if index % 10_000 == 0 {
            people.write(Data(peopleBuffer.utf8))
            peopleBuffer = ""
            holdings.write(Data(holdingBuffer.utf8))
            holdingBuffer = ""
        }
    }
    people.write(Data(peopleBuffer.utf8))
    holdings.write(Data(holdingBuffer.utf8))
    try people.close()
    try holdings.close()
}

func run(directory: String, url: String) async throws {
    let databaseURL = try DatabaseURL(parsing: url)
    var logger = Logger(label: "bench")
    logger.logLevel = .critical
    print("machine: \(machine())")
    print("database: \(databaseURL)")
    try await Database.withOpened(databaseURL, logger: logger) { database in
        try await Migrator(database: database).migrate()
        let vault = try Vault.ephemeral()
        try await DataMapRepository(database: database).installCatalogue(now: Date())
        let importer = DataMapImporter(database: database, vault: vault)
        var total = 0.0
        for kind in DataMapImporter.Kind.allCases {
            let started = ContinuousClock.now
            let report = try await importer.importFile(kind, path: "\(directory)/\(kind.rawValue).csv")
            let elapsed = started.duration(to: .now)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            total += seconds
            print(
                String(
                    format: "%-10@ %9d rows  %7.1f s  %9.0f rows/s",
                    kind.rawValue as NSString,
                    report.rows,
                    seconds,
                    Double(report.rows) / max(seconds, 0.001)
                )
            )
        }
        print(String(format: "total      %7.1f s   peak RSS %.0f MB", total, peakRSSMegabytes()))
    }
}

let arguments = CommandLine.arguments
do {
    switch arguments.dropFirst().first {
    case "generate" where arguments.count >= 3:
        try generate(
            directory: arguments[2],
            customers: arguments.count > 3 ? Int(arguments[3]) ?? 1_000_000 : 1_000_000
        )
    case "run" where arguments.count >= 4:
        try await run(directory: arguments[2], url: arguments[3])
    default:
        print("usage: kilpi-bench-import generate DIR [customers] | run DIR DATABASE_URL")
        exit(2)
    }
} catch {
    FileHandle.standardError.write(Data("bench: \(error)\n".utf8))
    exit(1)
}

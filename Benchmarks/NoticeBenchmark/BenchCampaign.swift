import Foundation
import KilpiBenchSupport
import KilpiCore
import KilpiMail
import KilpiStore

/// Fills an empty database with `customers` customers (through the importer, so names and addresses are sealed
/// as in production), exposes every one of them in one incident and the first `dkimCustomers` in a second, and
/// makes one approved, started campaign per incident.
struct BenchCampaigns {
    let main: NoticeCampaign
    let dkim: NoticeCampaign?
    let campaignSeconds: Double
    let importSeconds: Double

    static let editor = Caller(.user(1), ip: "127.0.0.1")

    static func make(
        store: Store,
        directory: String,
        customers: Int,
        dkimCustomers: Int,
        connections: Int
    ) async throws -> BenchCampaigns {
        let now = Date()
        guard try await store.customers.count() == 0 else {
            throw BenchError("the database already holds customers: give the benchmark an empty one")
        }
        let importStart = ContinuousClock.now
        try writeFiles(directory: directory, customers: customers, dkimCustomers: dkimCustomers)
        try await store.dataMap.installCatalogue(now: now)
        let importer = DataMapImporter(database: store.database, vault: store.vault)
        for kind in DataMapImporter.Kind.allCases {
            _ = try await importer.importFile(kind, path: "\(directory)/\(kind.rawValue).csv")
        }
        let importSeconds = seconds(since: importStart)

        let editor = try await store.users.create(
            email: "editor@bench.example",
            displayName: "Editor",
            role: .responder,
            status: .active,
            now: now
        )
        let approver = try await store.users.create(
            email: "approver@bench.example",
            displayName: "Approver",
            role: .responder,
            status: .active,
            now: now
        )
        let service = NoticeService(store: store, checker: MustacheTemplateChecker())
        for language in Language.allCases {
            let saved = try await service.saveTemplate(
                key: NoticeTemplateVersion.generalKey,
                language: language,
                text: NoticeTemplates.shipped(language),
                by: Caller(.user(editor.id), ip: "127.0.0.1"),
                now: now
            )
            _ = try await service.approveTemplate(
                id: saved.id,
                by: Caller(.user(approver.id), ip: "127.0.0.1"),
                now: now
            )
        }
        let systems = try await store.dataMap.summaries().map(\.system)
        func campaign(systemName: String, title: String) async throws -> (NoticeCampaign, Double) {
            guard let system = systems.first(where: { $0.name == systemName }) else {
                throw BenchError("the import made no system \(systemName)")
            }
            let incident = try await store.incidents.declare(
                IncidentDraft(title: title, kinds: [.dataBreach], severity: .sev1),
                commanderID: editor.id,
                playbooks: [],
                actor: "user:\(editor.id)",
                now: now
            )
            let scope = try await store.scopes.create(
                incidentID: incident.id,
                ScopeDraft(systemIDs: [system.id], windowStart: now.addingTimeInterval(-86_400 * 3650), windowEnd: now),
                actor: "user:\(editor.id)",
                now: now
            )
            let started = ContinuousClock.now
            let made = try await service.createCampaign(
                incidentID: incident.id,
                scopeVersionID: scope.id,
                settings: NoticeCampaignSettings(ratePerSecond: 100_000, concurrency: connections, errorThreshold: 0.2),
                by: Caller(.user(editor.id), ip: "127.0.0.1"),
                now: now
            )
            let elapsed = seconds(since: started)
            return (
                try await service.start(campaignID: made.id, by: Caller(.user(editor.id), ip: "127.0.0.1"), now: now),
                elapsed
            )
        }
        let (main, campaignSeconds) = try await campaign(systemName: "Web shop", title: "Web shop passwords copied")
        let dkim =
            dkimCustomers > 0 ? try await campaign(systemName: "Newsletter", title: "Newsletter list copied").0 : nil
        return BenchCampaigns(main: main, dkim: dkim, campaignSeconds: campaignSeconds, importSeconds: importSeconds)
    }

    /// systems.csv, customers.csv and holdings.csv: every customer's email and credentials in the web shop, the
    /// first `dkimCustomers` also in the newsletter. Addresses spread over three domains, languages fi/sv/en/de
    /// and places as the demo generator makes them.
    static func writeFiles(directory: String, customers: Int, dkimCustomers: Int) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        func writer(_ name: String) throws -> FileHandle {
            let path = directory + "/" + name
            FileManager.default.createFile(atPath: path, contents: nil)
            return try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        }
        let systems = try writer("systems.csv")
        systems.write(Data(CSVWriter.line(["name", "kind", "owner", "location", "encrypted_at_rest"]).utf8))
        systems.write(Data(CSVWriter.line(["Web shop", "other", "IT", "EU", "no"]).utf8))
        systems.write(Data(CSVWriter.line(["Newsletter", "other", "Marketing", "EU", "no"]).utf8))
        try systems.close()
        let people = try writer("customers.csv")
        let holdings = try writer("holdings.csv")
        people.write(
            Data(CSVWriter.line(["external_id", "name", "email", "phone", "language", "country", "region"]).utf8)
        )
        holdings.write(Data(CSVWriter.line(["external_id", "system", "category", "held_from", "held_until"]).utf8))
        var rng = DemoDataMap.Generator(seed: 42)
        var peopleBuffer = ""
        var holdingBuffer = ""
        for index in 1...customers {
            let c = DemoDataMap.customer(index, using: &rng)
            peopleBuffer += CSVWriter.line([
                c.externalID, c.name ?? "", c.email ?? "", "", c.language, c.country, c.region,
            ])
            for category in ["email", "credentials"] {
                holdingBuffer += CSVWriter.line([c.externalID, "Web shop", category, "2024-01-01", ""])
            }
            if index <= dkimCustomers {
                holdingBuffer += CSVWriter.line([c.externalID, "Newsletter", "email", "2024-01-01", ""])
            }
            if index % 10_000 == 0 {
                people.write(Data(peopleBuffer.utf8))
                holdings.write(Data(holdingBuffer.utf8))
                (peopleBuffer, holdingBuffer) = ("", "")
            }
        }
        people.write(Data(peopleBuffer.utf8))
        holdings.write(Data(holdingBuffer.utf8))
        try people.close()
        try holdings.close()
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

import Foundation
import KilpiCore
import KilpiMail
import KilpiStore
import KilpiTestSupport
import SQLKit
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `kilpi notices send` through the real executable against a capturing SMTP server: killed with SIGKILL in the
/// middle of a campaign and run again, every customer's notice arrives and only notices that were in flight at the
/// kill arrive twice; two processes on one PostgreSQL campaign deliver every notice exactly once between them.
@Suite("kilpi notices send: kill -9 and two processes", .serialized)
struct CLINoticeDeliveryTests {
    /// A database (SQLite file or a fresh PostgreSQL database) and its vault key file, as the CLI opens them.
    struct Installation {
        let directory: URL
        let url: DatabaseURL
        let database: String
        var keyFile: String { directory.appendingPathComponent("kilpi.key").path }
        var options: [String] { ["--database", database, "--key-file", keyFile] }

        static func make(_ engine: SQLEngine) async throws -> Installation {
            let directory = try CLIRunner.temporaryDirectory()
            switch engine {
            case .sqlite:
                let path = directory.appendingPathComponent("k.sqlite").path
                return Installation(directory: directory, url: .sqlite(path: path), database: "sqlite://" + path)
            case .postgres:
                let url = try await TestDatabases.makeURL(.postgres)
                guard case .postgres(let host, let port, let user, let password?, let name, _) = url else {
                    throw CLIRunner.Failure(description: "not a postgres URL with a password")
                }
                return Installation(
                    directory: directory,
                    url: url,
                    database: "postgres://\(user):\(password)@\(host):\(port)/\(name)"
                )
            }
        }

        func dispose() async {
            await TestDatabases.dispose(url)
            try? FileManager.default.removeItem(at: directory)
        }

        /// The store as the CLI sees it (same database, same key file).
        func withStore<T: Sendable>(_ body: @Sendable (Store) async throws -> T) async throws -> T {
            let ring = try KeyRingSource.load(path: keyFile, environment: [:]).ring
            return try await Database.withOpened(url, logger: TestDatabases.quietLogger) { database in
                try await body(Store(database: database, vault: Vault(ring: ring)))
            }
        }

        /// Every outbox row of a campaign.
        func outbox(campaign: Int64) async throws -> [OutboxRow] {
            try await withStore { store in
                var rows: [OutboxRow] = []
                while true {
                    let page = try await store.outbox.recipients(
                        campaignID: campaign,
                        after: rows.last?.id ?? 0,
                        limit: 10_000
                    )
                    if page.isEmpty { return rows }
                    rows += page
                }
            }
        }
    }

    /// `kilpi` started in the background, its output in files, so the test can kill it or run two at once.
    final class Background: @unchecked Sendable {
        let process = Process()
        let out: URL
        let err: URL

        init(_ arguments: [String], in directory: URL) throws {
            let name = UUID().uuidString
            out = directory.appendingPathComponent("\(name).out")
            err = directory.appendingPathComponent("\(name).err")
            FileManager.default.createFile(atPath: out.path, contents: nil)
            FileManager.default.createFile(atPath: err.path, contents: nil)
            process.executableURL = CLIRunner.executable
            process.arguments = arguments
            var environment = ProcessInfo.processInfo.environment
            for key in environment.keys where key.hasPrefix("KILPI_") && !key.hasPrefix("KILPI_TEST_") {
                environment[key] = nil
            }
            process.environment = environment
            process.currentDirectoryURL = directory
            process.standardOutput = try FileHandle(forWritingTo: out)
            process.standardError = try FileHandle(forWritingTo: err)
            process.standardInput = FileHandle.nullDevice
            try process.runOneAtATime()
        }

        var isRunning: Bool { process.isRunning }

        /// Waits for the exit; a process still running after `timeout` is killed (and the test then fails on its
        /// status, never hangs). Polls with Task.sleep: blocking a thread of the cooperative pool (two on this
        /// machine) for the half minute a campaign takes starves every other test running meanwhile.
        func wait(timeout: TimeInterval = 120) async {
            let deadline = Date().addingTimeInterval(timeout)
            while process.isRunning && Date() < deadline { try? await Task.sleep(for: .milliseconds(20)) }
            if process.isRunning { killHard() }
            while process.isRunning { try? await Task.sleep(for: .milliseconds(20)) }
            process.waitUntilExit()
        }

        func killHard() { kill(process.processIdentifier, SIGKILL) }

        var killedBySignal: Bool { process.terminationReason == .uncaughtSignal }
        var status: Int32 { process.terminationStatus }
        var output: String {
            let text = { (url: URL) in (try? String(contentsOf: url, encoding: .utf8)) ?? "" }
            return "stdout: \(text(out).suffix(2000))\nstderr: \(text(err).suffix(2000))"
        }
    }

    /// What every lane of `notices send` claims at once (the CLI has no flag for it): the in-flight bound per
    /// connection.
    static var batchSize: Int {
        get throws {
            DeliverySettings(
                smtp: try SMTPConfiguration(url: "smtp://127.0.0.1:2525"),
                from: MailAddress("security@aurora.example")
            ).batchSize
        }
    }

    /// A campaign ready to send to `count` customers (all with an email address, languages fi/sv/en/de in turn)
    /// whose name and email a web shop held: the shipped fi/sv/en templates installed by the system and approved
    /// by an admin (four eyes), the campaign made by that admin from the incident's scope.
    static func campaign(
        _ kilpi: Installation,
        customers count: Int,
        rate: Double,
        connections: Int
    ) async throws -> Int64 {
        // The CLI makes the key file, migrates and registers the vault keys, as an operator's first command would.
        let setup = try CLIRunner.run(["notices", "list"] + kilpi.options)
        try #require(setup.status == 0, "\(setup.stdout)\(setup.stderr)")
        return try await kilpi.withStore { store in
            let now = Date()
            try await store.dataMap.installCatalogue(now: now)
            let inputs = (0..<count).map { i in
                CustomerInput(
                    externalID: "N\(i)",
                    name: "Customer \(i)",
                    email: "customer\(i)@mail\(i % 7).example",
                    phone: nil,
                    language: ["fi", "sv", "en", "de"][i % 4],
                    country: "FI",
                    region: ""
                )
            }
            for start in stride(from: 0, to: inputs.count, by: 1000) {
                let chunk = Array(inputs[start..<min(start + 1000, inputs.count)])
                _ = try await store.database.transaction { sql in
                    try await store.customers.upsert(chunk, now: now, in: sql)
                }
            }
            _ = try await store.database.transaction { sql in
                try await store.dataMap.upsertSystem(
                    SystemInput(name: "Web shop", kind: .webShop, owner: "IT", location: "EU", encryptedAtRest: false),
                    now: now,
                    in: sql
                )
            }
            let system = try #require(try await store.dataMap.summaries().first).system.id
            try await store.database.transaction { sql in
                for category in ["name", "email"] {
                    try await sql.raw(
                        """
                        INSERT INTO holdings (customer_id, system_id, category_id, held_from, held_until)
                        SELECT id, \(bind: system), \(bind: category), 0, NULL FROM customers
                        """
                    ).run()
                }
            }
            let admin = try await store.users.create(
                email: "admin@aurora.example",
                displayName: "Admin",
                role: .admin,
                status: .active,
                now: now
            )
            let incident = try await store.incidents.declare(
                IncidentDraft(title: "Web shop customer database copied", kinds: [.dataBreach], severity: .sev1),
                commanderID: admin.id,
                playbooks: [],
                actor: "user:\(admin.id)",
                now: now
            )
            let scope = try await store.scopes.create(
                incidentID: incident.id,
                ScopeDraft(
                    systemIDs: [system],
                    windowStart: Date(timeIntervalSince1970: 10 * 86_400),
                    windowEnd: Date(timeIntervalSince1970: 20 * 86_400)
                ),
                actor: "user:\(admin.id)",
                now: now
            )
            let service = NoticeService(store: store, checker: MustacheTemplateChecker())
            let approver = Caller(.user(admin.id), ip: "local")
            for draft in try await service.installShipped(NoticeTemplates.shippedByLanguage, now: now) {
                _ = try await service.approveTemplate(id: draft.id, by: approver, now: now)
            }
            let campaign = try await service.createCampaign(
                incidentID: incident.id,
                scopeVersionID: scope.id,
                settings: NoticeCampaignSettings(ratePerSecond: rate, concurrency: connections, errorThreshold: 0.2),
                by: approver,
                now: now
            )
            try #require(campaign.recipients == count && campaign.skipped == 0)
            return campaign.id
        }
    }

    /// The received messages by their X-Kilpi-Notice header (the outbox row's notice key).
    static func byNotice(_ received: [SMTPTestServer.Received]) throws -> [String: [SMTPTestServer.Received]] {
        var result: [String: [SMTPTestServer.Received]] = [:]
        for message in received {
            let key = try #require(message.header("X-Kilpi-Notice"), "a notice without its X-Kilpi-Notice header")
            result[key, default: []].append(message)
        }
        return result
    }

    /// Every notice was received, each addressed to its own customer, and the outbox holds the Message-ID of one
    /// of the copies the server got.
    static func expectEveryNoticeReceived(
        _ kilpi: Installation,
        campaign: Int64,
        rows: [OutboxRow],
        received byNotice: [String: [SMTPTestServer.Received]],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let keys = Set(rows.map(\.noticeKey))
        let missing = keys.subtracting(byNotice.keys)
        #expect(missing.isEmpty, "\(missing.count) notices never arrived", sourceLocation: sourceLocation)
        #expect(Set(byNotice.keys) == keys, "only this campaign's notices arrived", sourceLocation: sourceLocation)
        let states = Dictionary(grouping: rows, by: \.state).mapValues(\.count)
        #expect(states == [.sent: rows.count], "every outbox row is sent: \(states)", sourceLocation: sourceLocation)
        let emails = try await kilpi.withStore { store in
            try await store.customers.find(ids: rows.map(\.customerID)).mapValues { $0.email ?? "" }
        }
        var misaddressed = 0
        var unknownMessageID = 0
        for row in rows {
            let copies = byNotice[row.noticeKey] ?? []
            misaddressed += copies.filter { $0.rcptTos != [emails[row.customerID] ?? "?"] }.count
            if !copies.contains(where: { $0.header("Message-ID") == row.messageID }) { unknownMessageID += 1 }
        }
        #expect(misaddressed == 0, "every notice went to its own customer", sourceLocation: sourceLocation)
        #expect(unknownMessageID == 0, "the outbox names a Message-ID the server got", sourceLocation: sourceLocation)
        let state = try await kilpi.withStore { store in try await store.campaigns.find(id: campaign)?.state }
        #expect(state == .completed, sourceLocation: sourceLocation)
    }

    @Test(arguments: TestDatabases.engines)
    func killedMidCampaignAndRunAgainLosesNothing(engine: SQLEngine) async throws {
        let kilpi = try await Installation.make(engine)
        let server = try SMTPTestServer.start()
        do {
            let total = 2_000
            let connections = 2
            // 400 notices/s: the first run cannot be done before the test sees its first messages arrive.
            let campaign = try await Self.campaign(kilpi, customers: total, rate: 400, connections: connections)
            let send =
                [
                    "notices", "send", String(campaign), "--smtp", server.url,
                    "--mail-from", "Aurora Security <security@aurora.example>",
                    "--lease-seconds", "2", "--smtp-connections", String(connections),
                ] + kilpi.options

            let first = try Background(send, in: kilpi.directory)
            let deadline = Date().addingTimeInterval(60)
            while server.count() < 300 && first.isRunning && Date() < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            first.killHard()
            await first.wait()
            #expect(first.killedBySignal, "the first run was killed, not finished: \(first.output)")
            let atKill = server.count()
            try #require(atKill > 0 && atKill < total, "killed after \(atKill) of \(total) arrived")

            let second = try Background(send, in: kilpi.directory)
            await second.wait()
            #expect(second.status == 0, "\(second.output)")

            let rows = try await kilpi.outbox(campaign: campaign)
            #expect(rows.count == total)
            let received = try server.received()
            let byNotice = try Self.byNotice(received)
            try await Self.expectEveryNoticeReceived(kilpi, campaign: campaign, rows: rows, received: byNotice)

            // What the engine guarantees: every acceptance is durable before a connection sends its next message,
            // so a kill leaves at most one accepted, unrecorded notice per connection, and only those can arrive
            // twice. What a lane had claimed and not yet sent (at most a batch) is attempted again, not received
            // again.
            let kills = 1
            let bound = connections * kills
            let duplicated = byNotice.filter { $0.value.count > 1 }
            let duplicates = received.count - byNotice.count
            let retried = Set(rows.filter { $0.attempts > 1 }.map(\.noticeKey))
            let claimedBound = connections * (try Self.batchSize) * kills
            #expect(duplicates <= bound, "\(duplicates) duplicates, at most \(bound) in flight at the kill")
            #expect(
                retried.count <= claimedBound,
                "\(retried.count) notices attempted again, at most \(claimedBound) claimed at the kill"
            )
            #expect(
                Set(duplicated.keys).isSubset(of: retried),
                "a notice arrived twice only when the killed run had claimed it"
            )
            #expect(duplicated.values.allSatisfy { $0.count == 2 }, "no notice arrived more than twice")
        } catch {
            server.stop()
            await kilpi.dispose()
            throw error
        }
        server.stop()
        await kilpi.dispose()
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["KILPI_TEST_POSTGRES_URL"] != nil))
    func twoProcessesOnOnePostgresCampaignDeliverEachNoticeOnce() async throws {
        let kilpi = try await Installation.make(.postgres)
        let server = try SMTPTestServer.start()
        do {
            let total = 3_000
            // 400 notices/s per process: neither can drain the campaign before the other has started.
            let campaign = try await Self.campaign(kilpi, customers: total, rate: 400, connections: 2)
            // Each process signs its Message-IDs with its own sender's domain: the outbox then shows who sent what.
            let senders = ["one.example", "two.example"]
            let processes = try senders.map { domain in
                try Background(
                    [
                        "notices", "send", String(campaign), "--smtp", server.url,
                        "--mail-from", "Aurora Security <security@\(domain)>",
                        "--lease-seconds", "30", "--smtp-connections", "2",
                    ] + kilpi.options,
                    in: kilpi.directory
                )
            }
            for process in processes {
                await process.wait()
                #expect(process.status == 0, "\(process.output)")
            }

            let rows = try await kilpi.outbox(campaign: campaign)
            #expect(rows.count == total)
            let received = try server.received()
            let byNotice = try Self.byNotice(received)
            #expect(received.count == total, "\(received.count - byNotice.count) notices arrived twice")
            #expect(byNotice.values.allSatisfy { $0.count == 1 })
            #expect(rows.allSatisfy { $0.attempts == 1 }, "no notice was claimed twice")
            try await Self.expectEveryNoticeReceived(kilpi, campaign: campaign, rows: rows, received: byNotice)

            // Both processes did part of the work, and each notice was recorded by the process that sent it (the
            // envelope sender's domain and the recorded Message-ID's are the same process's).
            var perProcess: [String: Int] = [:]
            var mixed = 0
            for row in rows {
                let domain = senders.first { row.messageID?.hasSuffix("@\($0)>") == true } ?? "?"
                perProcess[domain, default: 0] += 1
                if byNotice[row.noticeKey]?.first?.mailFrom.hasSuffix("@\(domain)") != true { mixed += 1 }
            }
            #expect(perProcess["?"] == nil)
            #expect(mixed == 0, "every notice was sent and recorded by the same process")
            #expect(senders.allSatisfy { (perProcess[$0] ?? 0) > 0 }, "both processes sent notices: \(perProcess)")
        } catch {
            server.stop()
            await kilpi.dispose()
            throw error
        }
        server.stop()
        await kilpi.dispose()
    }
}

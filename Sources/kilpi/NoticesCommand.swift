import ArgumentParser
import Foundation
import KilpiCore
import KilpiMail
import KilpiStore
import Logging

/// `kilpi notices`: campaigns from the command line, for the moments the console is not the right tool (a relay
/// reachable only from the server, a letter shop's bounce file, a script).
struct NoticesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notices",
        abstract: "Customer notice campaigns: list, preview, send, status, bounces.",
        subcommands: [List.self, Status.self, Preview.self, Send.self, Bounces.self]
    )

    static let caller = Caller(.cli, ip: "local")

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every campaign with its state and counts.")
        @OptionGroup var db: DatabaseOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await CLI.run {
                try await db.withStore { store in
                    let campaigns = try await store.campaigns.all()
                    var rows: [CampaignStatusJSON] = []
                    for campaign in campaigns {
                        rows.append(
                            CampaignStatusJSON(
                                campaign,
                                try await store.outbox.progress(campaignID: campaign.id),
                                nil
                            )
                        )
                    }
                    if json {
                        CLI.say(try CampaignStatusJSON.encode(rows))
                    } else if rows.isEmpty {
                        CLI.say("No campaigns yet.")
                    } else {
                        for row in rows { CLI.say(row.line) }
                    }
                }
            }
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One campaign's progress: notices per state, rate, time to notify."
        )
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "The campaign's number.") var campaign: Int64
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await CLI.run {
                try await db.withStore { store in
                    guard let found = try await store.campaigns.find(id: campaign) else {
                        throw ValidationError("campaign \(campaign) does not exist")
                    }
                    let row = CampaignStatusJSON(
                        found,
                        try await store.outbox.progress(campaignID: campaign),
                        try await store.outbox.timeToNotify(campaignID: campaign)
                    )
                    CLI.say(json ? try CampaignStatusJSON.encode(row) : row.details)
                }
            }
        }
    }

    struct Preview: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the notice one customer of a campaign gets (audited as a view of their data)."
        )
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "The campaign's number.") var campaign: Int64
        @Option(help: "The customer's id in the company's own systems.") var customer: String
        @Option(help: "text, html or all.") var part = "all"
        @OptionGroup var mail: MailOptions
        @OptionGroup var publicURL: PublicURLOption

        func run() async throws {
            try await CLI.run {
                guard ["text", "html", "all"].contains(part) else {
                    throw ValidationError("--part must be text, html or all")
                }
                try await db.withStore { store in
                    guard let found = try await store.customers.find(externalID: customer) else {
                        throw ValidationError("--customer: no customer has this id")
                    }
                    guard let row = try await store.outbox.row(campaignID: campaign, customerID: found.id) else {
                        throw ValidationError("--customer: this customer is not a recipient of campaign \(campaign)")
                    }
                    let composer = NoticeComposer(
                        store: store,
                        company: try mail.company(publicURL: publicURL.resolved()),
                        from: MailAddress("preview@kilpi.invalid"),
                        bounceDomain: nil,
                        dkim: nil
                    )
                    guard let preview = try await composer.preview(row: row, now: Date()) else {
                        throw ValidationError("campaign \(campaign): its incident or approved template is gone")
                    }
                    try await NoticeService(store: store, checker: MustacheTemplateChecker()).recordPreview(
                        customerID: found.id,
                        campaignID: campaign,
                        by: NoticesCommand.caller,
                        now: Date()
                    )
                    if part != "html" { CLI.say("Subject: \(preview.subject)\n\n\(preview.text)") }
                    if part != "text" { CLI.say(preview.html) }
                }
            }
        }
    }

    struct Send: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Deliver a campaign in the foreground until every recipient is in a final state.",
            discussion: """
                Starts the campaign if it is ready, then sends. Stop it at any time (Ctrl-C, or even kill -9) and \
                run the same command again: it goes on where it stopped, and nothing is sent twice except a \
                notice whose batch was in flight at the kill (at most one batch, 100 notices, per connection).
                """
        )
        @OptionGroup var db: DatabaseOptions
        @OptionGroup var mail: MailOptions
        @OptionGroup var publicURL: PublicURLOption
        @Argument(help: "The campaign's number.") var campaign: Int64
        @Option(help: "Seconds a claimed notice stays this process's before another may take it over.")
        var leaseSeconds: Double = 60

        func run() async throws {
            try await CLI.run {
                var settings = try mail.settings()
                let company = try mail.company(publicURL: publicURL.resolved())
                guard leaseSeconds >= 1, leaseSeconds <= 3600 else {
                    throw ValidationError("--lease-seconds must be between 1 and 3600")
                }
                settings.leaseSeconds = leaseSeconds
                try await db.withStore { [settings, company] store in
                    guard var found = try await store.campaigns.find(id: campaign) else {
                        throw ValidationError("campaign \(campaign) does not exist")
                    }
                    let service = NoticeService(store: store, checker: MustacheTemplateChecker())
                    if found.state == .ready {
                        do {
                            found = try await service.start(
                                campaignID: campaign,
                                by: NoticesCommand.caller,
                                now: Date()
                            )
                        } catch {
                            // Another `notices send` (or the console) started it a moment ago: send along with it.
                            guard let now = try await store.campaigns.find(id: campaign), now.state != .ready else {
                                throw error
                            }
                            found = now
                        }
                    }
                    guard found.state == .running || found.state == .completed else {
                        throw ValidationError(
                            "campaign \(campaign) is \(found.state.rawValue); resume it in the console first"
                        )
                    }
                    var delivery = settings
                    delivery.connections = min(settings.connections, max(1, found.settings.concurrency))
                    let engine = DeliveryEngine(
                        store: store,
                        settings: delivery,
                        composer: NoticeComposer(
                            store: store,
                            company: company,
                            from: delivery.from,
                            bounceDomain: delivery.bounceDomain,
                            dkim: delivery.dkim
                        ),
                        logger: CLI.quietLogger
                    )
                    do {
                        try await engine.checkRelay()
                    } catch {
                        throw ValidationError("--smtp: cannot reach the mail server: \(error)")
                    }
                    let progress = ProgressPrinter(campaign: campaign)
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask {
                            // Done when nothing is left, or when the campaign stopped running (paused by
                            // someone, auto-paused by its error threshold, cancelled): then the summary says so.
                            try await engine.run(campaignID: campaign) {
                                let now = try await store.outbox.progress(campaignID: campaign)
                                return now.remaining == 0 || now.state != .running
                            }
                        }
                        group.addTask {
                            while !Task.isCancelled {
                                progress.show(try await store.outbox.progress(campaignID: campaign))
                                try await Task.sleep(for: .seconds(1))
                            }
                        }
                        try await group.next()
                        group.cancelAll()
                    }
                    let final = try await store.outbox.progress(campaignID: campaign)
                    progress.finish(final, try await store.outbox.timeToNotify(campaignID: campaign))
                    if final.state != .completed {
                        CLI.say(
                            "campaign \(campaign) is \(final.state.rawValue); \(final.remaining) notices not sent yet"
                        )
                        throw ExitCode.failure
                    }
                }
            }
        }
    }

    struct Bounces: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read bounce reports (DSNs, RFC 3464; mbox or .eml files) and mark those notices bounced."
        )
        @OptionGroup var db: DatabaseOptions
        @Option(
            name: .customLong("bounce-domain"),
            help: "The domain of the bounce addresses (default: the domain of KILPI_MAIL_FROM)."
        )
        var bounceDomain: String?
        @Argument(help: "mbox or .eml files.") var files: [String]

        func run() async throws {
            try await CLI.run {
                guard !files.isEmpty else { throw ValidationError("name at least one file") }
                let domain = try bounceDomain ?? Self.domainFromSender()
                var records: [(file: String, record: BounceRecord)] = []
                for file in files {
                    do {
                        for record in try BounceFileReader.read(path: file, bounceDomain: domain) {
                            records.append((file, record))
                        }
                    } catch {
                        throw ValidationError(String(describing: error))
                    }
                }
                try await db.withStore { [records] store in
                    var marked = 0
                    var unknown = 0
                    var soft = 0
                    for (file, record) in records {
                        if record.shouldMarkBounced, let id = record.outboxID {
                            let reply = [record.status, record.diagnostic].filter { !$0.isEmpty }.joined(separator: " ")
                            if try await store.outbox.markBounced(noticeKey: id.value, reply: reply, now: Date()) {
                                marked += 1
                            } else {
                                unknown += 1
                                CLI.say("\(file): \(record.description): names no notice of ours")
                            }
                        } else if record.kind == .soft {
                            soft += 1
                        } else {
                            CLI.say("\(file): \(record.description)")
                        }
                    }
                    CLI.say("Marked \(marked) notices bounced; \(soft) delays (left as they are); \(unknown) unknown.")
                }
            }
        }

        static func domainFromSender() throws -> String {
            guard let from = MailOptions.value(nil, "KILPI_MAIL_FROM"),
                let address = try? MailOptions.parseAddress(from)
            else { throw ValidationError("--bounce-domain is required (or set KILPI_MAIL_FROM)") }
            return DomainThrottle.domain(of: address.address)
        }
    }
}

import ArgumentParser
import Foundation
import Hummingbird
import KilpiCore
import KilpiMail
import KilpiStore
import KilpiWeb
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the web app (console, support portal, trust center, API)."
    )

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @Flag(help: "Seed the fictional company Aurora Verkkokauppa Oy and show a DEMO banner on every page.") var demo =
        false
    @Flag(
        name: .customLong("tls-proxy"),
        help: "Kilpi is reached over HTTPS through a proxy: mark cookies Secure and send HSTS."
    ) var tlsProxy = false
    @Option(
        name: .customLong("trusted-proxy"),
        help: ArgumentHelp(
            "A reverse proxy (address or CIDR block, IPv4 or IPv6) whose X-Forwarded-For is believed. Repeatable.",
            valueName: "cidr"
        )
    ) var trustedProxies: [String] = []
    @Option(
        name: .customLong("security-contact"),
        help: ArgumentHelp(
            "Where to report a vulnerability, for /.well-known/security.txt: a mailto:, https:// or tel: URI. "
                + "Repeatable, most preferred first. None: no security.txt is served (with --demo, the demo company's).",
            valueName: "uri"
        )
    ) var securityContacts: [String] = []
    @Option(
        name: .customLong("security-policy"),
        help: ArgumentHelp("The vulnerability-disclosure policy's https:// URL, for security.txt.", valueName: "url")
    ) var securityPolicy: String?
    @Option(
        name: .customLong("public-rate"),
        help: ArgumentHelp(
            "Requests a second one client (address or IPv6 /64) may make on the public trust center; 0: no limit.",
            valueName: "n"
        )
    ) var publicRate: Double = PublicTrafficLimits().perClient
    @Option(
        name: .customLong("public-in-flight"),
        help: ArgumentHelp(
            "Public trust-center requests served at once; beyond it the answer is 503 at once. 0: no budget.",
            valueName: "n"
        )
    ) var publicInFlight: Int = PublicTrafficLimits().inFlight
    @OptionGroup var db: DatabaseOptions
    @OptionGroup var publicURL: PublicURLOption
    @OptionGroup var mail: MailOptions

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be between 1 and 65535") }
        guard publicRate >= 0, publicRate.isFinite else { throw ValidationError("--public-rate must be 0 or more") }
        guard publicInFlight >= 0 else { throw ValidationError("--public-in-flight must be 0 or more") }
        _ = try parsedTrustedProxies()
        for contact in securityContacts {
            if let problem = SecurityTxt.problem(contact: contact) {
                throw ValidationError("--security-contact: \(problem)")
            }
        }
        if let securityPolicy, let problem = SecurityTxt.problem(url: securityPolicy) {
            throw ValidationError("--security-policy: \(problem)")
        }
        // A half-configured relay or DKIM key is refused at start, not found out when the first campaign runs.
        if mail.isConfigured { _ = try mail.settings() } else { _ = try mail.signer() }
    }

    /// The `--trusted-proxy` values as blocks; an error names the flag and the value.
    func parsedTrustedProxies() throws -> [CIDR] {
        try trustedProxies.map { value in
            do { return try CIDR(parsing: value) } catch { throw ValidationError("--trusted-proxy: \(error)") }
        }
    }

    func run() async throws {
        try await CLI.run {
            let logger = Self.logger()
            let url = try db.url()
            try Self.checkPortFree(host: host, port: port)
            var settings = AppConfiguration(
                host: host,
                port: port,
                publicBaseURL: publicURL.resolved(host: host, port: port),
                demo: demo,
                tls: tlsProxy,
                trustedProxies: try parsedTrustedProxies(),
                controllerName: demo
                    ? DemoData.companyName
                    : (ProcessInfo.processInfo.environment["KILPI_COMPANY_NAME"] ?? "the company")
            )
            settings.securityContacts =
                securityContacts.isEmpty && demo ? ["mailto:security@\(DemoData.emailDomain)"] : securityContacts
            settings.securityPolicy = securityPolicy
            settings.publicTraffic = PublicTrafficLimits(
                perClient: publicRate,
                burst: max(1, publicRate * 4),
                inFlight: publicInFlight
            )
            let configuration = settings
            // The database's own service (PostgreSQL's pool) goes first in the group, so that it stops last.
            let (database, databaseService) = try await Database.open(url, logger: CLI.quietLogger)
            try await Self.runServices(database: databaseService, logger: logger) {
                let applied = try await Migrator(database: database).migrate()
                let store = Store(database: database, vault: try await db.loadVault(database: database))
                try await store.sealStaffTOTPSecrets()
                try await store.dataMap.installCatalogue(now: Date())
                try await store.playbooks.installDefaults(
                    try DefaultPlaybooks.all(),
                    now: Date(),
                    audit: Audited(store.audit, now: Date()) {
                        Caller(.system, ip: "local").event(
                            .playbookUpdate,
                            target: "playbook:\($0.id)",
                            detail: "shipped"
                        )
                    }
                )
                try await NoticeService(store: store, checker: MustacheTemplateChecker())
                    .installShipped(NoticeTemplates.shippedByLanguage, now: Date())
                CLI.say(
                    "Kilpi \(Kilpi.version) · database \(url)\(applied.isEmpty ? "" : " · applied migrations \(applied.map(String.init).joined(separator: ","))")"
                )
                if demo {
                    let credentials = try await DemoData.seed(
                        store: store,
                        hasher: configuration.passwordHasher,
                        now: Date()
                    )
                    Self.printDemo(credentials, base: configuration.publicBaseURL)
                    let seeded = try await DemoDataMap.seed(store: store, now: Date())
                    if seeded > 0 {
                        CLI.say(
                            "Demo data map: \(DemoDataMap.systems.count) systems and \(seeded) fictional customers."
                        )
                    }
                    if let incident = try await DemoIncident.seed(store: store, now: Date()) {
                        CLI.say("Demo incident: \(incident.reference) \(incident.title)")
                    }
                    if let campaign = try await DemoNotices.seed(store: store, now: Date()) {
                        CLI.say(
                            "Demo notices: campaign \(campaign.id) for \(campaign.recipients) customers, ready to send (approved fi/sv/en templates)."
                        )
                    }
                    if try await DemoSupport.seed(store: store, now: Date()) > 0 {
                        CLI.say("Demo support: an update for customers and questions in fi/sv/en in /console/support.")
                    }
                    if try await DemoCertificates.seed(store: store, now: Date()) > 0 {
                        CLI.say("Demo trust center: two certificates, one expiring soon (/certificates).")
                    }
                    if try await DemoMeasures.seed(store: store, now: Date()) > 0 {
                        CLI.say("Demo trust center: security measures, one promised after the incident (/measures).")
                    }
                    if try await DemoPosts.seed(store: store, now: Date()) > 0 {
                        CLI.say("Demo trust center: updates, an advisory and an update held until the notices are out.")
                    }
                }
                if let token = try await AccountService(store: store, hasher: configuration.passwordHasher)
                    .setupLinkIfNeeded()
                {
                    CLI.say("")
                    CLI.say("No admin exists yet. Create the first one with this one-time link (valid 1 hour):")
                    CLI.say("  \(configuration.publicBaseURL)\(Routes.setup.path(["token": token]))")
                }
                CLI.say("")
                CLI.say("Trust center: \(configuration.publicBaseURL)/")
                CLI.say("Console: \(configuration.publicBaseURL)/console   (Ctrl-C stops)")
                let sweeper = Sweeper(
                    database: database,
                    sessionIdleTimeout: configuration.sessionIdleTimeout,
                    now: configuration.now,
                    logger: logger,
                    more: [
                        store.loginThrottle.pruneChore(window: configuration.signInLimits.sourceWindow),
                        store.supportLinks.pruneChore(),
                        ContactFormService(store: store).pruneChore(),
                        store.supportMail.pruneChore(),
                        Sweeper.Chore(name: "audit anonymous counts") { now in
                            try await store.audit.flushAnonymousCounts(now: now)
                        },
                    ]
                )
                // Held incident updates go public soon after their campaign reaches its share.
                let releaser = Sweeper(
                    database: database,
                    only: [
                        Sweeper.Chore(name: "held posts") { now in try await store.posts.releaseHeld(now: now) }
                    ],
                    now: configuration.now,
                    interval: .seconds(15),
                    logger: logger
                )
                var services: [any Service] = [sweeper, releaser]
                if mail.isConfigured {
                    let settings = try mail.settings()
                    let engine = DeliveryEngine(
                        store: store,
                        settings: settings,
                        composer: NoticeComposer(
                            store: store,
                            company: try mail.company(
                                publicURL: configuration.publicBaseURL,
                                name: configuration.controllerName
                            ),
                            from: settings.from,
                            bounceDomain: settings.bounceDomain,
                            dkim: settings.dkim
                        ),
                        logger: logger
                    )
                    services.append(DeliveryWorker(engine: engine))
                    // Staff replies and contact-form codes: same relay, sender and DKIM key, own connection.
                    services.append(
                        SupportMailWorker(
                            store: store,
                            settings: settings,
                            composer: SupportMailComposer(
                                companyName: configuration.controllerName,
                                supportSiteURL: configuration.publicBaseURL + "/support",
                                from: settings.from,
                                bounceDomain: settings.bounceDomain,
                                dkim: settings.dkim
                            ),
                            logger: logger
                        )
                    )
                    CLI.say("Notices: delivering through \(settings.smtp) with \(settings.connections) connections.")
                } else {
                    CLI.say("Notices: no --smtp relay given, so campaigns wait until one is.")
                }
                let app = buildApplication(
                    configuration: configuration,
                    store: store,
                    logger: logger,
                    services: services
                )
                try await app.run()
            }
        }
    }

    /// Runs the database's service and `server` (start-up work, then the web app with its own services) in
    /// one `ServiceGroup` until SIGINT or SIGTERM. Shutdown goes in reverse: the web app drains and stops, its
    /// background services stop, and the database closes last.
    static func runServices(
        database: DatabaseService,
        logger: Logger,
        _ server: @escaping @Sendable () async throws -> Void
    ) async throws {
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: database),
                    .init(service: ClosureService(body: server), successTerminationBehavior: .gracefullyShutdownGroup),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: CLI.quietLogger
            )
        )
        try await group.run()
    }

    static func logger() -> Logger {
        var logger = Logger(label: "kilpi")
        logger.logLevel =
            ProcessInfo.processInfo.environment["KILPI_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        return logger
    }

    /// Binding fails deep inside the server with an unfriendly error; checking first gives one clear line.
    static func checkPortFree(host: String, port: Int) throws {
        do {
            let channel = try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
                .bind(host: host, port: port).wait()
            try channel.close().wait()
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw ValidationError("port \(port) on \(host) is already in use; choose another with --port")
        } catch let error as IOError where error.errnoCode == EACCES {
            throw ValidationError(
                "not allowed to listen on port \(port) (ports below 1024 need privileges); choose another with --port"
            )
        } catch {
            throw ValidationError("cannot listen on \(host):\(port): \(error)")
        }
    }

    static func printDemo(_ credentials: [DemoData.Credential], base: String) {
        CLI.say("")
        CLI.say("DEMO: \(DemoData.companyName) (fictional). Staff accounts, with passwords made for this start only:")
        for credential in credentials {
            CLI.say(
                "  \(credential.member.role.rawValue.padding(toLength: 13, withPad: " ", startingAt: 0)) \(credential.member.email)  \(credential.password)"
            )
            if let secret = credential.totpSecret, let uri = credential.totpURI {
                CLI.say("                TOTP secret \(secret) (add it to an authenticator app; admins need the code)")
                CLI.say("                \(uri)")
            }
        }
    }
}

/// A closure as a `Service`.
private struct ClosureService: Service {
    let body: @Sendable () async throws -> Void
    func run() async throws { try await body() }
}

import Foundation
import KilpiCore
import KilpiStore

/// Settings for one running Kilpi web app. `kilpi serve` fills it from flags and the environment; tests
/// build their own.
public struct AppConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// The address people use to reach Kilpi, for links printed on the terminal and in emails.
    public var publicBaseURL: String
    /// Shows the DEMO banner on every page.
    public var demo: Bool
    /// Set the `Secure` cookie flag and HSTS: on whenever Kilpi is reached over TLS (directly or via a proxy).
    public var tls: Bool
    /// Console sessions end after this much inactivity...
    public var sessionIdleTimeout: TimeInterval
    /// ...and at the latest this long after sign-in.
    public var sessionAbsoluteLifetime: TimeInterval
    /// Sign-in attempts per source, per account and source, and per account (defaults in `SignInLimits`).
    public var signInLimits: SignInLimits
    /// Sign-in attempts allowed per source (IPv4 address or IPv6 /64) within each `ipWindow`.
    public var ipFailureLimit: Int {
        get { signInLimits.sourceAttempts }
        set { signInLimits.sourceAttempts = newValue }
    }
    public var ipWindow: TimeInterval {
        get { signInLimits.sourceWindow }
        set { signInLimits.sourceWindow = newValue }
    }
    /// Reverse proxies whose `X-Forwarded-For` is believed (`serve --trusted-proxy`); empty: the peer is the client.
    public var trustedProxies: [CIDR]
    public var passwordHasher: PasswordHasher
    /// The threads scrypt runs on, with their cap and queue limit (beyond it a sign-in is answered 503).
    public var passwordHashing: PasswordHashingPool
    public var now: Now
    /// The company that runs this Kilpi: the data controller named in exports and notices.
    public var controllerName: String
    /// An HTTP connection that sends nothing (no request, or only part of its headers) for this long is closed,
    /// so idle or half-open connections cannot pile up until the server runs out of file descriptors.
    public var httpIdleTimeout: TimeInterval = 60
    /// Where console uploads are spooled while their request is handled (a private directory per upload, deleted
    /// afterwards); nil: the system's temporary directory (`TMPDIR`).
    public var uploadDirectory: String?
    /// How long a customer page's shared content (updates, FAQ, the incident as noticed, category texts) is held
    /// before it is read again; zero reads it on every page.
    public var supportContentLifetime: Duration = .seconds(1)
    /// How long a trust-center page or feed is served from memory at most (a publish in this process clears it
    /// at once; another process's publish shows within this time); zero renders every request.
    public var publicPageLifetime: Duration = .seconds(10)
    /// Per-client rate and the in-flight budget of the public trust center (`serve --public-rate`, `--public-in-flight`).
    public var publicTraffic = PublicTrafficLimits()
    /// Where to report a vulnerability, for `/.well-known/security.txt` (`mailto:`, `https:` or `tel:` URIs, most
    /// preferred first); none: no file is served. `kilpi serve` checks each with `SecurityTxt.problem(contact:)`.
    public var securityContacts: [String] = []
    /// The vulnerability-disclosure policy's https URL for security.txt, if the company has one.
    public var securityPolicy: String?

    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        publicBaseURL: String? = nil,
        demo: Bool = false,
        tls: Bool = false,
        sessionIdleTimeout: TimeInterval = 30 * 60,
        sessionAbsoluteLifetime: TimeInterval = 12 * 60 * 60,
        signInLimits: SignInLimits = .standard,
        trustedProxies: [CIDR] = [],
        passwordHasher: PasswordHasher = .standard,
        passwordHashing: PasswordHashingPool = .standard(),
        now: @escaping Now = { Date() },
        controllerName: String = "the company"
    ) {
        self.controllerName = controllerName
        self.host = host
        self.port = port
        self.publicBaseURL = publicBaseURL ?? "http://\(host):\(port)"
        self.demo = demo
        self.tls = tls
        self.sessionIdleTimeout = sessionIdleTimeout
        self.sessionAbsoluteLifetime = sessionAbsoluteLifetime
        self.signInLimits = signInLimits
        self.trustedProxies = trustedProxies
        self.passwordHasher = passwordHasher
        self.passwordHashing = passwordHashing
        self.now = now
    }
}

/// Everything a controller needs, built once per app.
public struct AppServices: Sendable {
    public let configuration: AppConfiguration
    public let store: Store
    public let accounts: AccountService
    /// The use cases that change incidents, the plan and the data map (each with its audit entry).
    public let incidents: IncidentService
    public let plan: PlanService
    public let dataMap: DataMapService
    let metrics: RequestMetrics
    /// Each campaign's `SupportSharedContent`, held for `configuration.supportContentLifetime`.
    let supportContent: ShortLivedCache<SupportSharedContent.Key, SupportSharedContent>
    /// The trust center's rendered pages and feeds.
    let publicPages: PublicPageCache

    public init(configuration: AppConfiguration, store: Store) {
        self.configuration = configuration
        self.store = store
        self.accounts = AccountService(
            store: store,
            hasher: configuration.passwordHasher,
            now: configuration.now,
            limits: configuration.signInLimits,
            hashing: configuration.passwordHashing
        )
        self.incidents = IncidentService(store: store, now: configuration.now)
        self.plan = PlanService(store: store, now: configuration.now)
        self.dataMap = DataMapService(store: store, now: configuration.now)
        self.metrics = RequestMetrics()
        self.supportContent = ShortLivedCache(lifetime: configuration.supportContentLifetime)
        self.publicPages = PublicPageCache(lifetime: configuration.publicPageLifetime)
    }

    var now: Date { configuration.now() }

    func link(_ path: String) -> String {
        configuration.publicBaseURL.trimmingCharacters(in: CharacterSet(charactersIn: "/")) + path
    }
}

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
    /// Failed sign-ins allowed per IP address within `ipWindow`.
    public var ipFailureLimit: Int
    public var ipWindow: TimeInterval
    public var passwordHasher: PasswordHasher
    public var now: Now
    /// The company that runs this Kilpi: the data controller named in exports and notices.
    public var controllerName: String

    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        publicBaseURL: String? = nil,
        demo: Bool = false,
        tls: Bool = false,
        sessionIdleTimeout: TimeInterval = 30 * 60,
        sessionAbsoluteLifetime: TimeInterval = 12 * 60 * 60,
        ipFailureLimit: Int = 20,
        ipWindow: TimeInterval = 15 * 60,
        passwordHasher: PasswordHasher = .standard,
    /// An HTTP connection that sends nothing (no request, or only part of its headers) for this long is closed,
    /// so idle or half-open connections cannot pile up until the server runs out of file descriptors.
    public var httpIdleTimeout: TimeInterval = 60
    /// Where console uploads are spooled while their request is handled (a private directory per upload, deleted
    /// afterwards); nil: the system's temporary directory (`TMPDIR`).
    public var uploadDirectory: String?
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
        self.ipFailureLimit = ipFailureLimit
        self.ipWindow = ipWindow
        self.passwordHasher = passwordHasher
        self.now = now
    }
}

/// Everything a controller needs, built once per app.
public struct AppServices: Sendable {
    public let configuration: AppConfiguration
    public let store: Store
    public let accounts: AccountService
    let ipThrottle: IPThrottle
    let metrics: RequestMetrics

    public init(configuration: AppConfiguration, store: Store) {
        self.configuration = configuration
        self.store = store
        self.accounts = AccountService(store: store, hasher: configuration.passwordHasher, now: configuration.now)
        self.ipThrottle = IPThrottle(limit: configuration.ipFailureLimit, window: configuration.ipWindow)
        self.metrics = RequestMetrics()
    }

    var now: Date { configuration.now() }

    func importer() -> DataMapImporter {
        DataMapImporter(database: store.database, vault: store.vault, now: configuration.now)
    }

    func link(_ path: String) -> String {
        configuration.publicBaseURL.trimmingCharacters(in: CharacterSet(charactersIn: "/")) + path
    }
}

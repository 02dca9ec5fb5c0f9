import Hummingbird
import KilpiStore
import Logging
import ServiceLifecycle

/// Builds the web application. `kilpi serve` and the tests both call this, so tests exercise the real thing.
///
/// `services` run in the application's `ServiceGroup` beside the HTTP server (such as the `Sweeper`): they
/// start before it and stop after it, on graceful shutdown (SIGINT, SIGTERM).
public func buildApplication(
    configuration: AppConfiguration,
    store: Store,
    logger: Logger? = nil,
    services backgroundServices: [any Service] = []
) -> some ApplicationProtocol {
    let logger = logger ?? Logger(label: "kilpi.web")
    let services = AppServices(configuration: configuration, store: store)
    let router = buildRouter(services: services)
    return Application(
        router: router,
        server: .http1(
            configuration: .init(idleTimeout: .nanoseconds(Int64(configuration.httpIdleTimeout * 1_000_000_000)))
        ),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Kilpi"),
        services: backgroundServices,
        logger: logger
    )
}

/// The router with every route and middleware, for `app.test(.router)`-style tests too.
func buildRouter(services: AppServices) -> Router<KilpiRequestContext> {
    let router = Router(context: KilpiRequestContext.self)
    // The client's address first (behind trusted proxies, from X-Forwarded-For): everything after records it.
    router.add(middleware: ClientAddressMiddleware(trusted: services.configuration.trustedProxies))
    // Security headers go outermost: the observability middleware turns thrown errors (such as the
    // router's 404) into pages, and those need the headers too.
    router.add(middleware: SecurityHeadersMiddleware(tls: services.configuration.tls))
    // Outside the observability middleware, so pages made from thrown errors remember `?lang=` as well.
    router.add(middleware: LanguageCookieMiddleware(tls: services.configuration.tls))
    // Before the observability middleware: a flood's refusals cost no log line and no per-route work.
    router.add(
        middleware: PublicTrafficGuard(limits: services.configuration.publicTraffic, now: { services.now })
    )
    router.add(middleware: ObservabilityMiddleware(metrics: services.metrics, services: services))
    let registry = RouteRegistry(router: router, services: services)
    PublicController(services: services).register(registry)
    AuthController(services: services).register(registry)
    ConsoleController(services: services).register(registry)
    DataMapController(services: services).register(registry)
    IncidentController(services: services).register(registry)
    PlanController(services: services).register(registry)
    IncidentAPIController(services: services).register(registry)
    NoticeController(services: services).register(registry)
    NoticeAPIController(services: services).register(registry)
    IncidentUpdatesController(services: services).register(registry)
    SupportCustomerController(services: services).register(registry)
    SupportInboxController(services: services).register(registry)
    SupportAPIController(services: services).register(registry)
    NoticeVerificationController(services: services).register(registry)
    CertificateController(services: services).register(registry)
    MeasureController(services: services).register(registry)
    TrustCenterHomeController(services: services).register(registry)
    PostPublicController(services: services).register(registry)
    PostConsoleController(services: services).register(registry)
    APIController(services: services).register(registry)
    registry.verifyComplete()
    return router
}

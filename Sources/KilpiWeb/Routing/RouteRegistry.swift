import Foundation
import HTTPTypes
import Hummingbird
import KilpiCore
import KilpiStore
import Logging
import NIOCore

/// Registers handlers for `Routes` and enforces, in one place, what each route's `Access` demands:
/// a session (and a complete one) for console routes, a bearer token for API routes, the role's permission,
/// and a valid CSRF token on every state-changing console form. Handlers never repeat these checks.
final class RouteRegistry: @unchecked Sendable {
    static let sessionCookie = "kilpi_session"
    static let preSessionCSRFCookie = "kilpi_csrf"

    let router: Router<KilpiRequestContext>
    let services: AppServices
    private(set) var registered: Set<Route> = []

    init(router: Router<KilpiRequestContext>, services: AppServices) {
        self.router = router
        self.services = services
    }

    typealias PageHandler = @Sendable (Request, KilpiRequestContext) async throws -> Response
    typealias FormHandler = @Sendable (Request, KilpiRequestContext, FormData) async throws -> Response

    /// A GET page or any handler that does not read a form.
    func page(_ route: Route, _ handler: @escaping PageHandler) {
        precondition(
            !route.isStateChanging || route.template.hasPrefix("/api/"),
            "\(route) changes state: use form(_:)"
        )
        route.requireParameters([])
        add(route) { request, context in try await handler(request, context) }
    }

    /// `page(_:_:)` for a route with one path parameter, handed to the handler typed (see `PathParameter`).
    func page<A>(
        _ route: Route,
        _ a: PathParameter<A>,
        _ handler: @escaping @Sendable (Request, KilpiRequestContext, A) async throws -> Response
    ) {
        precondition(
            !route.isStateChanging || route.template.hasPrefix("/api/"),
            "\(route) changes state: use form(_:)"
        )
        route.requireParameters([a.name])
        add(route) { [services] request, context in
            guard let value = a.value(in: context.parameters) else {
                return Self.notFound(route, context, services)
            }
            return try await handler(request, context, value)
        }
    }

    /// A console POST: the form is read and its CSRF token checked before the handler runs.
    func form(_ route: Route, _ handler: @escaping FormHandler) {
        route.requireParameters([])
        checkedForm(route, handler)
    }

    /// `form(_:_:)` for a route with one path parameter, handed to the handler typed (see `PathParameter`).
    func form<A>(
        _ route: Route,
        _ a: PathParameter<A>,
        _ handler: @escaping @Sendable (Request, KilpiRequestContext, FormData, A) async throws -> Response
    ) {
        route.requireParameters([a.name])
        checkedForm(route) { [services] request, context, form in
            guard let value = a.value(in: context.parameters) else {
                return Self.notFound(route, context, services)
            }
            return try await handler(request, context, form, value)
        }
    }

    /// `form(_:_:)` for a route with two path parameters, handed to the handler typed (see `PathParameter`).
    func form<A, B>(
        _ route: Route,
        _ a: PathParameter<A>,
        _ b: PathParameter<B>,
        _ handler: @escaping @Sendable (Request, KilpiRequestContext, FormData, A, B) async throws -> Response
    ) {
        route.requireParameters([a.name, b.name])
        checkedForm(route) { [services] request, context, form in
            guard let first = a.value(in: context.parameters), let second = b.value(in: context.parameters) else {
                return Self.notFound(route, context, services)
            }
            return try await handler(request, context, form, first, second)
        }
    }

    /// 400 for a form body that cannot be read, in the reader's language.
    private static func unreadable(
        _ error: FormError,
        _ context: KilpiRequestContext,
        _ services: AppServices
    )
        -> Response
    {
        Pages.error(.badRequest, .badRequestTitle, error.message.text(context.language), context, services)
    }

    /// 413 with `message`. The rest of the body is not kept (the server discards it): the client is asked not to
    /// reuse the connection for another request.
    private static func tooLarge(
        _ message: String,
        _ context: KilpiRequestContext,
        _ services: AppServices
    )
        -> Response
    {
        var response = Pages.error(.contentTooLarge, .badRequestTitle, message, context, services)
        response.headers[.connection] = "close"
        return response
    }

    /// 403 for a form without the right CSRF token, audited (anonymous ones are counted per source and minute).
    private static func csrfRejected(
        _ route: Route,
        _ context: KilpiRequestContext,
        _ services: AppServices
    ) async throws -> Response {
        try await services.store.audit.append(
            AuditEvent(
                actor: context.actor,
                action: .securityCsrfRejected,
                target: route.description,
                ip: context.remoteIP
            ),
            now: services.now
        )
        return Pages.error(.forbidden, .forbiddenTitle, UIText.csrfFailed.text(context.language), context, services)
    }

    /// 404 for a path whose parameter does not parse: in the API's error shape or as a console page.
    private static func notFound(_ route: Route, _ context: KilpiRequestContext, _ services: AppServices) -> Response {
        if route.template.hasPrefix("/api/") {
            return .apiError(.notFound, code: "not_found", message: "No such resource.")
        }
        return Pages.error(.notFound, .notFoundTitle, UIText.notFoundBody.text(context.language), context, services)
    }

    private func checkedForm(_ route: Route, _ handler: @escaping FormHandler) {
        precondition(route.isStateChanging, "\(route) is not a POST")
        add(route) { [services] request, context in
            let form: FormData
            do {
                form = try await FormData.read(request, context: context)
            } catch let error as FormError {
                return Self.unreadable(error, context, services)
            } catch is NIOTooManyBytesError {
                return Self.tooLarge(
                    UIText.formTooLarge(context.maxUploadSize >> 20).text(context.language),
                    context,
                    services
                )
            }
            let expected = context.session?.session.csrfToken ?? request.cookies[Self.preSessionCSRFCookie]?.value
            guard let expected, let sent = form["_csrf"], Digest.constantTimeEquals(expected, sent) else {
                return try await Self.csrfRejected(route, context, services)
            }
            return try await handler(request, context, form)
        }
    }

    typealias UploadHandler = @Sendable (Request, KilpiRequestContext, MultipartForm) async throws -> Response

    /// A console POST with `multipart/form-data` (a file upload): same CSRF rule as `form(_:)`. The body is streamed
    /// to a private temporary directory as it arrives (file parts are never held in memory) and deleted once the
    /// handler is done, also when it throws. A body over `maximumBytes` is answered 413 with `tooLarge`, which names
    /// the field, in the reader's language.
    func upload(_ route: Route, maximumBytes: Int, tooLarge: LocalizedMessage, _ handler: @escaping UploadHandler) {
        route.requireParameters([])
        checkedUpload(route, maximumBytes: maximumBytes, tooLarge: tooLarge, handler)
    }

    /// `upload(_:maximumBytes:tooLarge:_:)` for a route with one path parameter (see `PathParameter`).
    func upload<A>(
        _ route: Route,
        _ a: PathParameter<A>,
        maximumBytes: Int,
        tooLarge: LocalizedMessage,
        _ handler: @escaping @Sendable (Request, KilpiRequestContext, MultipartForm, A) async throws -> Response
    ) {
        route.requireParameters([a.name])
        checkedUpload(route, maximumBytes: maximumBytes, tooLarge: tooLarge) { [services] request, context, form in
            guard let value = a.value(in: context.parameters) else {
                return Self.notFound(route, context, services)
            }
            return try await handler(request, context, form, value)
        }
    }

    private func checkedUpload(
        _ route: Route,
        maximumBytes: Int,
        tooLarge: LocalizedMessage,
        _ handler: @escaping UploadHandler
    ) {
        precondition(route.isStateChanging, "\(route) is not a POST")
        add(route) { [services] request, context in
            let form: MultipartForm
            do {
                guard let boundary = request.headers[.contentType].flatMap(MultipartForm.boundary(fromContentType:))
                else {
                    throw FormError(
                        .l("the upload is not multipart/form-data", "lähetys ei ole multipart/form-data-muotoinen")
                    )
                }
                // A declared length over the limit is refused before a byte is read.
                if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maximumBytes {
                    throw MultipartForm.TooLarge()
                }
                form = try await MultipartForm.receive(
                    request.body,
                    boundary: boundary,
                    maximumBytes: maximumBytes,
                    in: services.configuration.uploadDirectory
                )
            } catch let error as FormError {
                return Self.unreadable(error, context, services)
            } catch is MultipartForm.TooLarge {
                return Self.tooLarge(tooLarge.text(context.language), context, services)
            }
            defer { form.remove() }
            guard let expected = context.session?.session.csrfToken, let sent = form["_csrf"]?.text,
                Digest.constantTimeEquals(expected, sent)
            else {
                return try await Self.csrfRejected(route, context, services)
            }
            return try await handler(request, context, form)
        }
    }

    private func add(_ route: Route, _ handler: @escaping PageHandler) {
        precondition(!registered.contains(route), "\(route) registered twice")
        registered.insert(route)
        router.on(RouterPath(route.template), method: route.method) { [services] request, incoming in
            var context = incoming
            context.language = Language.negotiate(request)
            context.demo = services.configuration.demo
            do {
                switch route.access {
                case .publicAccess:
                    context.session = try await Self.loadSession(request, services)
                    return try await handler(request, context)
                case .partialSession:
                    guard let session = try await Self.loadSession(request, services) else {
                        return Self.toLogin(request)
                    }
                    context.session = session
                    return try await handler(request, context)
                case .console(let permission):
                    guard let session = try await Self.loadSession(request, services) else {
                        return Self.toLogin(request)
                    }
                    context.session = session
                    switch session.session.stage {
                    case .needsSecondFactor: return .redirect(to: Routes.secondFactor.path())
                    case .needsEnrolment: return .redirect(to: Routes.enrolSecondFactor.path())
                    case .complete: break
                    }
                    guard AccessPolicy.allows(session.user.role, permission) else {
                        return Pages.error(
                            .forbidden,
                            .forbiddenTitle,
                            UIText.forbiddenBody.text(context.language),
                            context,
                            services
                        )
                    }
                    return try await handler(request, context)
                case .api(let permission):
                    if let refused = try await Self.authenticateAPI(request, &context, permission, services) {
                        return refused
                    }
                    return try await handler(request, context)
                case .loopbackOrAPI(let permission):
                    // The socket's peer, not the client address read from X-Forwarded-For: a proxy on this host
                    // is loopback too, so what it forwards still needs a token.
                    if Self.isLoopback(context.peerIP), request.headers[ClientAddress.forwardedFor] == nil {
                        return try await handler(request, context)
                    }
                    if let refused = try await Self.authenticateAPI(request, &context, permission, services) {
                        return refused
                    }
                    return try await handler(request, context)
                }
            } catch let busy as PasswordHashingPool.Busy {
                // Password hashing is at capacity (a flood): nothing was checked; the client may retry shortly.
                var response =
                    route.template.hasPrefix("/api/")
                    ? Response.apiError(.serviceUnavailable, code: "busy", message: "Busy; retry shortly.")
                    : Pages.error(
                        .serviceUnavailable,
                        .errorTitle,
                        UIText.signInBusy.text(context.language),
                        context,
                        services
                    )
                response.headers[.retryAfter] = String(busy.retryAfter)
                return response
            } catch let error as any HTTPResponseError where !(error is HTTPError) {
                // A refusal that knows its own response (`PageError`, `APIError`): nothing went wrong in the server.
                // (A bare `HTTPError` is a failure and gets the logged error page below.)
                return try error.response(from: request, context: context)
            } catch {
                // The log gets the error's type and route only: messages can carry personal data.
                context.logger.error("request failed", metadata: ["route": "\(route)", "error": "\(type(of: error))"])
                if route.template.hasPrefix("/api/") {
                    return .apiError(.internalServerError, code: "internal", message: "Internal error; it was logged.")
                }
                return Pages.error(
                    .internalServerError,
                    .errorTitle,
                    UIText.errorBody.text(context.language),
                    context,
                    services
                )
            }
        }
    }

    /// Every route in `Routes.all` must have a handler: a route without one would be a link to nowhere.
    func verifyComplete() {
        let missing = Set(Routes.all).subtracting(registered)
        precondition(missing.isEmpty, "routes without handlers: \(missing.map(\.description).sorted())")
    }

    // MARK: - Authentication

    static func loadSession(_ request: Request, _ services: AppServices) async throws -> ActiveSession? {
        guard let id = request.cookies[sessionCookie]?.value, !id.isEmpty, id.count < 200 else { return nil }
        guard
            let session = try await services.store.sessions.find(
                id: id,
                now: services.now,
                idleTimeout: services.configuration.sessionIdleTimeout
            )
        else { return nil }
        guard let user = try await services.store.users.find(id: session.userID), user.status == .active else {
            try await services.store.sessions.delete(id: id)
            return nil
        }
        return ActiveSession(id: id, session: session, user: user)
    }

    /// Checks the bearer token and its role's permission; returns the refusal (401 or 403), or nil and sets the
    /// context's token.
    static func authenticateAPI(
        _ request: Request,
        _ context: inout KilpiRequestContext,
        _ permission: Permission,
        _ services: AppServices
    ) async throws -> Response? {
        guard let token = try await Self.bearerToken(request, services) else {
            var response = Response.apiError(
                .unauthorized,
                code: "unauthorized",
                message: "A valid bearer token is required."
            )
            response.headers[.wwwAuthenticate] = "Bearer realm=\"kilpi\""
            return response
        }
        context.apiToken = token
        guard AccessPolicy.allows(token.role, permission) else {
            return .apiError(
                .forbidden,
                code: "forbidden",
                message: "This token's role (\(token.role.rawValue)) may not do this."
            )
        }
        return nil
    }

    /// Whether `ip` (as `SocketAddress.ipAddress` writes it) is on the loopback interface: 127.0.0.0/8 or ::1,
    /// also as an IPv4-mapped IPv6 address.
    static func isLoopback(_ ip: String) -> Bool {
        var address = ip.lowercased()
        if address.hasPrefix("::ffff:") { address.removeFirst("::ffff:".count) }
        if address == "::1" || address == "0:0:0:0:0:0:0:1" { return true }
        let octets = address.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets.allSatisfy({ UInt8($0) != nil }) else { return false }
        return octets[0] == "127"
    }

    static func bearerToken(_ request: Request, _ services: AppServices) async throws -> APIToken? {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else { return nil }
        let secret = header.dropFirst("bearer ".count).trimmingCharacters(in: .whitespaces)
        guard secret.hasPrefix("kilpi_"), secret.count < 200 else { return nil }
        return try await services.store.tokens.authenticate(secret: secret, now: services.now)
    }

    private static func toLogin(_ request: Request) -> Response {
        .redirect(to: Routes.login.path())
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import KilpiCore
import KilpiStore

/// The signed-in console: dashboard, own account, staff accounts, API tokens, audit log.
struct ConsoleController {
    let services: AppServices

    func register(_ routes: RouteRegistry) {
        routes.page(Routes.dashboard) { request, context in
            let view = Pages.viewContext(request, context, services)
            let users = try await services.store.users.count(role: nil, status: nil)
            let audit =
                view.may(Routes.audit)
                ? (try await services.store.audit.entries(AuditFilter(limit: 1)).first?.id ?? 0) : 0
            // Every console role sees incidents; overdue tasks lead the page so nobody misses a deadline.
            let incidents = try await services.store.incidents.list(now: services.now, limit: 20).filter {
                $0.incident.status.isOpen
            }
            let overdue = try await services.store.incidents.overdueTasks(now: services.now, limit: 20)
            return .html(
                ConsoleViews.dashboard(
                    view,
                    userCount: users,
                    auditCount: Int(audit),
                    openIncidents: incidents,
                    overdue: overdue,
                    supportEscalations: try await SupportInboxViews.escalations(view, services),
                    certificates: view.may(Routes.certificates)
                        ? CertificateViews.reminder(
                            view,
                            try await services.store.certificates.expiringSoon(now: services.now),
                            now: services.now
                        ) : .empty
                )
            )
        }
        routes.page(Routes.account) { request, context in
            try await accountPage(request, context)
        }
        routes.form(Routes.changePassword) { request, context, form in
            let session = try requireSession(context)
            do {
                // Every session of the account ends; this browser continues under a new id.
                let lifetime = services.configuration.sessionAbsoluteLifetime
                guard
                    let (id, fresh) = try await services.accounts.changePassword(
                        userID: session.user.id,
                        current: form["current", trim: false] ?? "",
                        new: form["new", trim: false] ?? "",
                        ip: context.remoteIP,
                        newSessionLifetime: lifetime
                    )
                else { throw HTTPError(.internalServerError) }
                var rotated = context
                rotated.session = ActiveSession(id: id, session: fresh, user: session.user)
                var response = try await accountPage(
                    request,
                    rotated,
                    message: UIText.passwordChanged.text(context.language)
                )
                response.setCookie(AuthController(services: services).sessionCookie(id, lifetime: lifetime))
                return response
            } catch let error as AccountError {
                let messages: [String] =
                    if case .weakPassword(let problems) = error.code {
                        problems.map { $0.message(context.language) }
                    } else {
                        [
                            error.code == .wrongCode
                                ? UIText.signInFailed.text(context.language) : error.message(context.language)
                        ]
                    }
                return try await accountPage(request, context, errors: messages, status: .badRequest)
            }
        }
        routes.form(Routes.regenerateRecoveryCodes) { request, context, form in
            let session = try requireSession(context)
            do {
                let codes = try await services.accounts.regenerateRecoveryCodes(
                    userID: session.user.id,
                    current: form["current", trim: false] ?? "",
                    ip: context.remoteIP
                )
                return .html(AuthViews.recoveryCodes(Pages.viewContext(request, context, services), codes: codes))
            } catch let error as AccountError {
                return try await accountPage(
                    request,
                    context,
                    errors: [error.message(context.language)],
                    status: .badRequest
                )
            }
        }
        routes.form(Routes.signOutEverywhere) { _, context, _ in
            let session = try requireSession(context)
            let ended = try await services.store.sessions.deleteAll(userID: session.user.id)
            try await services.store.audit.append(
                AuditEvent(
                    actor: context.actor,
                    action: .sessionLogoutEverywhere,
                    target: context.actor,
                    ip: context.remoteIP,
                    detail: "\(ended) sessions"
                ),
                now: services.now
            )
            var response = Response.redirect(to: Routes.login.path())
            response.setCookie(
                Cookie(
                    name: RouteRegistry.sessionCookie,
                    value: "",
                    maxAge: 0,
                    path: "/",
                    secure: services.configuration.tls,
                    httpOnly: true,
                    sameSite: .lax
                )
            )
            return response
        }
        routes.page(Routes.users) { request, context in
            .html(
                ConsoleViews.users(
                    Pages.viewContext(request, context, services),
                    users: try await services.store.users.all()
                )
            )
        }
        routes.form(Routes.userCreate) { request, context, form in
            let view = Pages.viewContext(request, context, services)
            guard let role = Role(rawValue: form["role"] ?? "") else {
                return .html(
                    ConsoleViews.users(
                        view,
                        users: try await services.store.users.all(),
                        errors: [UIText.unknownRole.text(context.language)],
                        form: form
                    ),
                    status: .badRequest
                )
            }
            do {
                let (user, token) = try await services.accounts.addUser(
                    email: form["email"] ?? "",
                    displayName: form["name"] ?? "",
                    role: role,
                    actor: context.actor,
                    ip: context.remoteIP
                )
                let link = services.link(Routes.enrol.path(["token": token]))
                return .html(
                    ConsoleViews.users(view, users: try await services.store.users.all(), created: (user, link))
                )
            } catch let error as AccountError {
                return .html(
                    ConsoleViews.users(
                        view,
                        users: try await services.store.users.all(),
                        errors: [error.message(context.language)],
                        form: form
                    ),
                    status: .badRequest
                )
            }
        }
        routes.form(Routes.userRole, .id) { request, context, form, id in
            guard let role = Role(rawValue: form["role"] ?? "") else {
                return Pages.error(
                    .badRequest,
                    .badRequestTitle,
                    UIText.unknownRole.text(context.language),
                    context,
                    services
                )
            }
            return try await userChange(request, context) {
                try await services.accounts.setRole(userID: id, role: role, actor: context.actor, ip: context.remoteIP)
            }
        }
        for (route, disabled) in [(Routes.userDisable, true), (Routes.userEnable, false)] {
            routes.form(route, .id) { request, context, _, id in
                try await userChange(request, context) {
                    try await services.accounts.setDisabled(
                        userID: id,
                        disabled: disabled,
                        actor: context.actor,
                        ip: context.remoteIP
                    )
                }
            }
        }
        routes.form(Routes.userEnrolmentLink, .id) { request, context, _, id in
            let view = Pages.viewContext(request, context, services)
            do {
                let token = try await services.accounts.reissueEnrolment(
                    userID: id,
                    actor: context.actor,
                    ip: context.remoteIP
                )
                let users = try await services.store.users.all()
                guard let user = users.first(where: { $0.id == id }) else { throw AccountError(.notFound) }
                let link = services.link(Routes.enrol.path(["token": token]))
                return .html(ConsoleViews.users(view, users: users, created: (user, link)))
            } catch let error as AccountError {
                return .html(
                    ConsoleViews.users(
                        view,
                        users: try await services.store.users.all(),
                        errors: [error.message(context.language)]
                    ),
                    status: error.code == .notFound ? .notFound : .badRequest
                )
            }
        }
        routes.page(Routes.tokens) { request, context in
            .html(
                ConsoleViews.tokens(
                    Pages.viewContext(request, context, services),
                    tokens: try await services.store.tokens.all(),
                    now: services.now
                )
            )
        }
        routes.form(Routes.tokenCreate) { request, context, form in
            let view = Pages.viewContext(request, context, services)
            let refuse: (String) async throws -> Response = { message in
                .html(
                    ConsoleViews.tokens(
                        view,
                        tokens: try await services.store.tokens.all(),
                        now: services.now,
                        errors: [message],
                        form: form
                    ),
                    status: .badRequest
                )
            }
            guard let role = Role(rawValue: form["role"] ?? "") else {
                return try await refuse(UIText.unknownRole.text(context.language))
            }
            let daysText = form["expires_in"] ?? ""
            guard let days = daysText.isEmpty ? APITokenLifetime.defaultDays : Int(daysText) else {
                return try await refuse(AccountError(.invalidTokenExpiry).message(context.language))
            }
            do {
                let (_, secret) = try await services.accounts.createToken(
                    name: form["name"] ?? "",
                    role: role,
                    expiresInDays: days,
                    actor: context.actor,
                    ip: context.remoteIP
                )
                return .html(
                    ConsoleViews.tokens(
                        view,
                        tokens: try await services.store.tokens.all(),
                        now: services.now,
                        created: secret
                    )
                )
            } catch let error as AccountError {
                return try await refuse(error.message(context.language))
            }
        }
        routes.form(Routes.tokenRevoke, .id) { _, context, _, id in
            let outcome = try await services.accounts.revokeToken(
                id: id,
                evenIfProtected: false,
                actor: context.actor,
                ip: context.remoteIP
            )
            switch outcome {
            case .revoked: return .redirect(to: Routes.tokens.path())
            case .notFound: throw PageError.notFound
            case .protected:
                throw PageError(.conflict, .forbiddenTitle) { language in
                    LocalizedMessage.l(
                        "Token \(id) is protected: only kilpi token revoke \(id) on the server revokes it.",
                        "Tunnus \(id) on suojattu: vain palvelimella ajettu kilpi token revoke \(id) mitätöi sen."
                    ).text(language)
                }
            }
        }
        routes.page(Routes.audit) { request, context in
            let filter = Self.auditFilter(request.uri.queryParameters)
            let entries = try await services.store.audit.entries(filter)
            // From the last checkpoint only: a page view must not walk the whole log (the CLI does that).
            let verification = try await services.store.audit.verifySinceCheckpoint()
            var next: String?
            if entries.count == filter.limit, let last = entries.last {
                var components = URLComponents()
                components.queryItems =
                    request.uri.queryParameters.filter { $0.key != "before" }.map {
                        URLQueryItem(name: String($0.key), value: String($0.value))
                    }
                    + [URLQueryItem(name: "before", value: String(last.id))]
                next = Routes.audit.path() + "?" + (components.percentEncodedQuery ?? "")
            }
            return .html(
                ConsoleViews.audit(
                    Pages.viewContext(request, context, services),
                    entries: entries,
                    filter: filter,
                    verification: verification,
                    nextPage: next
                )
            )
        }
    }

    static func auditFilter(_ query: Hummingbird.Parameters) -> AuditFilter {
        let day = DateFormatter()
        day.dateFormat = "yyyy-MM-dd"
        day.timeZone = TimeZone(identifier: "UTC")
        day.locale = Locale(identifier: "en_US_POSIX")
        return AuditFilter(
            actor: query.get("actor"),
            actionPrefix: query.get("action"),
            target: query.get("target"),
            from: query.get("from").flatMap { day.date(from: $0) },
            // "Until" a day includes that whole day.
            until: query.get("until").flatMap { day.date(from: $0) }.map { $0.addingTimeInterval(86_400) },
            beforeID: query.get("before", as: Int64.self),
            limit: 100
        )
    }

    private func accountPage(
        _ request: Request,
        _ context: KilpiRequestContext,
        message: String? = nil,
        errors: [String] = [],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let session = try requireSession(context)
        let user = try await services.store.users.find(id: session.user.id) ?? session.user
        return .html(
            ConsoleViews.account(
                Pages.viewContext(request, context, services),
                user: user,
                recoveryRemaining: try await services.store.recoveryCodes.remaining(userID: user.id),
                sessions: try await services.store.sessions.count(userID: user.id),
                message: message,
                errors: errors
            ),
            status: status
        )
    }

    private func userChange(
        _ request: Request,
        _ context: KilpiRequestContext,
        _ change: () async throws -> Void
    ) async throws -> Response {
        do {
            try await change()
            return .redirect(to: Routes.users.path())
        } catch let error as AccountError {
            return .html(
                ConsoleViews.users(
                    Pages.viewContext(request, context, services),
                    users: try await services.store.users.all(),
                    errors: [error.message(context.language)]
                ),
                status: error.code == .notFound ? .notFound : .badRequest
            )
        }
    }

    private func requireSession(_ context: KilpiRequestContext) throws -> ActiveSession {
        guard let session = context.session else { throw HTTPError(.unauthorized) }
        return session
    }
}

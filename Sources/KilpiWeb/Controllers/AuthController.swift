import Foundation
import Hummingbird
import KilpiCore
import KilpiStore

/// Sign-in (password, then second factor), sign-out, first-admin setup and staff enrolment.
struct AuthController {
    let services: AppServices

    func register(_ routes: RouteRegistry) {
        routes.page(Routes.login) { request, context in
            if let session = context.session, session.session.stage == .complete {
                return .redirect(to: Routes.dashboard.path())
            }
            return preSessionPage(request, context) { AuthViews.login($0) }
        }
        routes.form(Routes.loginSubmit, loginSubmit)
        routes.page(Routes.secondFactor) { request, context in
            guard context.session?.session.stage == .needsSecondFactor else {
                return .redirect(to: Routes.dashboard.path())
            }
            return .html(AuthViews.secondFactor(Pages.viewContext(request, context, services)))
        }
        routes.form(Routes.secondFactorSubmit, secondFactorSubmit)
        routes.page(Routes.enrolSecondFactor) { request, context in
            guard let session = context.session else { return .redirect(to: Routes.login.path()) }
            if let refusal = enrolmentRefusal(request, context, session) { return refusal }
            let secret = services.accounts.newTOTPSecret()
            return .html(
                AuthViews.enrolTOTP(
                    Pages.viewContext(request, context, services),
                    secret: secret,
                    uri: services.accounts.provisioningURI(secret: secret, email: session.user.email),
                    current: .for(session)
                )
            )
        }
        routes.form(Routes.enrolSecondFactorSubmit, enrolSecondFactorSubmit)
        routes.form(Routes.logout) { _, context, _ in
            var response = Response.redirect(to: Routes.login.path())
            if let session = context.session {
                try await services.store.sessions.delete(id: session.id)
                try await services.store.audit.append(
                    AuditEvent(
                        actor: context.actor,
                        action: .sessionLogout,
                        target: context.actor,
                        ip: context.remoteIP
                    ),
                    now: services.now
                )
            }
            response.setCookie(clearedSessionCookie())
            return response
        }
        routes.page(Routes.setup, .token) { request, context, token in
            guard try await services.store.links.peek(token: token, purpose: .setup, now: services.now) != nil,
                try await services.store.users.count(role: .admin, status: nil) == 0
            else {
                return .html(AuthViews.linkInvalid(Pages.viewContext(request, context, services)), status: .notFound)
            }
            return preSessionPage(request, context) {
                AuthViews.setup($0, action: Routes.setupSubmit.path(["token": token]))
            }
        }
        routes.form(Routes.setupSubmit, .token, setupSubmit)
        routes.page(Routes.enrol, .token) { request, context, token in
            guard let link = try await services.store.links.peek(token: token, purpose: .enrol, now: services.now),
                let userID = link.userID, let user = try await services.store.users.find(id: userID),
                user.status == .pending
            else {
                return .html(AuthViews.linkInvalid(Pages.viewContext(request, context, services)), status: .notFound)
            }
            return preSessionPage(request, context) {
                AuthViews.enrol($0, action: Routes.enrolSubmit.path(["token": token]), user: user)
            }
        }
        routes.form(Routes.enrolSubmit, .token, enrolSubmit)
    }

    // MARK: - Handlers

    @Sendable func loginSubmit(
        _ request: Request,
        _ context: KilpiRequestContext,
        _ form: FormData
    ) async throws -> Response {
        let email = form["email"] ?? ""
        let view = Pages.viewContext(request, context, services, csrf: form["_csrf"])
        // The service counts the attempt (per source, per account and source, per account) before it checks
        // anything, in the database, so parallel posts and several `serve` processes share one count.
        let outcome = try await services.accounts.login(
            email: email,
            password: form["password", trim: false] ?? "",
            ip: context.remoteIP
        )
        switch outcome {
        case .accepted(let user, let stage):
            return try await startSession(user: user, stage: stage, context: context, replacing: context.session)
        case .rejected:
            return .html(AuthViews.login(view, email: email, error: view.t(.signInFailed)), status: .unauthorized)
        case .throttled:
            return .html(AuthViews.login(view, email: email, error: view.t(.tooManyAttempts)), status: .tooManyRequests)
        case .busy(let retryAfter):
            var response = Response.html(
                AuthViews.login(view, email: email, error: view.t(.signInBusy)),
                status: .serviceUnavailable
            )
            response.headers[.retryAfter] = String(retryAfter)
            return response
        }
    }

    @Sendable func secondFactorSubmit(
        _ request: Request,
        _ context: KilpiRequestContext,
        _ form: FormData
    ) async throws -> Response {
        guard let session = context.session, session.session.stage == .needsSecondFactor else {
            return .redirect(to: Routes.login.path())
        }
        // Six-digit codes are guessable: the same slots as the password step are taken before a code is checked.
        let outcome = try await services.accounts.verifySecondFactor(
            userID: session.user.id,
            code: form["code"] ?? "",
            ip: context.remoteIP
        )
        switch outcome {
        case .accepted:
            return try await startSession(user: session.user, stage: .complete, context: context, replacing: session)
        case .rejected:
            let view = Pages.viewContext(request, context, services)
            return .html(AuthViews.secondFactor(view, error: view.t(.signInFailed)), status: .unauthorized)
        case .throttled:
            let view = Pages.viewContext(request, context, services)
            return .html(AuthViews.secondFactor(view, error: view.t(.tooManyAttempts)), status: .tooManyRequests)
        }
    }

    @Sendable func enrolSecondFactorSubmit(
        _ request: Request,
        _ context: KilpiRequestContext,
        _ form: FormData
    ) async throws -> Response {
        guard let session = context.session else { return .redirect(to: Routes.login.path()) }
        if let refusal = enrolmentRefusal(request, context, session) { return refusal }
        let secret = form["secret"] ?? ""
        do {
            let codes = try await services.accounts.confirmTOTP(
                userID: session.user.id,
                secret: secret,
                code: form["code"] ?? "",
                proof: AccountService.FactorProof(
                    fromEnrolmentLink: session.session.mayEnrol,
                    current: form["current", trim: false]
                ),
                ip: context.remoteIP
            )
            let (cookie, fresh) = try await newSession(
                user: session.user,
                stage: .complete,
                context: context,
                replacing: session
            )
            let view = ViewContext(
                language: context.language,
                user: session.user,
                csrfToken: fresh.csrfToken,
                demo: services.configuration.demo,
                path: request.uri.path
            )
            var response = Response.html(AuthViews.recoveryCodes(view, codes: codes))
            response.setCookie(cookie)
            return response
        } catch let error as AccountError {
            let view = Pages.viewContext(request, context, services)
            return .html(
                AuthViews.enrolTOTP(
                    view,
                    secret: secret,
                    uri: services.accounts.provisioningURI(secret: secret, email: session.user.email),
                    current: .for(session),
                    error: error.message(context.language)
                ),
                status: error.code == .enrolmentLinkRequired ? .forbidden : .badRequest
            )
        }
    }

    /// The answer when this session may not set up or replace a second factor here, else nil. Someone who owes
    /// their factor must pass it first; an account that requires a factor but has none may set it up only in
    /// the session its enrolment or setup link started (a password alone is not enough: whoever learned it
    /// first could enrol their own authenticator). Replacing a factor asks for the current code or password.
    private func enrolmentRefusal(
        _ request: Request,
        _ context: KilpiRequestContext,
        _ session: ActiveSession
    ) -> Response? {
        if session.session.stage == .needsSecondFactor { return .redirect(to: Routes.secondFactor.path()) }
        guard !session.user.totpEnabled, session.user.role.requiresSecondFactor, !session.session.mayEnrol else {
            return nil
        }
        return .html(AuthViews.enrolmentLinkNeeded(Pages.viewContext(request, context, services)), status: .forbidden)
    }

    @Sendable func setupSubmit(
        _ request: Request,
        _ context: KilpiRequestContext,
        _ form: FormData,
        _ token: String
    ) async throws -> Response {
        let view = Pages.viewContext(request, context, services, csrf: form["_csrf"])
        do {
            let user = try await services.accounts.completeSetup(
                token: token,
                email: form["email"] ?? "",
                displayName: form["name"] ?? "",
                password: form["password", trim: false] ?? "",
                ip: context.remoteIP
            )
            // The new admin goes straight on to set up the second factor, in this session only.
            return try await startSession(
                user: user,
                stage: .needsEnrolment,
                mayEnrol: true,
                context: context,
                replacing: context.session
            )
        } catch let error as AccountError {
            if error.code == .linkInvalid || error.code == .adminExists {
                return .html(AuthViews.linkInvalid(view), status: .notFound)
            }
            return .html(
                AuthViews.setup(
                    view,
                    action: Routes.setupSubmit.path(["token": token]),
                    email: form["email"] ?? "",
                    name: form["name"] ?? "",
                    errors: messages(error, view)
                ),
                status: .badRequest
            )
        }
    }

    @Sendable func enrolSubmit(
        _ request: Request,
        _ context: KilpiRequestContext,
        _ form: FormData,
        _ token: String
    ) async throws -> Response {
        let view = Pages.viewContext(request, context, services, csrf: form["_csrf"])
        do {
            let user = try await services.accounts.completeEnrolment(
                token: token,
                password: form["password", trim: false] ?? "",
                ip: context.remoteIP
            )
            let stage: StaffSession.Stage = user.role.requiresSecondFactor ? .needsEnrolment : .complete
            // Only this session, started by the link, may set up the first second factor.
            return try await startSession(
                user: user,
                stage: stage,
                mayEnrol: user.role.requiresSecondFactor,
                context: context,
                replacing: context.session
            )
        } catch let error as AccountError {
            guard error.code != .linkInvalid,
                let link = try await services.store.links.peek(token: token, purpose: .enrol, now: services.now),
                let userID = link.userID, let user = try await services.store.users.find(id: userID)
            else { return .html(AuthViews.linkInvalid(view), status: .notFound) }
            return .html(
                AuthViews.enrol(
                    view,
                    action: Routes.enrolSubmit.path(["token": token]),
                    user: user,
                    errors: messages(error, view)
                ),
                status: .badRequest
            )
        }
    }

    // MARK: - Sessions

    /// Starts a fresh session (a new id on every step up, so a planted id never gains rights) and sends the
    /// person to where that stage continues.
    private func startSession(
        user: StaffUser,
        stage: StaffSession.Stage,
        mayEnrol: Bool = false,
        context: KilpiRequestContext,
        replacing old: ActiveSession?
    ) async throws -> Response {
        let (cookie, _) = try await newSession(
            user: user,
            stage: stage,
            mayEnrol: mayEnrol,
            context: context,
            replacing: old
        )
        let target: Route =
            switch stage {
            case .complete: Routes.dashboard
            case .needsSecondFactor: Routes.secondFactor
            case .needsEnrolment: Routes.enrolSecondFactor
            }
        var response = Response.redirect(to: target.path())
        response.setCookie(cookie)
        return response
    }

    private func newSession(
        user: StaffUser,
        stage: StaffSession.Stage,
        mayEnrol: Bool = false,
        context: KilpiRequestContext,
        replacing old: ActiveSession?
    ) async throws -> (Cookie, StaffSession) {
        if let old { try await services.store.sessions.delete(id: old.id) }
        let lifetime = services.configuration.sessionAbsoluteLifetime
        let (store, userID, ip, now) = (services.store, user.id, context.remoteIP, services.now)
        let (id, session) = try await store.database.withConnection { sql in
            try await store.sessions.create(
                userID: userID,
                stage: stage,
                mayEnrol: mayEnrol,
                ip: ip,
                now: now,
                absoluteLifetime: lifetime,
                in: sql
            )
        }
        return (sessionCookie(id, lifetime: lifetime), session)
    }

    /// The session cookie for `id` (also used by the password change, which rotates the id).
    func sessionCookie(_ id: String, lifetime: TimeInterval) -> Cookie {
        Cookie(
            name: RouteRegistry.sessionCookie,
            value: id,
            maxAge: Int(lifetime),
            path: "/",
            secure: services.configuration.tls,
            httpOnly: true,
            sameSite: .lax
        )
    }

    private func clearedSessionCookie() -> Cookie {
        Cookie(
            name: RouteRegistry.sessionCookie,
            value: "",
            maxAge: 0,
            path: "/",
            secure: services.configuration.tls,
            httpOnly: true,
            sameSite: .lax
        )
    }

    /// Pages shown before sign-in carry a double-submit CSRF token: a random cookie echoed in the form.
    private func preSessionPage(
        _ request: Request,
        _ context: KilpiRequestContext,
        _ render: (ViewContext) -> HTML
    ) -> Response {
        let existing = request.cookies[RouteRegistry.preSessionCSRFCookie]?.value
        let token = (existing?.count ?? 0) >= 32 ? existing! : SecureRandom.token()
        // With a session (say, half signed in) the form check expects that session's token, not the cookie's.
        var response = Response.html(
            render(Pages.viewContext(request, context, services, csrf: context.session?.session.csrfToken ?? token))
        )
        if existing != token {
            response.setCookie(
                Cookie(
                    name: RouteRegistry.preSessionCSRFCookie,
                    value: token,
                    path: "/console",
                    secure: services.configuration.tls,
                    httpOnly: true,
                    sameSite: .strict
                )
            )
        }
        return response
    }

    private func messages(_ error: AccountError, _ view: ViewContext) -> [String] {
        if case .weakPassword(let problems) = error.code {
            return problems.map { $0.message(view.language) }
        }
        return [error.message(view.language)]
    }
}

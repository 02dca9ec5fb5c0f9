import Foundation
import HTTPTypes
import Hummingbird
import KilpiCore
import KilpiStore

/// The customers' support pages (see `Routes.supportCustomer`).
///
/// Every page is public: the key is the notice's link (`/support/:token`), or its reference code typed with the
/// customer's address (kept by `SupportCodeSession`), or, on the contact form, a code emailed to the address. Forms
/// carry the double-submit CSRF token the sign-in form uses (a `kilpi_csrf` cookie scoped to `/support`). Each
/// answer that may show a customer's page is `Cache-Control: no-store` and `Referrer-Policy: no-referrer`, so the
/// token in the path goes neither to a cache nor to another site.
struct SupportCustomerController {
    let services: AppServices

    /// How a page was opened: the notice's link, or the reference code with the address (the cookie).
    enum Door: Sendable {
        case link(String)
        case code

        var pagePath: String {
            switch self {
            case .link(let token): Routes.supportPage.path(["token": token])
            case .code: Routes.supportCodePage.path()
            }
        }

        var byCode: Bool {
            if case .code = self { return true }
            return false
        }
    }

    func register(_ routes: RouteRegistry) {
        routes.page(Routes.supportHome) { request, context in
            let csrf = csrfToken(request, context)
            return respond(csrf) {
                SupportCustomerViews.home(view(request, context, csrf: csrf.token), company: company)
            }
        }
        routes.form(Routes.supportOpen, open)
        routes.page(Routes.supportCodePage) { request, context in
            try await page(request, context, door: .code)
        }
        routes.form(Routes.supportCodeQuestion) { request, context, form in
            try await ask(request, context, form, door: .code)
        }
        routes.form(Routes.supportCodeMessage, .id) { request, context, form, id in
            try await write(request, context, form, door: .code, inquiryID: id)
        }
        routes.form(Routes.supportCodeLeave) { request, context, _ in
            var response = Response.redirect(to: Routes.supportHome.path())
            response.setCookie(SupportCodeSession.cleared(services))
            return Self.private(response)
        }
        routes.page(Routes.supportPage, .token) { request, context, token in
            try await page(request, context, door: .link(token))
        }
        routes.form(Routes.supportQuestion, .token) { request, context, form, token in
            try await ask(request, context, form, door: .link(token))
        }
        routes.form(Routes.supportMessage, .token, .id) { request, context, form, token, id in
            try await write(request, context, form, door: .link(token), inquiryID: id)
        }
        registerContact(routes)
    }

    // MARK: Opening by code and address

    @Sendable func open(_ request: Request, _ context: KilpiRequestContext, _ form: FormData) async throws -> Response {
        let view = view(request, context, csrf: form["_csrf"], path: Routes.supportHome.path())
        let code = String((form["code"] ?? "").prefix(40))
        let email = String((form["email"] ?? "").prefix(254))
        var errors: [String] = []
        if code.isEmpty {
            errors.append(
                "\(view.l("Reference code", "Viitekoodi")): \(view.l("type the code from your notice", "kirjoita ilmoituksesi koodi"))"
            )
        }
        if email.isEmpty {
            errors.append(
                "\(view.l("Email address", "Sähköpostiosoite")): \(view.l("type your email address", "kirjoita sähköpostiosoitteesi"))"
            )
        }
        guard errors.isEmpty else {
            return Self.private(
                .html(
                    SupportCustomerViews.home(view, company: company, code: code, email: email, errors: errors),
                    status: .badRequest
                )
            )
        }
        let resolution = try await services.store.supportLinks.open(
            code: code,
            email: email,
            ip: context.remoteIP,
            now: services.now
        )
        switch resolution {
        case .granted:
            let session = SupportCodeSession(
                code: code,
                email: email,
                expiresAt: services.now.addingTimeInterval(SupportCodeSession.lifetime)
            )
            var response = Response.redirect(to: Routes.supportCodePage.path())
            response.setCookie(try session.cookie(services))
            return Self.private(response)
        case .refused(let refusal):
            return refused(refusal, view: view, byCode: true)
        }
    }

    // MARK: The personal page

    /// What the door opens now: a link is resolved, a code session opened again (so a revocation counts at once).
    /// Nil with the answer to give when it opens nothing.
    func resolve(
        _ request: Request,
        _ context: KilpiRequestContext,
        door: Door,
        view: ViewContext
    ) async throws -> Result<SupportAccess, Refusal> {
        let resolution: SupportResolution
        switch door {
        case .link(let token):
            resolution = try await services.store.supportLinks.resolve(
                token: token,
                ip: context.remoteIP,
                now: services.now
            )
        case .code:
            guard let session = SupportCodeSession.read(request, services) else {
                // No cookie, or one past its half hour: type the pair again (a page, not a 401: there is no sign-in).
                var response = Response.html(
                    SupportCustomerViews.home(
                        view,
                        company: company,
                        notice: Layout.notice(
                            "info",
                            view.l(
                                "For your safety your page closes after 30 minutes. Please type the code and your address again.",
                                "Turvallisuutesi vuoksi sivusi sulkeutuu 30 minuutin jälkeen. Kirjoita koodi ja osoitteesi uudelleen."
                            )
                        )
                    )
                )
                response.setCookie(SupportCodeSession.cleared(services))
                return .failure(Refusal(response: Self.private(response)))
            }
            // The sealed cookie proves the pair was right once: no attempt counter is touched, so guesses made
            // with the customer's leaked address can never shut them out of a page they are on.
            resolution = try await services.store.supportLinks.reopen(code: session.code, email: session.email)
        }
        switch resolution {
        case .granted(let access): return .success(access)
        case .refused(let refusal):
            var response = refused(refusal, view: view, byCode: door.byCode)
            if door.byCode, refusal != .throttled { response.setCookie(SupportCodeSession.cleared(services)) }
            return .failure(Refusal(response: response))
        }
    }

    /// An answer that ends a request early.
    struct Refusal: Error, @unchecked Sendable {
        let response: Response
    }

    func page(_ request: Request, _ context: KilpiRequestContext, door: Door) async throws -> Response {
        let csrf = csrfToken(request, context)
        let probe = view(request, context, csrf: csrf.token)
        let access: SupportAccess
        switch try await resolve(request, context, door: door, view: probe) {
        case .success(let granted): access = granted
        case .failure(let refusal): return withCSRF(refusal.response, csrf)
        }
        try await services.store.supportLinks.recordOpening(access, ip: context.remoteIP, now: services.now)
        let asked = request.uri.queryParameters.get("asked") != nil
        return try await personal(request, context, access: access, door: door, csrf: csrf, asked: asked)
    }

    /// The page in the customer's language: the one chosen with `?lang=` (or remembered in the language cookie),
    /// else their notice's.
    func language(_ request: Request, _ access: SupportAccess) -> Language {
        if let chosen = Language.chosen(by: request) { return chosen }
        if let cookie = request.cookies[Language.cookieName]?.value, let language = Language(rawValue: cookie) {
            return language
        }
        return access.language
    }

    func personal(
        _ request: Request,
        _ context: KilpiRequestContext,
        access: SupportAccess,
        door: Door,
        csrf: CSRF,
        asked: Bool = false,
        draft: SupportCustomerViews.Draft? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let language = language(request, access)
        var pageContext = context
        pageContext.language = language
        let view = view(request, pageContext, csrf: csrf.token, path: door.pagePath)
        guard let model = try await SupportPageModel.load(access, language: language, services: services) else {
            return refused(.unknown, view: view, byCode: false)
        }
        let actions: SupportCustomerViews.Actions
        switch door {
        case .link(let token):
            actions = SupportCustomerViews.Actions(
                question: Routes.supportQuestion.path(["token": token]),
                message: { Routes.supportMessage.path(["token": token, "id": String($0)]) },
                leave: nil
            )
        case .code:
            actions = SupportCustomerViews.Actions(
                question: Routes.supportCodeQuestion.path(),
                message: { Routes.supportCodeMessage.path(id: $0) },
                leave: Routes.supportCodeLeave.path()
            )
        }
        return respond(csrf, status: status) {
            _ in
            SupportCustomerViews.personal(
                view,
                model,
                company: company,
                actions: actions,
                asked: asked,
                draft: draft
            )
        }
    }

    // MARK: Questions

    func ask(
        _ request: Request,
        _ context: KilpiRequestContext,
        _ form: FormData,
        door: Door
    ) async throws -> Response {
        try await post(request, context, form, door: door, inquiryID: nil)
    }

    func write(
        _ request: Request,
        _ context: KilpiRequestContext,
        _ form: FormData,
        door: Door,
        inquiryID: Int64
    ) async throws -> Response {
        try await post(request, context, form, door: door, inquiryID: inquiryID)
    }

    private func post(
        _ request: Request,
        _ context: KilpiRequestContext,
        _ form: FormData,
        door: Door,
        inquiryID: Int64?
    ) async throws -> Response {
        let csrf = CSRF.submitted(form)
        let access: SupportAccess
        switch try await resolve(request, context, door: door, view: view(request, context, csrf: csrf.token)) {
        case .success(let granted): access = granted
        case .failure(let refusal): return refusal.response
        }
        let text = form["text", trim: false] ?? ""
        let service = InquiryService(store: services.store)
        do {
            let inquiry: Inquiry
            if let inquiryID {
                inquiry = try await service.addCustomerMessage(
                    inquiryID: inquiryID,
                    from: access,
                    text: text,
                    ip: context.remoteIP,
                    now: services.now
                )
            } else {
                inquiry = try await service.create(
                    from: access,
                    language: language(request, access),
                    text: text,
                    ip: context.remoteIP,
                    now: services.now
                )
            }
            return Self.private(.redirect(to: door.pagePath + "?asked=1#inquiry-\(inquiry.id)"))
        } catch let error as SupportError where !error.isNotFound {
            var pageContext = context
            pageContext.language = language(request, access)
            let problems = SupportCustomerViews.problems(error, view(request, pageContext, csrf: csrf.token))
            return try await personal(
                request,
                context,
                access: access,
                door: door,
                csrf: csrf,
                draft: SupportCustomerViews.Draft(
                    inquiryID: inquiryID,
                    text: String(text.prefix(SupportText.maximumLength * 2)),
                    errors: problems
                ),
                status: error.isThrottled ? .tooManyRequests : .badRequest
            )
        } catch let error as SupportError where error.isNotFound {
            return Self.private(
                Pages.error(.notFound, .notFoundTitle, UIText.notFoundBody.text(context.language), context, services)
            )
        }
    }

    // MARK: Shared

    var company: String { services.configuration.controllerName }

    func refused(_ refusal: SupportRefusal, view: ViewContext, byCode: Bool) -> Response {
        let status: HTTPResponse.Status =
            switch refusal {
            case .unknown: .notFound
            case .expired, .revoked: .gone
            case .throttled: .tooManyRequests
            }
        var response = Response.html(
            SupportCustomerViews.refusal(view, company: company, refusal, byCode: byCode),
            status: status
        )
        if refusal == .throttled {
            response.headers[.retryAfter] = String(Int(services.store.supportLinks.settings.limits.window))
        }
        return Self.private(response)
    }

    typealias CSRF = PublicFormCSRF

    func csrfToken(_ request: Request, _ context: KilpiRequestContext) -> CSRF { .of(request, context) }

    func respond(
        _ csrf: CSRF,
        status: HTTPResponse.Status = .ok,
        _ render: (String) -> HTML
    ) -> Response {
        Self.private(withCSRF(.html(render(csrf.token), status: status), csrf))
    }

    /// `response` with the CSRF cookie (scoped to `/support`) set when the token is new.
    func withCSRF(_ response: Response, _ csrf: CSRF) -> Response {
        csrf.applied(to: response, path: "/support", secure: services.configuration.tls)
    }

    func respond(_ csrf: CSRF, status: HTTPResponse.Status = .ok, _ render: () -> HTML) -> Response {
        respond(csrf, status: status) { _ in render() }
    }

    func view(
        _ request: Request,
        _ context: KilpiRequestContext,
        csrf: String?,
        path: String? = nil
    ) -> ViewContext {
        ViewContext(
            language: context.language,
            user: nil,
            csrfToken: csrf ?? "",
            demo: services.configuration.demo,
            path: path ?? request.uri.path
        )
    }

    /// Never cached, never sent on as a referrer: a personal page's path is its key.
    static func `private`(_ response: Response) -> Response {
        var response = response
        response.headers[.cacheControl] = "no-store"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        return response
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import KilpiCore
import KilpiStore

/// "Is this message from us?" (`/verify` and `GET /api/public/v1/notices/verify`) and security.txt.
///
/// The page posts the code rather than putting it in the URL, so it stays out of browser history and of any
/// proxy's log (a code with the customer's address opens their support page). Answers are never cached and send
/// no referrer. The JSON answer carries no `Access-Control-Allow-Origin`: any site could otherwise make its
/// visitors' browsers guess codes for it, each from their own address.
struct NoticeVerificationController {
    let services: AppServices

    func register(_ routes: RouteRegistry) {
        routes.page(Routes.verifyNotice) { request, context in
            let csrf = PublicFormCSRF.of(request, context)
            return respond(csrf) { NoticeVerificationViews.page(view(request, context, csrf: csrf), company: company) }
        }
        routes.form(Routes.verifyNoticeCheck) { request, context, form in
            let csrf = PublicFormCSRF.submitted(form)
            let code = String((form["code"] ?? "").prefix(NoticeVerifier.maximumInputLength + 1))
            let answer = try await services.store.verifier.check(
                code: code,
                ip: context.remoteIP,
                now: services.now
            )
            let page = NoticeVerificationViews.page(
                view(request, context, csrf: csrf),
                company: company,
                code: String(code.prefix(NoticeVerifier.maximumInputLength)),
                answer: answer,
                retryMinutes: retryMinutes(answer)
            )
            var response = respond(csrf, status: status(answer)) { page }
            if case .throttled(let seconds) = answer { response.headers[.retryAfter] = String(seconds) }
            return response
        }
        routes.page(Routes.publicVerifyAPI) { request, context in
            try await verifyAPI(request, context)
        }
        routes.page(Routes.securityTxt) { _, context in
            let configuration = services.configuration
            guard !configuration.securityContacts.isEmpty else {
                return .text("No security contact is configured.\n", status: .notFound)
            }
            let file = SecurityTxt(
                contacts: configuration.securityContacts,
                policy: configuration.securityPolicy,
                canonical: Self.canonical(services.link(Routes.securityTxt.path()))
            )
            var response = Response.text(file.text(now: services.now))
            response.headers[.cacheControl] = "public, max-age=3600"
            return response
        }
    }

    private func verifyAPI(_ request: Request, _ context: KilpiRequestContext) async throws -> Response {
        var response: Response
        let code = request.uri.queryParameters.get("code") ?? ""
        if code.isEmpty {
            response = .apiError(
                .badRequest,
                code: "invalid_parameter",
                message: "Give the reference code as ?code=, like K7M4-Q2XD.",
                field: "code"
            )
        } else {
            switch try await services.store.verifier.check(code: code, ip: context.remoteIP, now: services.now) {
            case .genuine: response = try .json(Genuine(genuine: true))
            case .notOurs: response = try .json(Genuine(genuine: false))
            case .malformed:
                response = .apiError(
                    .badRequest,
                    code: "invalid_parameter",
                    message: "A reference code is eight letters and digits, like K7M4-Q2XD.",
                    field: "code"
                )
            case .throttled(let seconds):
                response = .apiError(
                    .tooManyRequests,
                    code: "throttled",
                    message: "Too many checks from this address; try again later."
                )
                response.headers[.retryAfter] = String(seconds)
            }
        }
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// The API's answer: one bit, nothing else about the notice.
    struct Genuine: Codable, Sendable {
        let genuine: Bool
    }

    // MARK: Helpers

    /// security.txt's Canonical: only an https URL of the well-known path (RFC 9116 §2.5.2, §3); behind a public URL
    /// that is plain http, or that has a path of its own, the field is left out rather than wrong.
    static func canonical(_ url: String) -> String? {
        guard SecurityTxt.problem(url: url) == nil, let parsed = URL(string: url),
            parsed.path == Routes.securityTxt.path()
        else { return nil }
        return url
    }

    var company: String { services.configuration.controllerName }

    private func status(_ answer: NoticeVerifier.Answer) -> HTTPResponse.Status {
        switch answer {
        case .genuine, .notOurs: .ok
        case .malformed: .badRequest
        case .throttled: .tooManyRequests
        }
    }

    private func retryMinutes(_ answer: NoticeVerifier.Answer) -> Int {
        guard case .throttled(let seconds) = answer else { return 0 }
        return max(1, (seconds + 59) / 60)
    }

    private func view(_ request: Request, _ context: KilpiRequestContext, csrf: PublicFormCSRF) -> ViewContext {
        ViewContext(
            language: context.language,
            user: nil,
            csrfToken: csrf.token,
            demo: services.configuration.demo,
            path: Routes.verifyNotice.path()
        )
    }

    /// The page with its CSRF cookie (scoped to the page) when new; never cached, no referrer.
    private func respond(_ csrf: PublicFormCSRF, status: HTTPResponse.Status = .ok, _ render: () -> HTML) -> Response {
        SupportCustomerController.private(
            csrf.applied(
                to: .html(render(), status: status),
                path: Routes.verifyNotice.path(),
                secure: services.configuration.tls
            )
        )
    }
}

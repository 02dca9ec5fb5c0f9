import Hummingbird
import KilpiCore

/// The double-submit CSRF token of a public form (the support pages, the trust center's code check): the request's
/// `kilpi_csrf` cookie when it has one, else a new one to set, scoped to the pages that post it. With a console
/// session (a staff member looking), the session's token, which `RouteRegistry`'s form check then expects.
struct PublicFormCSRF: Sendable {
    let token: String
    /// The cookie to set: the token when it is new, nil when the request already carries it.
    let cookie: String?

    static func of(_ request: Request, _ context: KilpiRequestContext) -> PublicFormCSRF {
        if let session = context.session { return PublicFormCSRF(token: session.session.csrfToken, cookie: nil) }
        let existing = request.cookies[RouteRegistry.preSessionCSRFCookie]?.value
        if let existing, existing.count >= 32, existing.count < 200 {
            return PublicFormCSRF(token: existing, cookie: nil)
        }
        let token = SecureRandom.token()
        return PublicFormCSRF(token: token, cookie: token)
    }

    /// The token a form came back with (already checked by `RouteRegistry`), to render the form again.
    static func submitted(_ form: FormData) -> PublicFormCSRF {
        PublicFormCSRF(token: form["_csrf"] ?? "", cookie: nil)
    }

    /// `response` with the cookie set under `path` when the token is new.
    func applied(to response: Response, path: String, secure: Bool) -> Response {
        guard let cookie else { return response }
        var response = response
        response.setCookie(
            Cookie(
                name: RouteRegistry.preSessionCSRFCookie,
                value: cookie,
                path: path,
                secure: secure,
                httpOnly: true,
                sameSite: .strict
            )
        )
        return response
    }
}

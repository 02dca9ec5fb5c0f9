import Hummingbird
import KilpiCore

/// Makes a choice of language stick: a response to a request whose `?lang=` chose a language sets the
/// `kilpi_lang` cookie, so the next page without the query (a link, a redirect, a form's answer) stays in it.
/// `Language.negotiate` reads the query first, then this cookie, then `Accept-Language`.
struct LanguageCookieMiddleware: RouterMiddleware {
    typealias Context = KilpiRequestContext
    let tls: Bool

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response = try await next(request, context)
        if let language = Language.chosen(by: request), !request.uri.path.hasPrefix("/api/"),
            request.cookies[Language.cookieName]?.value != language.rawValue
        {
            response.setCookie(Language.rememberingCookie(language, secure: tls))
        }
        return response
    }
}

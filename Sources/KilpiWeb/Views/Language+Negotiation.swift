import HTTPTypes
import Hummingbird
import KilpiCore

extension Language {
    /// The cookie that remembers a reader's choice of language.
    static let cookieName = "kilpi_lang"

    /// From `?lang=`, then the `kilpi_lang` cookie, then `Accept-Language` (by its q-values), then English.
    static func negotiate(_ request: Request) -> Language {
        if let language = chosen(by: request) { return language }
        if let cookie = request.cookies[cookieName]?.value, let language = Language(rawValue: cookie) {
            return language
        }
        if let accept = request.headers[.acceptLanguage], let language = Language.preferred(acceptLanguage: accept) {
            return language
        }
        return .en
    }

    /// The language a link asked for with `?lang=`, if it is one Kilpi has.
    static func chosen(by request: Request) -> Language? {
        request.uri.queryParameters.get("lang").flatMap { Language(rawValue: $0) }
    }

    /// The cookie that makes a choice made with `?lang=` stick: a year, every path, not readable by scripts, and
    /// sent on top-level navigation from other sites (Lax) so a link into Kilpi keeps the reader's language.
    static func rememberingCookie(_ language: Language, secure: Bool) -> Cookie {
        Cookie(
            name: cookieName,
            value: language.rawValue,
            maxAge: 365 * 24 * 3600,
            path: "/",
            secure: secure,
            httpOnly: true,
            sameSite: .lax
        )
    }
}

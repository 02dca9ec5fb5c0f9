import HTTPTypes
import Hummingbird
import KilpiCore

/// A console refusal that becomes an error page: handlers `throw` it (or return `Pages.error`, which renders the
/// same page) and the response is built where the error meets the request, in the reader's language, with the
/// layout the console uses. The API's counterpart is `APIError`.
struct PageError: HTTPResponseError, Sendable, CustomStringConvertible {
    let status: HTTPResponse.Status
    let title: UIText
    /// What went wrong, per language; the field at fault is named in it.
    let message: @Sendable (Language) -> String
    var headers: HTTPFields = [:]

    init(_ status: HTTPResponse.Status, _ title: UIText, _ message: @escaping @Sendable (Language) -> String) {
        self.status = status
        self.title = title
        self.message = message
    }

    var description: String { "\(status.code) \(message(.en))" }

    static let notFound = PageError(.notFound, .notFoundTitle) { UIText.notFoundBody.text($0) }
    static let forbidden = PageError(.forbidden, .forbiddenTitle) { UIText.forbiddenBody.text($0) }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let kilpi = context as? KilpiRequestContext
        let language = kilpi?.language ?? .en
        let view = ViewContext(
            language: language,
            user: kilpi?.session?.session.stage == .complete ? kilpi?.session?.user : nil,
            csrfToken: kilpi?.session?.session.csrfToken ?? "",
            demo: kilpi?.demo ?? false,
            path: request.uri.path
        )
        var response = Pages.errorPage(status, title, message(language), view)
        for field in headers { response.headers.append(field) }
        return response
    }
}

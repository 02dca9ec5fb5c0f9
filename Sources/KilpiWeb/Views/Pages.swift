import HTTPTypes
import Hummingbird
import KilpiCore

/// Helpers shared by the page controllers.
enum Pages {
    static func viewContext(
        _ request: Request?,
        _ context: KilpiRequestContext,
        _ services: AppServices,
        csrf: String? = nil
    ) -> ViewContext {
        ViewContext(
            language: context.language,
            user: context.session?.session.stage == .complete ? context.session?.user : nil,
            csrfToken: csrf ?? context.session?.session.csrfToken ?? "",
            demo: services.configuration.demo,
            path: request?.uri.path ?? ""
        )
    }

    static func error(
        _ status: HTTPResponse.Status,
        _ title: UIText,
        _ message: String,
        _ context: KilpiRequestContext,
        _ services: AppServices
    ) -> Response {
        errorPage(status, title, message, viewContext(nil, context, services))
    }

    /// The error page for a view context (`PageError` builds it without the services).
    static func errorPage(
        _ status: HTTPResponse.Status,
        _ title: UIText,
        _ message: String,
        _ view: ViewContext
    )
        -> Response
    {
        let body: HTML = """
            <h1>\(view.t(title))</h1>
            \(Layout.notice("error", message))
            <p><a href="\(Routes.dashboard.path())">Kilpi</a></p>
            """
        return .html(Layout.page(view.t(title), view, body: body), status: status)
    }
}

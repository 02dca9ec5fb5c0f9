import Foundation
import Hummingbird
import KilpiCore

/// The trust center's front page at `/` (the console stays under `/console`).
struct TrustCenterHomeController {
    let services: AppServices

    func register(_ routes: RouteRegistry) {
        routes.page(Routes.root) { request, context in
            let view = ViewContext(
                language: context.language,
                user: nil,
                csrfToken: "",
                demo: services.configuration.demo,
                path: Routes.root.path()
            )
            var response = Response.html(
                TrustCenterHomeViews.page(
                    view,
                    company: services.configuration.controllerName,
                    certificates: try await services.store.certificates.list(publishedOnly: true),
                    securityContacts: services.configuration.securityContacts,
                    now: services.now
                )
            )
            // As the certificates page: a minute in any cache, private when `?lang=` sets the language cookie.
            response.headers[.cacheControl] =
                Language.chosen(by: request) == nil ? "public, max-age=60" : "private, max-age=60"
            response.headers[.vary] = "Accept-Language, Cookie"
            return response
        }
    }
}

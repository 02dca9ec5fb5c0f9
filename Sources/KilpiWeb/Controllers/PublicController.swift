import Hummingbird

/// Health, metrics and the stylesheet (the site root is the trust center's: `TrustCenterHomeController`).
struct PublicController {
    let services: AppServices

    func register(_ routes: RouteRegistry) {
        routes.page(Routes.health) { _, _ in
            await services.store.database.isHealthy()
                ? .text("ok\n")
                : .text("database unavailable\n", status: .serviceUnavailable)
        }
        routes.page(Routes.metrics) { _, _ in
            .text(services.metrics.prometheusText(), contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
        routes.page(Routes.stylesheet) { _, _ in
            var response = Response.text(Stylesheet.css, contentType: "text/css; charset=utf-8")
            response.headers[.cacheControl] = "public, max-age=3600"
            return response
        }
    }
}

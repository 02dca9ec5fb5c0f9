import Hummingbird

/// Site root, health, metrics and the stylesheet.
struct PublicController {
    let services: AppServices

    func register(_ routes: RouteRegistry) {
        // The public trust center will live at `/`; until it exists the root leads to the console.
        routes.page(Routes.root) { _, _ in .redirect(to: Routes.dashboard.path(), type: .found) }
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

import Foundation
import HTTPTypes
import Hummingbird
import KilpiCore
import Logging

/// Logs one line per request and feeds `/metrics`, both keyed by the route template. Paths can carry
/// one-time tokens and query strings can carry emails, so neither is ever logged.
struct ObservabilityMiddleware: RouterMiddleware {
    typealias Context = KilpiRequestContext
    let metrics: RequestMetrics
    let services: AppServices

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        let route = Routes.match(method: request.method, path: request.uri.path)?.template ?? "unmatched"
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            // Unmatched paths never passed the route registry, which sets the language: the page's frame
            // and title must be in the same language as its message.
            var context = context
            context.language = Language.negotiate(request)
            response =
                error.status == .notFound && !request.uri.path.hasPrefix("/api/")
                ? Pages.error(.notFound, .notFoundTitle, UIText.notFoundBody.text(context.language), context, services)
                : APIError(error).response()
        } catch {
            context.logger.error("unhandled error", metadata: ["route": "\(route)", "error": "\(type(of: error))"])
            response = .apiError(.internalServerError, code: "internal", message: "Internal error; it was logged.")
        }
        let elapsed = start.duration(to: .now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        metrics.record(method: request.method.rawValue, route: route, status: response.status.code, seconds: seconds)
        context.logger.info("\(request.method.rawValue) \(route) \(response.status.code) \(Int(seconds * 1000))ms")
        return response
    }
}

extension Routes {
    /// The route whose template matches `path` (`:name` segments match any one segment).
    static func match(method: HTTPRequest.Method, path: String) -> Route? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        return splitTemplates.first { route, template in
            guard route.method == method || (method == .head && route.method == .get) else { return false }
            guard template.count == segments.count else { return false }
            return zip(template, segments).allSatisfy { $0.hasPrefix(":") || $0 == $1 }
        }?.route
    }

    /// Every route with its template's segments, split once rather than on every request.
    private static let splitTemplates: [(route: Route, template: [Substring])] = all.map {
        ($0, $0.template.split(separator: "/", omittingEmptySubsequences: true))
    }
}

import Foundation
import HTTPTypes
import Hummingbird

extension RouteRegistry {
    /// Answers the methods an API path does not have with 405 and an `Allow` header listing those it has (RFC 9110
    /// §15.5.6), in the API's error shape, instead of the router's bare 404: the path exists, the method does not.
    func answerOtherMethodsOfAPIPaths() {
        // QUERY: the safe method with a body (draft-ietf-httpbis-safe-method-w-body), which clients begin to send.
        let query = HTTPRequest.Method("QUERY")!
        let candidates: [HTTPRequest.Method] = [.get, .head, .post, .put, .patch, .delete, .options, .trace, query]
        var methodsByPath: [String: [HTTPRequest.Method]] = [:]
        for route in Routes.all where route.template.hasPrefix("/api/") {
            methodsByPath[route.template, default: []].append(route.method)
        }
        for (template, methods) in methodsByPath {
            // HEAD is not answered for GET (the router's automatic HEAD is off), so it is refused like any other.
            let allowed = candidates.filter { methods.contains($0) }
            let allow = allowed.map(\.rawValue).joined(separator: ", ")
            for method in candidates where !allowed.contains(method) {
                router.on(RouterPath(template), method: method) { _, _ in
                    var error = APIError(
                        .methodNotAllowed,
                        .methodNotAllowed,
                        "\(method.rawValue) is not allowed here; use \(allow)."
                    )
                    error.headers[.allow] = allow
                    return error.response()
                }
            }
        }
    }
}

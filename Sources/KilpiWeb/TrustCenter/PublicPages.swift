import Foundation
import Hummingbird
import KilpiCore

/// Serves a trust-center page through `PublicPageCache`: the frame for the reader's language, the answer kept
/// until the next scheduled release, private when `?lang=` sets the language cookie, 404 when `render` finds
/// nothing.
struct PublicPages {
    let services: AppServices

    func frame(_ context: KilpiRequestContext, _ path: String) -> PostPublicViews.Frame {
        PostPublicViews.Frame(
            view: ViewContext(
                language: context.language,
                user: nil,
                csrfToken: "",
                demo: services.configuration.demo,
                path: path
            ),
            company: services.configuration.controllerName
        )
    }

    func cached(
        _ request: Request,
        _ context: KilpiRequestContext,
        _ path: String,
        contentType: String = "text/html; charset=utf-8",
        render: @escaping (PostPublicViews.Frame, Date) async throws -> String?
    ) async throws -> Response {
        let now = services.now
        let frame = frame(context, path)
        let response = try await services.publicPages.respond(
            to: request,
            key: .init(path: path, language: context.language.rawValue),
            // `?lang=` sets the language cookie on this answer: no shared cache may keep it.
            privateAnswer: Language.chosen(by: request) != nil,
            at: now
        ) {
            guard let body = try await render(frame, now) else { return nil }
            return (body, contentType, try await services.store.posts.nextRelease(after: now))
        }
        return response ?? notFound(context)
    }

    func notFound(_ context: KilpiRequestContext) -> Response {
        Pages.error(.notFound, .notFoundTitle, UIText.notFoundBody.text(context.language), context, services)
    }
}

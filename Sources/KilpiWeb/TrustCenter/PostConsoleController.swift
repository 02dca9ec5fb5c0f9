import Foundation
import Hummingbird
import KilpiCore
import KilpiStore

/// The console's trust-center posts (see `Routes.trustCenterPosts`): write, edit, approve, correct, withdraw.
/// Every change that can alter a public page clears the public page cache.
struct PostConsoleController {
    let services: AppServices

    func register(_ routes: RouteRegistry) {
        routes.page(Routes.posts) { request, context in
            var form = PostConsoleViews.Form()
            if let topic = request.uri.queryParameters.get("guide").flatMap({ GuideTopic(rawValue: String($0)) }) {
                let language = Language.chosen(by: request) ?? context.language
                form = PostConsoleViews.Form(guide: topic, language: language)
            } else if let incident = request.uri.queryParameters.get("incident").flatMap({ Int64(String($0)) }) {
                form = PostConsoleViews.Form(incident: incident)
            }
            return try await list(request, context, form: form, problems: [])
        }
        routes.form(Routes.postCreate) { request, context, form in
            let typed = PostConsoleViews.Form(form)
            let checked = PostInput.checked(typed.fields)
            guard let input = checked.input else {
                return try await list(request, context, form: typed, problems: checked.problems, status: .badRequest)
            }
            do {
                let post = try await services.store.posts.draft(input, by: context.caller, now: services.now)
                return .redirect(to: Routes.post.path(id: post.id))
            } catch let error as PostError {
                return try await list(request, context, form: typed, problems: error.problems, status: .badRequest)
            }
        }
        routes.page(Routes.post, .id) { request, context, id in
            try await detail(request, context, id)
        }
        routes.form(Routes.postEdit, .id) { request, context, form, id in
            let typed = PostConsoleViews.Form(form)
            let checked = PostInput.checked(typed.fields)
            guard let input = checked.input else {
                return try await detail(
                    request,
                    context,
                    id,
                    form: typed,
                    problems: checked.problems,
                    status: .badRequest
                )
            }
            return try await change(request, context, id, form: typed) {
                try await services.store.posts.edit(id: id, input, by: $0, now: $1)
            }
        }
        routes.form(Routes.postPublish, .id) { request, context, form, id in
            try await change(request, context, id) {
                try await services.store.posts.publish(id: id, seen: try Self.seen(form), by: $0, now: $1)
            }
        }
        routes.form(Routes.postCorrect, .id) { request, context, form, id in
            var typed = PostConsoleViews.Form(form)
            typed.fields["note"] = String((form["note"] ?? "").prefix(PublicPost.noteLimit + 100))
            return try await change(request, context, id, form: typed) { caller, now in
                try await services.store.posts.correct(
                    id: id,
                    title: form["title"] ?? "",
                    body: form["body", trim: false] ?? "",
                    note: form["note"] ?? "",
                    by: caller,
                    now: now
                )
            }
        }
        routes.form(Routes.postCorrectionApprove, .id) { request, context, form, id in
            try await change(request, context, id) {
                try await services.store.posts.approveCorrection(id: id, seen: try Self.seen(form), by: $0, now: $1)
            }
        }
        routes.form(Routes.postWithdraw, .id) { request, context, _, id in
            try await change(request, context, id) { try await services.store.posts.withdraw(id: id, by: $0, now: $1) }
        }
    }

    /// The version (writing time, epoch milliseconds) of the text the approver had on their page.
    static func seen(_ form: FormData) throws -> Date {
        guard let value = form["version"].flatMap({ Int64($0) }) else { throw PostError.versionMissing }
        return Date(epochMilliseconds: value)
    }

    private func change(
        _ request: Request,
        _ context: KilpiRequestContext,
        _ id: Int64,
        form: PostConsoleViews.Form? = nil,
        _ body: (Caller, Date) async throws -> PublicPost
    ) async throws -> Response {
        guard try await services.store.posts.find(id: id) != nil else { return notFound(context) }
        do {
            let post = try await body(context.caller, services.now)
            services.publicPages.invalidate()
            return .redirect(to: Routes.post.path(id: post.id))
        } catch let error as PostError {
            let status: HTTPResponse.Status =
                error.problems.contains { $0.field == "state" || $0.field == "post" } ? .conflict : .badRequest
            return try await detail(request, context, id, form: form, problems: error.problems, status: status)
        }
    }

    private func choices() async throws -> PostConsoleViews.Choices {
        let incidents = try await services.store.incidents.list(now: services.now).map(\.incident)
        return PostConsoleViews.Choices(incidents: incidents, campaigns: try await services.store.campaigns.all())
    }

    private func names() async throws -> [String: String] {
        Dictionary(
            try await services.store.users.all().map { ("user:\($0.id)", $0.displayName) },
            uniquingKeysWith: { first, _ in first }
        )
    }

    private func list(
        _ request: Request,
        _ context: KilpiRequestContext,
        form: PostConsoleViews.Form,
        problems: [FieldProblem],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let view = Pages.viewContext(request, context, services)
        return .html(
            PostConsoleViews.list(
                view.at(Routes.posts.path()),
                try await services.store.posts.all(),
                try await choices(),
                names: try await names(),
                now: services.now,
                form: form,
                problems: problems
            ),
            status: status
        )
    }

    private func detail(
        _ request: Request,
        _ context: KilpiRequestContext,
        _ id: Int64,
        form: PostConsoleViews.Form? = nil,
        problems: [FieldProblem] = [],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        guard let post = try await services.store.posts.find(id: id) else { return notFound(context) }
        let view = Pages.viewContext(request, context, services)
        var progress: (delivered: Int64, reachable: Int64)?
        if let hold = post.hold { progress = try await services.store.posts.holdProgress(hold) }
        let page = PostConsoleViews.Detail(
            post: post,
            history: try await services.store.posts.history(id: id),
            progress: progress,
            names: try await names(),
            choices: try await choices(),
            form: form,
            problems: problems
        )
        return .html(
            PostConsoleViews.detail(view.at(Routes.post.path(id: id)), page, now: services.now),
            status: status
        )
    }

    private func notFound(_ context: KilpiRequestContext) -> Response {
        Pages.error(.notFound, .notFoundTitle, UIText.notFoundBody.text(context.language), context, services)
    }
}

extension ViewContext {
    /// The same context for the page at `path` (a refused POST answers with the page it came from).
    func at(_ path: String) -> ViewContext {
        ViewContext(language: language, user: user, csrfToken: csrfToken, demo: demo, path: path)
    }
}

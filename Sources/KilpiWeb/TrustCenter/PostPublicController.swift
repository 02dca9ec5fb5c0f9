import Foundation
import HTTPTypes
import Hummingbird
import KilpiCore
import KilpiMarkdown
import KilpiStore

/// The trust center's public posts, guides, feeds and JSON (see `Routes.trustCenterPosts`), served through
/// `PublicPageCache`: rendered once per language until something changes, answered 304 when unchanged.
struct PostPublicController {
    let services: AppServices

    /// What the updates list and its feed hold (advisories and guides have pages of their own).
    static let updateKinds: [PublicPost.Kind] = [.update, .incidentUpdate, .publicCommunication]

    func register(_ routes: RouteRegistry) {
        routes.page(Routes.publicUpdates) { request, context in
            try await cached(request, context, Routes.publicUpdates.path()) { frame, now in
                let posts = try await services.store.posts.publicPosts(kinds: Self.updateKinds, now: now)
                return PostPublicViews.updates(frame, posts).rendered
            }
        }
        routes.page(Routes.publicUpdate, .id) { request, context, id in
            try await cached(request, context, Routes.publicUpdate.path(id: id)) { frame, now in
                guard let post = try await services.store.posts.publicPost(id: id, now: now), post.kind != .guide
                else { return nil }
                var incident: Incident?
                if let incidentID = post.incidentID {
                    incident = try await services.store.incidents.find(id: incidentID)
                }
                return PostPublicViews.post(
                    frame,
                    post,
                    history: try await services.store.posts.history(id: id),
                    incident: incident
                ).rendered
            }
        }
        routes.page(Routes.publicAdvisories) { request, context in
            try await cached(request, context, Routes.publicAdvisories.path()) { frame, now in
                let posts = try await services.store.posts.publicPosts(kinds: [.advisory], now: now)
                return PostPublicViews.advisories(frame, posts).rendered
            }
        }
        routes.page(Routes.publicIncident, .id) { request, context, id in
            try await cached(request, context, Routes.publicIncident.path(id: id)) { frame, now in
                // Only an incident the company has said something about in public has a public page.
                let posts = try await services.store.posts.publicPosts(
                    kinds: Self.updateKinds,
                    incidentID: id,
                    now: now
                )
                guard !posts.isEmpty, let incident = try await services.store.incidents.find(id: id) else {
                    return nil
                }
                return PostPublicViews.incident(frame, incident, posts).rendered
            }
        }
        routes.page(Routes.publicGuides) { request, context in
            try await cached(request, context, Routes.publicGuides.path()) { frame, now in
                var entries: [PostPublicViews.GuideEntry] = []
                for topic in GuideTopic.allCases {
                    let guide = try await guide(topic, frame.view.language, now: now)
                    entries.append(
                        .init(topic: topic, title: guide.title, summary: guide.summary, language: guide.language)
                    )
                }
                return PostPublicViews.guides(frame, entries).rendered
            }
        }
        routes.page(Routes.publicGuide, .key) { request, context, key in
            guard let topic = GuideTopic(rawValue: key) else { return notFound(context) }
            return try await cached(request, context, Routes.publicGuide.path(["id": key])) { frame, now in
                let guide = try await guide(topic, frame.view.language, now: now)
                return PostPublicViews.guide(
                    frame,
                    title: guide.title,
                    markdown: guide.markdown,
                    language: guide.language,
                    updated: guide.updated
                ).rendered
            }
        }
        routes.page(Routes.feedUpdates) { request, context in
            try await feed(request, context, Routes.feedUpdates, page: Routes.publicUpdates.path()) { view, now in
                (
                    view.l("Updates", "Päivitykset"),
                    try await services.store.posts.publicPosts(kinds: Self.updateKinds, now: now, limit: 50)
                )
            }
        }
        routes.page(Routes.feedAdvisories) { request, context in
            try await feed(request, context, Routes.feedAdvisories, page: Routes.publicAdvisories.path()) { view, now in
                (
                    view.l("Security advisories", "Tietoturvatiedotteet"),
                    try await services.store.posts.publicPosts(kinds: [.advisory], now: now, limit: 50)
                )
            }
        }
        routes.page(Routes.feedIncident, .id) { request, context, id in
            try await feed(
                request,
                context,
                Routes.feedIncident,
                id: id,
                page: Routes.publicIncident.path(id: id)
            ) { view, now in
                let posts = try await services.store.posts.publicPosts(
                    kinds: Self.updateKinds,
                    incidentID: id,
                    now: now
                )
                guard !posts.isEmpty, let incident = try await services.store.incidents.find(id: id) else {
                    return nil
                }
                return (PostPublicViews.incidentTitle(incident, view), posts)
            }
        }
        routes.page(Routes.publicUpdatesAPI) { request, context in
            try await json(request, context, Routes.publicUpdatesAPI.path(), kinds: Self.updateKinds)
        }
        routes.page(Routes.publicAdvisoriesAPI) { request, context in
            try await json(request, context, Routes.publicAdvisoriesAPI.path(), kinds: [.advisory])
        }
    }

    // MARK: Guides

    struct Guide {
        let title: String
        let summary: String
        let markdown: String
        let language: Language
        let updated: Date?
    }

    /// The edited guide for `topic` in `language` if one is public, else the shipped one.
    func guide(_ topic: GuideTopic, _ language: Language, now: Date) async throws -> Guide {
        if let edited = try await services.store.posts.guide(topic, language: language, now: now) {
            return Guide(
                title: edited.title,
                summary: PublicMarkdown.excerpt(edited.body, limit: 200),
                markdown: edited.body,
                language: edited.language,
                updated: edited.correctedAt ?? edited.releasedAt
            )
        }
        let shipped = ShippedGuides.guide(topic, language)
        return Guide(
            title: shipped.title,
            summary: shipped.summary,
            markdown: shipped.markdown,
            language: shipped.language,
            updated: nil
        )
    }

    // MARK: Serving

    private func cached(
        _ request: Request,
        _ context: KilpiRequestContext,
        _ path: String,
        contentType: String = "text/html; charset=utf-8",
        render: @escaping (PostPublicViews.Frame, Date) async throws -> String?
    ) async throws -> Response {
        try await PublicPages(services: services).cached(
            request,
            context,
            path,
            contentType: contentType,
            render: render
        )
    }

    private func feed(
        _ request: Request,
        _ context: KilpiRequestContext,
        _ route: Route,
        id: Int64? = nil,
        page: String,
        posts: @escaping (ViewContext, Date) async throws -> (title: String, posts: [PublicPost])?
    ) async throws -> Response {
        let path = id.map { route.path(id: $0) } ?? route.path()
        return try await cached(request, context, path, contentType: "application/atom+xml; charset=utf-8") {
            frame,
            now in
            guard let found = try await posts(frame.view, now) else { return nil }
            return AtomFeed(
                title: "\(found.title) · \(frame.company)",
                selfURL: services.link(path),
                pageURL: services.link(page),
                company: frame.company,
                language: frame.view.language,
                posts: found.posts,
                postURL: { services.link(Routes.publicUpdate.path(id: $0.id)) },
                emptyUpdated: Date(timeIntervalSince1970: 0)
            ).xml()
        }
    }

    /// The public JSON of posts, for any site to read (CORS open: nothing here is secret).
    private func json(
        _ request: Request,
        _ context: KilpiRequestContext,
        _ path: String,
        kinds: [PublicPost.Kind]
    ) async throws -> Response {
        // The same for every language: one key.
        let response = try await services.publicPages.respond(
            to: request,
            key: .init(path: path, language: "*"),
            privateAnswer: false,
            at: services.now
        ) {
            let now = services.now
            let posts = try await services.store.posts.publicPosts(kinds: kinds, now: now).map {
                PublicPostJSON($0, url: services.link(Routes.publicUpdate.path(id: $0.id)))
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            let body = String(decoding: try encoder.encode(PublicPostsJSON(posts: posts)), as: UTF8.self)
            return (body, "application/json; charset=utf-8", try await services.store.posts.nextRelease(after: now))
        }
        var answer = response ?? notFound(context)
        answer.headers[HTTPField.Name("Access-Control-Allow-Origin")!] = "*"
        return answer
    }

    private func notFound(_ context: KilpiRequestContext) -> Response {
        PublicPages(services: services).notFound(context)
    }
}

/// A post as the public JSON shows it: what the page shows, the body as Markdown and as sanitised HTML.
struct PublicPostJSON: Codable, Sendable {
    let id: Int64
    let kind: String
    let language: String
    let title: String
    let markdown: String
    let html: String
    let severity: String?
    let products: String?
    let incident: Int64?
    let published: Date?
    let corrected: Date?
    let correctionNote: String?
    let url: String

    init(_ post: PublicPost, url: String) {
        id = post.id
        kind = post.kind.rawValue
        language = post.language.rawValue
        title = post.title
        markdown = post.body
        html = PublicMarkdown.html(post.body)
        severity = post.severity?.rawValue
        products = post.products
        incident = post.incidentID
        published = post.releasedAt
        corrected = post.correctedAt
        correctionNote = post.correctionNote
        self.url = url
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, language, title, markdown, html, severity, products, incident, published, corrected, url
        case correctionNote = "correction_note"
    }
}

struct PublicPostsJSON: Codable, Sendable {
    let posts: [PublicPostJSON]
}

import Foundation
import Hummingbird
import KilpiCore

/// The trust center's front page at `/` (the console stays under `/console`).
struct TrustCenterHomeController {
    let services: AppServices

    func register(_ routes: RouteRegistry) {
        routes.page(Routes.root) { request, context in
            try await PublicPages(services: services).cached(request, context, Routes.root.path()) { frame, now in
                var incidents: [Incident] = []
                for id in try await services.store.posts.publicIncidentIDs(now: now) {
                    if let incident = try await services.store.incidents.find(id: id), incident.status.isOpen {
                        incidents.append(incident)
                    }
                }
                return TrustCenterHomeViews.page(
                    frame.view,
                    company: frame.company,
                    certificates: try await services.store.certificates.list(publishedOnly: true),
                    securityContacts: services.configuration.securityContacts,
                    incidents: incidents,
                    latest: try await services.store.posts.publicPosts(
                        kinds: PostPublicController.updateKinds,
                        now: now,
                        limit: 3
                    ),
                    measures: try await services.store.measures.list(publicOnly: true),
                    now: now
                ).rendered
            }
        }
    }
}

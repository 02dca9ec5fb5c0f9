import Foundation
import HTTPTypes
import Hummingbird
import KilpiCore
import KilpiStore

/// The certificates register in the console, and its public page and JSON (see `Routes.trustCenter`).
struct CertificateController {
    let services: AppServices

    func register(_ routes: RouteRegistry) {
        routes.page(Routes.certificates) { request, context in
            try await register(request, context)
        }
        routes.form(Routes.certificateCreate) { request, context, form in
            let typed = CertificateViews.Form(form)
            let checked = typed.checked
            guard let input = checked.input else {
                return try await register(request, context, editing: (nil, typed, checked.problems))
            }
            let made = try await services.store.certificates.create(input, by: context.caller, now: services.now)
            services.publicPages.invalidate()
            return .redirect(to: Routes.certificates.path() + "#certificate-\(made.id)")
        }
        routes.form(Routes.certificateUpdate, .id) { request, context, form, id in
            guard try await services.store.certificates.find(id: id) != nil else { return notFound(context) }
            let typed = CertificateViews.Form(form)
            let checked = typed.checked
            guard let input = checked.input else {
                return try await register(request, context, editing: (id, typed, checked.problems))
            }
            guard
                try await services.store.certificates.update(id: id, input, by: context.caller, now: services.now)
                    != nil
            else { return notFound(context) }
            services.publicPages.invalidate()
            return .redirect(to: Routes.certificates.path() + "#certificate-\(id)")
        }
        routes.form(Routes.certificateRemove, .id) { _, context, _, id in
            guard try await services.store.certificates.remove(id: id, by: context.caller, now: services.now) else {
                return notFound(context)
            }
            services.publicPages.invalidate()
            return .redirect(to: Routes.certificates.path())
        }
        routes.page(Routes.publicCertificates) { request, context in
            try await PublicPages(services: services).cached(request, context, Routes.publicCertificates.path()) {
                frame,
                now in
                CertificateViews.publicPage(
                    frame.view,
                    company: frame.company,
                    try await services.store.certificates.list(publishedOnly: true),
                    now: now
                ).rendered
            }
        }
        routes.page(Routes.publicCertificatesAPI) { _, _ in
            let now = services.now
            let listed = try await services.store.certificates.list(publishedOnly: true).map {
                PublicCertificate($0, now: now)
            }
            var response = try Response.json(PublicCertificates(certificates: listed))
            response.headers[.cacheControl] = "public, max-age=60"
            response.headers[HTTPField.Name("Access-Control-Allow-Origin")!] = "*"
            return response
        }
    }

    /// The register page; with `editing`, a refused form shown again with its problems (400).
    private func register(
        _ request: Request,
        _ context: KilpiRequestContext,
        editing: (id: Int64?, form: CertificateViews.Form, problems: [FieldProblem])? = nil
    ) async throws -> Response {
        let view = Pages.viewContext(request, context, services)
        let shown = ViewContext(
            language: view.language,
            user: view.user,
            csrfToken: view.csrfToken,
            demo: view.demo,
            path: Routes.certificates.path()
        )
        let page = CertificateViews.register(
            shown,
            try await services.store.certificates.list(),
            now: services.now,
            editing: editing
        )
        return .html(page, status: editing == nil ? .ok : .badRequest)
    }

    private func notFound(_ context: KilpiRequestContext) -> Response {
        Pages.error(.notFound, .notFoundTitle, UIText.notFoundBody.text(context.language), context, services)
    }

    /// A published certificate as the public JSON gives it: days as `YYYY-MM-DD`, the state on today's date.
    struct PublicCertificate: Codable, Sendable, Equatable {
        let standard: String
        let issuer: String
        let scope: String
        let validFrom: String
        let validUntil: String
        /// `valid`, `expired` or `not_yet_valid` (expiring soon is still `valid` to the public).
        let status: String

        init(_ certificate: Certificate, now: Date) {
            standard = certificate.standard
            issuer = certificate.issuer
            scope = certificate.scope
            validFrom = CertificateViews.day(certificate.validFrom)
            validUntil = CertificateViews.day(certificate.validUntil)
            status =
                switch certificate.status(now: now) {
                case .valid, .expiringSoon: "valid"
                case .expired: "expired"
                case .notYetValid: "not_yet_valid"
                }
        }
    }

    struct PublicCertificates: Codable, Sendable {
        let certificates: [PublicCertificate]
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import KilpiCore
import KilpiStore

/// The public contact form: the address first gets a one-time code (`ContactFormService.start`; helper M's outbox
/// mails it), then the code and the question make an inquiry (`submit`). Every answer is the same whether or not
/// the address is a customer's: the code step says "we sent a code" for any plausible address, and the receipt
/// is one page.
extension SupportCustomerController {
    func registerContact(_ routes: RouteRegistry) {
        routes.page(Routes.supportContact) { request, context in
            let csrf = csrfToken(request, context)
            let incidents = try await contactIncidents()
            let chosen = request.uri.queryParameters.get("incident").flatMap { Int64($0) }
            return respond(csrf) {
                SupportCustomerViews.contact(
                    view(request, context, csrf: csrf.token),
                    company: company,
                    incidents: incidents,
                    incidentID: chosen
                )
            }
        }
        routes.form(Routes.supportContactStart, contactStart)
        routes.form(Routes.supportContactVerify, contactVerify)
    }

    /// The incidents whose customers were notified (a campaign that started), newest first, by the title the
    /// notices gave them.
    func contactIncidents() async throws -> [SupportCustomerViews.ContactIncident] {
        let campaigns = try await services.store.campaigns.all(states: [.running, .paused, .completed])
        var seen: Set<Int64> = []
        var incidents: [SupportCustomerViews.ContactIncident] = []
        for campaign in campaigns.sorted(by: { $0.id > $1.id }) where seen.insert(campaign.incidentID).inserted {
            let title: String
            if let frozen = campaign.incidentContent {
                title = frozen.title
            } else if let incident = try await services.store.incidents.find(id: campaign.incidentID) {
                title = incident.title
            } else {
                continue
            }
            incidents.append(SupportCustomerViews.ContactIncident(id: campaign.incidentID, title: title))
        }
        return incidents
    }

    @Sendable func contactStart(
        _ request: Request,
        _ context: KilpiRequestContext,
        _ form: FormData
    ) async throws -> Response {
        let view = view(request, context, csrf: form["_csrf"], path: Routes.supportContact.path())
        let email = String((form["email"] ?? "").prefix(254))
        let incidents = try await contactIncidents()
        let incidentID = form["incident"].flatMap { Int64($0) }
        func again(_ errors: [String], _ status: HTTPResponse.Status) -> Response {
            Self.private(
                .html(
                    SupportCustomerViews.contact(
                        view,
                        company: company,
                        incidents: incidents,
                        email: email,
                        incidentID: incidentID,
                        errors: errors
                    ),
                    status: status
                )
            )
        }
        // Only an incident the form offers: the form is no way to learn which other incidents exist.
        guard let incidentID, incidents.contains(where: { $0.id == incidentID }) else {
            return again(
                ["\(view.l("Incident", "Tapaus")): \(view.l("choose one from the list", "valitse luettelosta"))"],
                .badRequest
            )
        }
        do {
            let verification = try await ContactFormService(store: services.store).start(
                email: email,
                incidentID: incidentID,
                language: context.language,
                ip: context.remoteIP,
                now: services.now
            )
            return Self.private(
                .html(
                    SupportCustomerViews.contactVerify(
                        view,
                        company: company,
                        challenge: verification.challenge,
                        email: verification.email
                    )
                )
            )
        } catch let error as SupportError {
            return again(
                SupportCustomerViews.problems(error, view),
                error.isThrottled ? .tooManyRequests : .badRequest
            )
        }
    }

    @Sendable func contactVerify(
        _ request: Request,
        _ context: KilpiRequestContext,
        _ form: FormData
    ) async throws -> Response {
        let view = view(request, context, csrf: form["_csrf"], path: Routes.supportContact.path())
        let challenge = String((form["challenge"] ?? "").prefix(200))
        let email = String((form["email"] ?? "").prefix(254))
        let text = form["text", trim: false] ?? ""
        do {
            _ = try await ContactFormService(store: services.store).submit(
                challenge: challenge,
                code: String((form["code"] ?? "").prefix(20)),
                text: text,
                language: context.language,
                ip: context.remoteIP,
                now: services.now
            )
            return Self.private(.html(SupportCustomerViews.receipt(view, company: company)))
        } catch let error as SupportError {
            return Self.private(
                .html(
                    SupportCustomerViews.contactVerify(
                        view,
                        company: company,
                        challenge: challenge,
                        email: email,
                        text: String(text.prefix(SupportText.maximumLength * 2)),
                        errors: SupportCustomerViews.problems(error, view)
                    ),
                    status: error.isThrottled ? .tooManyRequests : .badRequest
                )
            )
        }
    }
}

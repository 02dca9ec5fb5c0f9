import Foundation
import Hummingbird
import KilpiCore
import KilpiStore

/// The notices half of the JSON API: templates (list, read, save a draft version, approve: four eyes) and
/// campaigns (list and create per incident, read with progress, recipients by state, start, pause, resume,
/// cancel, retry failed). The same service and rules as the console; every change audited with the token as actor.
/// Recipients carry the customer's external id only for a role that sees customer ids (absent otherwise), and
/// never an address.
struct NoticeAPIController {
    let services: AppServices

    struct NoticeTemplateDTO: Codable, Sendable {
        let id: Int64
        /// `general` or a threat kind.
        let key: String
        let language: Language
        let version: Int
        let approved: Bool
        let createdBy: String
        let createdAt: Date
        let approvedBy: String?
        let approvedAt: Date?
        /// Present when one version is read (and after saving), absent in the list.
        var subject: String?
        var text: String?
        var html: String?

        init(_ v: NoticeTemplateVersion, withText: Bool) {
            id = v.id
            key = v.key
            language = v.language
            version = v.version
            approved = v.isApproved
            createdBy = v.createdBy
            createdAt = v.createdAt
            approvedBy = v.approvedBy
            approvedAt = v.approvedAt
            if withText {
                subject = v.text.subject
                text = v.text.text
                html = v.text.html
            }
        }
    }
    struct NoticeTemplateBody: Decodable {
        /// `general` or a threat kind's value.
        let key: String
        let language: Language
        let subject: String
        let text: String
        let html: String
    }
    struct CampaignSettingsDTO: Codable, Sendable {
        let ratePerSecond: Double
        let concurrency: Int
        let errorThreshold: Double
    }
    struct CampaignProgressDTO: Codable, Sendable {
        /// Notices per outbox state (every state listed).
        let counts: [String: Int]
        let total: Int
        /// Notices not yet in a final state.
        let remaining: Int
        /// Customers who get English because their own language has no approved template.
        let englishFallback: Int
        /// Notices accepted per second over the last minute.
        let recentRate: Double
        /// Absent when nothing is moving or nothing is left.
        let estimatedSecondsLeft: Double?
        init(_ p: CampaignProgress) {
            counts = Dictionary(uniqueKeysWithValues: p.counts.map { ($0.key.rawValue, $0.value) })
            total = p.total
            remaining = p.remaining
            englishFallback = p.englishFallback
            recentRate = p.recentRate
            estimatedSecondsLeft = p.estimatedSecondsLeft
        }
    }
    /// From becoming aware of the incident to the SMTP server accepting each notice, in seconds.
    struct TimeToNotifyDTO: Codable, Sendable {
        let sent: Int
        let p50: Double?
        let p90: Double?
        let max: Double?
        let measuredFrom: Date?
        init(_ t: TimeToNotify) {
            sent = t.count
            p50 = t.p50
            p90 = t.p90
            max = t.max
            measuredFrom = t.measuredFrom
        }
    }
    struct CampaignDTO: Codable, Sendable {
        let id: Int64
        let incidentId: Int64
        let scopeVersionId: Int64
        let audience: NoticeAudience
        let followUpOf: Int64?
        let templateKey: String
        /// Language → the pinned template version's id.
        let templates: [String: Int64]
        let state: NoticeCampaignState
        let settings: CampaignSettingsDTO
        let recipients: Int
        let skipped: Int
        let englishFallback: Int
        let createdBy: String
        let createdAt: Date
        let startedAt: Date?
        let completedAt: Date?
        let progress: CampaignProgressDTO
        let timeToNotify: TimeToNotifyDTO
    }
    struct CampaignBody: Decodable {
        let scopeVersionId: Int64
        /// `all` unless said otherwise.
        let audience: NoticeAudience?
        /// The campaign a follow-up (`added`, `widened`) follows up.
        let followUpOf: Int64?
        /// `general` unless said otherwise.
        let templateKey: String?
        let ratePerSecond: Double?
        let concurrency: Int?
        let errorThreshold: Double?
    }
    struct ApprovalBody: Decodable {
        /// `true` approves the version (someone other than its writer: four eyes); an approval cannot be withdrawn
        /// (save a new version instead).
        let approved: Bool
    }
    struct ActionBody: Decodable {
        /// `start` (ready), `pause` (sending), `resume` (paused), `cancel`, or `retry_failed` (queue the failed and
        /// bounced notices again).
        let action: NoticeViews.CampaignAction
    }
    struct RecipientDTO: Codable, Sendable {
        let id: Int64
        /// The customer's external id: only for a role that sees customer ids, absent for others.
        let externalId: String?
        let state: OutboxState
        let skipReason: NoticeSkipReason?
        let language: Language
        let englishFallback: Bool
        let attempts: Int
        /// The mail server's last reply (addresses in it replaced by `[address]`).
        let lastReply: String?
        let queuedAt: Date
        let firstAttemptAt: Date?
        let sentAt: Date?
        let nextAttemptAt: Date?
    }
    struct RecipientsDTO: Codable, Sendable {
        let items: [RecipientDTO]
        /// The `after` of the next page; absent on the last.
        let next: Int64?
    }

    static let recipientsQuery: [QueryParameter] = [
        QueryParameter(
            name: "state",
            schema: .enumeration(OutboxState.allCases.map(\.rawValue)),
            description: "Only notices in this state"
        ),
        QueryParameter(
            name: "after",
            schema: .integer(minimum: 0),
            description: "Paging: only rows with a larger id (the previous page's `next`)"
        ),
        QueryParameter(
            name: "limit",
            schema: .integer(format: "int32", minimum: 1, maximum: 1000),
            description: "At most this many rows (default 100)"
        ),
    ]

    func register(_ routes: RouteRegistry) {
        routes.api(Routes.apiNoticeTemplates) { _, _ in
            var items: [NoticeTemplateDTO] = []
            for latest in try await services.store.noticeTemplates.latest() {
                items += try await services.store.noticeTemplates.versions(key: latest.key, language: latest.language)
                    .map { NoticeTemplateDTO($0, withText: false) }
            }
            return try .json(APIController.ListOf(items: items))
        }
        routes.api(Routes.apiNoticeTemplateCreate) { request, context in
            try await handle(context) {
                let body = try await APIBody.decode(NoticeTemplateBody.self, request, context)
                let saved = try await services.notices.saveTemplate(
                    key: body.key,
                    language: body.language,
                    text: NoticeTemplateText(subject: body.subject, text: body.text, html: body.html),
                    by: context.caller,
                    now: services.now
                )
                return try .json(NoticeTemplateDTO(saved, withText: true), status: .created)
            }
        }
        routes.api(Routes.apiNoticeTemplate, .id) { _, _, id in
            guard let version = try await services.store.noticeTemplates.find(id: id) else {
                throw APIError.notFound("No such template version.")
            }
            return try .json(NoticeTemplateDTO(version, withText: true))
        }
        routes.api(Routes.apiNoticeTemplateApprove, .id) { request, context, id in
            try await handle(context) {
                let body = try await APIBody.decode(ApprovalBody.self, request, context)
                guard body.approved else {
                    throw APIError.invalid(
                        [
                            FieldProblem(
                                "approved",
                                .l(
                                    "an approval cannot be withdrawn: save a new version instead",
                                    "hyväksyntää ei voi perua: tallenna sen sijaan uusi versio"
                                )
                            )
                        ],
                        language: context.language
                    )
                }
                guard try await services.store.noticeTemplates.find(id: id) != nil else {
                    throw APIError.notFound("No such template version.")
                }
                let approved = try await services.notices.approveTemplate(id: id, by: context.caller, now: services.now)
                return try .json(NoticeTemplateDTO(approved, withText: true))
            }
        }
        routes.api(Routes.apiCampaigns, .id) { _, _, id in
            let incident = try await incident(id)
            var items: [CampaignDTO] = []
            for campaign in try await services.store.campaigns.list(incidentID: incident.id) {
                items.append(try await dto(campaign))
            }
            return try .json(APIController.ListOf(items: items))
        }
        routes.api(Routes.apiCampaignCreate, .id) { request, context, id in
            try await handle(context) {
                let incident = try await incident(id)
                let body = try await APIBody.decode(CampaignBody.self, request, context)
                let defaults = NoticeCampaignSettings()
                let campaign = try await services.notices.createCampaign(
                    incidentID: incident.id,
                    scopeVersionID: body.scopeVersionId,
                    audience: body.audience ?? .all,
                    followUpOf: body.followUpOf,
                    templateKey: body.templateKey ?? NoticeTemplateVersion.generalKey,
                    settings: NoticeCampaignSettings(
                        ratePerSecond: body.ratePerSecond ?? defaults.ratePerSecond,
                        concurrency: body.concurrency ?? defaults.concurrency,
                        errorThreshold: body.errorThreshold ?? defaults.errorThreshold
                    ),
                    by: context.caller,
                    now: services.now
                )
                return try .json(try await dto(campaign), status: .created)
            }
        }
        routes.api(Routes.apiCampaign, .id) { _, _, id in
            try .json(try await dto(try await campaign(id)))
        }
        routes.api(Routes.apiCampaignRecipients, .id) { request, context, id in
            let campaign = try await campaign(id)
            let query = try APIQuery.read(request, Self.recipientsQuery, language: context.language)
            let limit = Int(query.integer("limit") ?? 100)
            let rows = try await services.store.outbox.recipients(
                campaignID: campaign.id,
                state: query.string("state").flatMap(OutboxState.init(rawValue:)),
                after: query.integer("after") ?? 0,
                limit: limit
            )
            // API routes always have a token here; without one, shape for the role that sees least.
            let role = context.apiToken?.role ?? .viewer
            var externalIDs: [Int64: String] = [:]
            if AccessPolicy.shows(.customerIDs, to: role), !rows.isEmpty {
                externalIDs = try await services.store.customers.find(ids: rows.map(\.customerID))
                    .mapValues(\.externalID)
                try await services.store.audit.append(
                    context.caller.event(
                        .exposureView,
                        target: "incident:\(campaign.incidentID)",
                        detail: "campaign:\(campaign.id) recipients: \(rows.count) shown"
                    ),
                    now: services.now
                )
            }
            return try .json(
                RecipientsDTO(
                    items: rows.map { row in
                        RecipientDTO(
                            id: row.id,
                            externalId: externalIDs[row.customerID],
                            state: row.state,
                            skipReason: row.skipReason,
                            language: row.language,
                            englishFallback: row.englishFallback,
                            attempts: row.attempts,
                            lastReply: row.lastReply,
                            queuedAt: row.queuedAt,
                            firstAttemptAt: row.firstAttemptAt,
                            sentAt: row.sentAt,
                            nextAttemptAt: row.state == .deferred ? row.nextAttemptAt : nil
                        )
                    },
                    next: rows.count == limit ? rows.last?.id : nil
                )
            )
        }
        routes.api(Routes.apiCampaignAction, .id) { request, context, id in
            try await handle(context) {
                let campaign = try await campaign(id)
                let body = try await APIBody.decode(ActionBody.self, request, context)
                let (notices, caller, now) = (services.notices, context.caller, services.now)
                switch body.action {
                case .start: _ = try await notices.start(campaignID: campaign.id, by: caller, now: now)
                case .pause: _ = try await notices.pause(campaignID: campaign.id, by: caller, now: now)
                case .resume: _ = try await notices.resume(campaignID: campaign.id, by: caller, now: now)
                case .cancel: _ = try await notices.cancel(campaignID: campaign.id, by: caller, now: now)
                case .retryFailed: _ = try await notices.retryFailed(campaignID: campaign.id, by: caller, now: now)
                }
                return try .json(try await dto(try await self.campaign(id)))
            }
        }
    }

    // MARK: Helpers

    /// Turns the notices service's refusals into `APIError`s naming the field: a move the campaign's state does not
    /// allow and an approval the rules refuse (four eyes, approved already) are conflicts (409), other refusals 422.
    func handle(_ context: KilpiRequestContext, _ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch let error as NoticeError {
            if error.isNotFound { throw APIError.notFound(error.message) }
            let field = error.problems.first?.field
            if field == "state" {
                throw APIError(.conflict, .transitionRefused, error.message(in: context.language), field: field)
            }
            if field == "approved_by" || field == "template" {
                throw APIError(.conflict, .conflict, error.message(in: context.language), field: field)
            }
            throw APIError.invalid(error.problems, language: context.language)
        }
    }

    func incident(_ id: Int64) async throws -> Incident {
        guard let incident = try await services.store.incidents.find(id: id) else {
            throw APIError.notFound("No such incident.")
        }
        return incident
    }

    func campaign(_ id: Int64) async throws -> NoticeCampaign {
        guard let campaign = try await services.store.campaigns.find(id: id) else {
            throw APIError.notFound("No such campaign.")
        }
        return campaign
    }

    func dto(_ c: NoticeCampaign) async throws -> CampaignDTO {
        CampaignDTO(
            id: c.id,
            incidentId: c.incidentID,
            scopeVersionId: c.scopeVersionID,
            audience: c.audience,
            followUpOf: c.followUpOf,
            templateKey: c.templateKey,
            templates: Dictionary(uniqueKeysWithValues: c.templates.map { ($0.key.rawValue, $0.value) }),
            state: c.state,
            settings: CampaignSettingsDTO(
                ratePerSecond: c.settings.ratePerSecond,
                concurrency: c.settings.concurrency,
                errorThreshold: c.settings.errorThreshold
            ),
            recipients: c.recipients,
            skipped: c.skipped,
            englishFallback: c.englishFallback,
            createdBy: c.createdBy,
            createdAt: c.createdAt,
            startedAt: c.startedAt,
            completedAt: c.completedAt,
            progress: CampaignProgressDTO(
                try await services.store.outbox.progress(campaignID: c.id, now: services.now)
            ),
            timeToNotify: TimeToNotifyDTO(try await services.store.outbox.timeToNotify(campaignID: c.id))
        )
    }
}

/// The API contract of the notice routes (see `APIContract`).
extension APIContract {
    typealias Notices = NoticeAPIController

    static func noticeOperation(_ route: Route) -> Operation? {
        func answer<T: Decodable>(_ type: T.Type, _ description: String) -> Answer {
            Answer(description: description, schema: SchemaProbe.schema(of: type))
        }
        func error(_ description: String) -> Answer {
            Answer(description: description, schema: SchemaProbe.schema(of: APIError.ErrorResponse.self))
        }
        switch route {
        case Routes.apiNoticeTemplates:
            return Operation(responses: [
                200: answer(
                    APIController.ListOf<Notices.NoticeTemplateDTO>.self,
                    "Every version of every template, without their texts"
                )
            ])
        case Routes.apiNoticeTemplateCreate:
            return Operation(
                requestBody: SchemaProbe.schema(of: Notices.NoticeTemplateBody.self),
                responses: [
                    201: answer(Notices.NoticeTemplateDTO.self, "Saved as a new draft version"),
                    422: error(
                        "Refused by the checker (`field` names the part: subject, text or html; the message names the line) or an unknown key; nothing was saved"
                    ),
                ]
            )
        case Routes.apiNoticeTemplate:
            return Operation(responses: [200: answer(Notices.NoticeTemplateDTO.self, "The version with its text")])
        case Routes.apiNoticeTemplateApprove:
            return Operation(
                requestBody: SchemaProbe.schema(of: Notices.ApprovalBody.self),
                responses: [
                    200: answer(Notices.NoticeTemplateDTO.self, "Approved"),
                    409: error(
                        "Refused: the caller saved this version (four eyes, `approved_by`), or it is approved already"
                    ),
                    422: error("`approved` is false: an approval cannot be withdrawn"),
                ]
            )
        case Routes.apiCampaigns:
            return Operation(responses: [
                200: answer(APIController.ListOf<Notices.CampaignDTO>.self, "The incident's campaigns with progress")
            ])
        case Routes.apiCampaignCreate:
            return Operation(
                requestBody: SchemaProbe.schema(of: Notices.CampaignBody.self),
                responses: [
                    201: answer(Notices.CampaignDTO.self, "Created, ready to start, with one notice per recipient"),
                    422: error(
                        "Refused (`field` names it): settings out of range, an unknown template key, a scope version with no exposure or of another incident, no approved English template, a follow-up without a base"
                    ),
                ]
            )
        case Routes.apiCampaign:
            return Operation(responses: [200: answer(Notices.CampaignDTO.self, "The campaign with its progress")])
        case Routes.apiCampaignRecipients:
            return Operation(
                query: Notices.recipientsQuery,
                responses: [200: answer(Notices.RecipientsDTO.self, "A page of recipients, shaped for the role")]
            )
        case Routes.apiCampaignAction:
            return Operation(
                requestBody: SchemaProbe.schema(of: Notices.ActionBody.self),
                responses: [
                    200: answer(Notices.CampaignDTO.self, "Done; the campaign as it is now"),
                    409: error(
                        "The campaign's state does not allow this, e.g. starting it twice or retrying a cancelled one (`transition_refused`, `field`: `state`)"
                    ),
                ]
            )
        default:
            return nil
        }
    }
}

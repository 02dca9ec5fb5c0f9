import Foundation
import Hummingbird
import KilpiCore
import KilpiStore

/// The inquiries API under `/api/v1/inquiries` (see `Routes.supportStaff`): list with filters and paging, one
/// thread (audited, notes included), reply (emailed to the customer), status and assignee. The same use cases and
/// rules as the console; every change audited with the token as actor. An inquiry carries its customer's id only
/// for a role that sees customer ids, and never an address.
struct SupportAPIController {
    let services: AppServices

    struct SLATargetDTO: Codable, Sendable {
        /// `ok`, `warning` (75 % used), `breached`, `met` or `missed`.
        let status: SLAStatus
        let due: Date
        /// Share of the allowance used (1 or more once it ran out).
        let share: Double
        let paused: Bool
        let completedAt: Date?

        init(_ state: TargetState) {
            status = state.status
            due = state.due
            share = state.share
            paused = state.isPaused
            completedAt = state.completedAt
        }
    }
    struct InquirySLADTO: Codable, Sendable {
        let firstResponse: SLATargetDTO
        let resolution: SLATargetDTO
        /// The worst running target's status; absent when both are done.
        let highlight: SLAStatus?
    }
    struct InquiryDTO: Codable, Sendable {
        let id: Int64
        let incidentId: Int64
        /// Only for a role that sees customer ids; absent for others and for an unmatched contact-form sender.
        let customerId: Int64?
        let channel: InquiryChannel
        let language: Language
        let status: InquiryStatus
        let assigneeId: Int64?
        let createdAt: Date
        let updatedAt: Date
        let firstResponseAt: Date?
        let resolvedAt: Date?
        let sla: InquirySLADTO
    }
    struct InquiryMessageDTO: Codable, Sendable {
        let id: Int64
        /// `customer`, `reply` or `note` (notes are never shown to the customer).
        let kind: InquiryMessageKind
        /// `anonymous` for the customer, else the staff actor (`user:7`, `token:3`).
        let actor: String
        let authorId: Int64?
        let text: String
        let createdAt: Date
    }
    struct InquiryThreadDTO: Codable, Sendable {
        let inquiry: InquiryDTO
        let messages: [InquiryMessageDTO]
    }
    struct InquiryPageDTO: Codable, Sendable {
        let items: [InquiryDTO]
        /// The `before` of the next page; absent on the last.
        let next: Int64?
    }
    struct InquiryReplyBody: Decodable {
        /// Plain text, at most 5,000 characters; only http:// and https:// links.
        let text: String
    }
    struct InquiryPatchBody: Decodable {
        let status: InquiryStatus?
        /// Absent: unchanged; null: nobody; a staff member's id: them.
        let assignee: Int64??

        enum CodingKeys: String, CodingKey { case status, assignee }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            status = try container.decodeIfPresent(InquiryStatus.self, forKey: .status)
            assignee =
                container.contains(.assignee) ? .some(try container.decode(Int64?.self, forKey: .assignee)) : .none
        }
    }

    static let listQuery: [QueryParameter] = [
        QueryParameter(name: "incident", schema: .integer(minimum: 1), description: "Only this incident's inquiries"),
        QueryParameter(
            name: "status",
            schema: .enumeration(InquiryStatus.allCases.map(\.rawValue)),
            description: "Only inquiries in this status"
        ),
        QueryParameter(
            name: "before",
            schema: .integer(minimum: 1),
            description: "Paging: only inquiries with a smaller id (the previous page's `next`)"
        ),
        QueryParameter(
            name: "limit",
            schema: .integer(format: "int32", minimum: 1, maximum: 1000),
            description: "At most this many inquiries (default 100)"
        ),
    ]

    func register(_ routes: RouteRegistry) {
        routes.api(Routes.apiInquiries) { request, context in
            let query = try APIQuery.read(request, Self.listQuery, language: context.language)
            let limit = Int(query.integer("limit") ?? 100)
            let rows = try await SupportInboxQuery(services: services).rows(
                InquiryFilter(
                    incidentID: query.integer("incident"),
                    statuses: query.string("status").flatMap(InquiryStatus.init(rawValue:)).map { [$0] },
                    beforeID: query.integer("before"),
                    limit: limit
                ),
                now: services.now
            )
            let shows = AccessPolicy.shows(.customerIDs, to: context.apiToken?.role ?? .viewer)
            return try .json(
                InquiryPageDTO(
                    items: rows.map { Self.dto($0, showCustomer: shows) },
                    next: rows.count == limit ? rows.last?.inquiry.id : nil
                )
            )
        }
        routes.api(Routes.apiInquiry, .id) { _, context, id in
            try await handle(context) {
                let thread = try await services.staffSupport.thread(
                    inquiryID: id,
                    by: context.caller,
                    now: services.now
                )
                return try .json(try await threadDTO(thread, context))
            }
        }
        routes.api(Routes.apiInquiryReply, .id) { request, context, id in
            try await handle(context) {
                let body = try await APIBody.decode(InquiryReplyBody.self, request, context)
                try SupportReplyLinks.check(body.text)
                let inquiry = try await services.staffSupport.reply(
                    inquiryID: id,
                    text: body.text,
                    by: context.caller,
                    now: services.now
                )
                return try .json(try await dto(inquiry, context), status: .created)
            }
        }
        routes.api(Routes.apiInquiryUpdate, .id) { request, context, id in
            try await handle(context) {
                let body = try await APIBody.decode(InquiryPatchBody.self, request, context)
                let (support, caller, now) = (services.staffSupport, context.caller, services.now)
                guard var inquiry = try await services.store.inquiries.find(id: id) else {
                    throw APIError.notFound("No such inquiry.")
                }
                // Both parts are checked before either is written, so a refusal changes nothing.
                if let status = body.status, status != inquiry.status, !inquiry.status.canMove(to: status) {
                    let (from, to) = (inquiry.status.rawValue, status.rawValue)
                    throw SupportError.field(
                        "status",
                        .l(
                            "an inquiry that is \(from) cannot become \(to)",
                            "kysymys tilassa \(from) ei voi siirtyä tilaan \(to)"
                        )
                    )
                }
                if let assignee = body.assignee ?? nil {
                    guard let user = try await services.store.users.find(id: assignee), user.status == .active else {
                        throw SupportError.field(
                            "assignee",
                            .l(
                                "staff member \(assignee) does not exist or is disabled",
                                "henkilöä \(assignee) ei ole tai hänen tilinsä on poistettu käytöstä"
                            )
                        )
                    }
                }
                if let status = body.status {
                    inquiry = try await support.setStatus(inquiryID: id, to: status, by: caller, now: now)
                }
                if let assignee = body.assignee {
                    inquiry = try await support.assign(inquiryID: id, to: assignee, by: caller, now: now)
                }
                return try .json(try await dto(inquiry, context))
            }
        }
    }

    // MARK: Helpers

    /// Turns the support use cases' refusals into `APIError`s naming the field: a status move the state machine
    /// refuses is a conflict (409, `transition_refused`), other refusals 422, an unknown inquiry 404.
    func handle(_ context: KilpiRequestContext, _ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch let error as SupportError {
            if error.isNotFound { throw APIError.notFound("No such inquiry.") }
            let field = error.problems.first?.field
            if field == "status" {
                throw APIError(.conflict, .transitionRefused, error.message(in: context.language), field: field)
            }
            throw APIError.invalid(error.problems, language: context.language)
        }
    }

    static func dto(_ row: SupportInboxQuery.Row, showCustomer: Bool) -> InquiryDTO {
        let i = row.inquiry
        return InquiryDTO(
            id: i.id,
            incidentId: i.incidentID,
            customerId: showCustomer ? i.customerID : nil,
            channel: i.channel,
            language: i.language,
            status: i.status,
            assigneeId: i.assigneeID,
            createdAt: i.createdAt,
            updatedAt: i.updatedAt,
            firstResponseAt: i.firstResponseAt,
            resolvedAt: i.resolvedAt,
            sla: InquirySLADTO(
                firstResponse: SLATargetDTO(row.sla.firstResponse),
                resolution: SLATargetDTO(row.sla.resolution),
                highlight: row.sla.highlight
            )
        )
    }

    func dto(_ inquiry: Inquiry, _ context: KilpiRequestContext) async throws -> InquiryDTO {
        let row = try await SupportInboxQuery(services: services).evaluate([inquiry], now: services.now)[0]
        return Self.dto(row, showCustomer: AccessPolicy.shows(.customerIDs, to: context.apiToken?.role ?? .viewer))
    }

    func threadDTO(_ thread: InquiryThread, _ context: KilpiRequestContext) async throws -> InquiryThreadDTO {
        InquiryThreadDTO(
            inquiry: try await dto(thread.inquiry, context),
            messages: thread.messages.map {
                InquiryMessageDTO(
                    id: $0.id,
                    kind: $0.kind,
                    actor: $0.actor,
                    authorId: $0.authorID,
                    text: $0.text,
                    createdAt: $0.createdAt
                )
            }
        )
    }
}

/// The API contract of the inquiry routes (see `APIContract`).
extension APIContract {
    typealias Support = SupportAPIController

    static func supportOperation(_ route: Route) -> Operation? {
        func answer<T: Decodable>(_ type: T.Type, _ description: String) -> Answer {
            Answer(description: description, schema: SchemaProbe.schema(of: type))
        }
        func error(_ description: String) -> Answer {
            Answer(description: description, schema: SchemaProbe.schema(of: APIError.ErrorResponse.self))
        }
        switch route {
        case Routes.apiInquiries:
            return Operation(
                query: Support.listQuery,
                responses: [200: answer(Support.InquiryPageDTO.self, "A page of inquiries, newest first")]
            )
        case Routes.apiInquiry:
            return Operation(responses: [
                200: answer(Support.InquiryThreadDTO.self, "The inquiry and its whole thread (the view is audited)")
            ])
        case Routes.apiInquiryReply:
            return Operation(
                requestBody: SchemaProbe.schema(of: Support.InquiryReplyBody.self),
                responses: [
                    201: answer(Support.InquiryDTO.self, "Sent (queued for email); the inquiry as it is now"),
                    422: error(
                        "Refused (`field`: `text`): empty, longer than 5,000 characters, or a link other than a plain http:// or https:// one"
                    ),
                ]
            )
        case Routes.apiInquiryUpdate:
            return Operation(
                requestBody: SchemaProbe.schema(of: Support.InquiryPatchBody.self),
                responses: [
                    200: answer(Support.InquiryDTO.self, "Changed (or unchanged when already so)"),
                    409: error("The status cannot move there from the current one (`transition_refused`)"),
                    422: error("`assignee` is not an active staff member"),
                ]
            )
        default:
            return nil
        }
    }
}

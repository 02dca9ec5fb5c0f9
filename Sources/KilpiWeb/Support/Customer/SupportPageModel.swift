import Foundation
import KilpiCore
import KilpiStore

/// What one customer's personal page shows, loaded from the ids a `SupportAccess` carries and nothing else: the
/// notice's own content (the campaign's frozen incident text, the categories the notice named, each with its
/// advice in the page's language, the actions), the incident's published updates and FAQ, and the customer's own
/// inquiries with their threads (notes left out). Of the customer it keeps the first name only. What all customers
/// of the campaign share is `SupportSharedContent`, held a moment; the customer and their threads are read live.
struct SupportPageModel: Sendable {
    let access: SupportAccess
    let language: Language
    let firstName: String?
    let content: NoticeContent
    let updates: [PublicPost]
    let faq: [SupportFAQEntry]
    /// Newest first.
    let threads: [InquiryThread]

    /// Loads the page, or nil when the notice's campaign, incident or customer is gone.
    static func load(
        _ access: SupportAccess,
        language: Language,
        services: AppServices
    ) async throws
        -> SupportPageModel?
    {
        let store = services.store
        guard let customer = try await store.customers.find(id: access.customerID), customer.erasedAt == nil,
            let shared = try await services.supportContent.value(
                SupportSharedContent.Key(
                    campaignID: access.campaignID,
                    incidentID: access.incidentID,
                    language: language
                ),
                load: {
                    try await SupportSharedContent.load(access, language: language, store: store, now: services.now)
                }
            )
        else { return nil }
        let content = NoticeContent.build(
            company: NoticeCompany(
                name: services.configuration.controllerName,
                contactEmail: services.configuration.noticeContactEmail,
                trustCenterURL: services.link(NoticeCompany.verifyPath)
            ),
            customer: customer,
            language: language,
            incident: shared.incident,
            categoryIDs: access.categories,
            available: shared.categories,
            // The page never shows a reference code: the real one is stored only hashed.
            referenceCode: .generate(),
            date: services.now
        )
        return SupportPageModel(
            access: access,
            language: language,
            firstName: Self.firstName(content.customerName),
            content: content,
            updates: shared.updates,
            faq: shared.faq,
            threads: try await InquiryService(store: store).customerThreads(access, limit: Self.maximumThreads)
        )
    }

    /// The most inquiries the page lists (a customer with more sees the newest).
    static let maximumThreads = 50

    /// The first word of a name (already cleaned to one line by `NoticeContent`), at most 64 characters.
    static func firstName(_ name: String?) -> String? {
        guard let first = name?.split(whereSeparator: { $0.isWhitespace }).first else { return nil }
        return String(first.prefix(64))
    }
}

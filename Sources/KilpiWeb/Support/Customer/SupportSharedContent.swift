import Foundation
import KilpiCore
import KilpiStore

/// What every customer's page of one campaign shows alike, in one language: the incident as the campaign told
/// it, the data categories (for their names and advice), the incident's published updates and its FAQ. Nothing
/// of any customer is in it.
///
/// Held for `AppConfiguration.supportContentLifetime` (`AppServices.supportContent`), so a page read by many
/// customers at once costs its personal reads only: an update or FAQ answer staff publish reaches the pages within
/// that time, in every process. Links, revocation, the customer and their own questions are always read live.
struct SupportSharedContent: Sendable {
    /// One campaign's content in one language.
    struct Key: Hashable, Sendable {
        let campaignID: Int64
        let incidentID: Int64
        let language: Language
    }

    let incident: Incident
    let categories: [DataCategory]
    let updates: [PublicPost]
    let faq: [SupportFAQEntry]

    /// Reads it, or nil when the incident is gone.
    static func load(
        _ access: SupportAccess,
        language: Language,
        store: Store,
        now: Date
    ) async throws -> SupportSharedContent? {
        guard let incident = try await store.incidents.find(id: access.incidentID) else { return nil }
        let campaign = try await store.campaigns.find(id: access.campaignID)
        return SupportSharedContent(
            incident: campaign?.incidentAsNoticed(incident) ?? incident,
            categories: try await store.dataMap.categories(),
            updates: try await store.posts.published(incidentID: access.incidentID, language: language, now: now),
            faq: try await store.supportAnswers.faq(incidentID: access.incidentID, language: language)
        )
    }
}

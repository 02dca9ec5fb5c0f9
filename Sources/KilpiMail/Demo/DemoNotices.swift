import Foundation
import KilpiCore
import KilpiStore

/// The demo's notices: the shipped fi/sv/en templates approved by the admin (the system wrote them, so four eyes
/// hold), and a campaign for the Aurora incident's scope, ready to send (`kilpi notices send 1 --smtp ...` to a
/// local sink, or a `serve --smtp ...` worker once someone starts it in the console).
public enum DemoNotices {
    /// Seeds once (skipped when any campaign exists or the demo incident has no scope). Returns the campaign.
    @discardableResult
    public static func seed(store: Store, now: Date) async throws -> NoticeCampaign? {
        guard try await store.campaigns.all().isEmpty else { return nil }
        let staff = Dictionary(uniqueKeysWithValues: try await store.users.all().map { ($0.email, $0) })
        func user(_ role: Role) -> StaffUser? { DemoData.staff.first { $0.role == role }.flatMap { staff[$0.email] } }
        guard let admin = user(.admin), let communicator = user(.communicator),
            let incident = try await store.incidents.list(now: now, limit: 1).first?.incident,
            let scope = try await store.scopes.latest(incidentID: incident.id)
        else { return nil }
        let service = NoticeService(store: store, checker: MustacheTemplateChecker())
        try await service.installShipped(NoticeTemplates.shippedByLanguage, now: now)
        let approver = Caller(.user(admin.id), ip: "local")
        for language in Language.allCases {
            let versions = try await store.noticeTemplates.versions(
                key: NoticeTemplateVersion.generalKey,
                language: language
            )
            if let draft = versions.first(where: { !$0.isApproved }), !versions.contains(where: \.isApproved) {
                _ = try await service.approveTemplate(id: draft.id, by: approver, now: now)
            }
        }
        return try await service.createCampaign(
            incidentID: incident.id,
            scopeVersionID: scope.id,
            settings: NoticeCampaignSettings(ratePerSecond: 50, concurrency: 2, errorThreshold: 0.2),
            by: Caller(.user(communicator.id), ip: "local"),
            now: now
        )
    }
}

import Foundation
import KilpiCore
import KilpiTestSupport
import SQLKit
import Testing

@testable import KilpiStore

/// A notice campaign that was sent: `NoticeWorld`'s customers, one campaign over scope v1 (C0…C4 and C6 sent; C5
/// without an address and the erased C7 skipped) or v2 (C8…C11 as well), each notice's reference code and row.
struct SupportWorld: Sendable {
    let notices: NoticeWorld
    let campaign: NoticeCampaign
    /// External id → outbox row, sent rows only.
    let rows: [String: OutboxRow]
    /// External id → reference code, as printed (`K7M4-Q2XD`).
    let codes: [String: String]

    static func email(_ external: String) -> String { "person\(external.dropFirst())@example.com" }

    func id(_ external: String) -> Int64 { notices.id(external) }

    static func build(_ f: Fixture, wide: Bool = false) async throws -> SupportWorld {
        let w = try await NoticeWorld.build(f)
        let made = try await w.service.createCampaign(
            incidentID: w.incidentID,
            scopeVersionID: wide ? w.v2 : w.v1,
            settings: NoticeCampaignSettings(errorThreshold: 0),
            by: w.editor,
            now: f.now
        )
        let campaign = try await w.service.start(campaignID: made.id, by: w.editor, now: f.now)
        let claims = try await f.store.outbox.claim(worker: "w", limit: 100, leaseSeconds: 60, now: f.now)
        try await f.store.outbox.record(
            claims.map { ($0.rowID, OutboxResult.sent(reply: "250 ok", messageID: "<\($0.noticeKey)@test>")) },
            worker: "w",
            now: f.now
        )
        let byID = Dictionary(uniqueKeysWithValues: w.customers.map { ($0.value, $0.key) })
        let all = try await w.rows(f, campaign: campaign.id)
        return SupportWorld(
            notices: w,
            campaign: campaign,
            rows: all.filter { $0.value.state == .sent },
            codes: Dictionary(uniqueKeysWithValues: claims.map { (byID[$0.customerID]!, $0.referenceCode) })
        )
    }

    /// The access a link to `external`'s notice grants (issued now and resolved).
    func access(_ f: Fixture, _ external: String) async throws -> SupportAccess {
        let link = try await f.store.supportLinks.issue(outboxID: rows[external]!.id, now: f.now)
        return try #require(
            try await f.store.supportLinks.resolve(token: link.token, ip: "192.0.2.1", now: f.now).access
        )
    }
}

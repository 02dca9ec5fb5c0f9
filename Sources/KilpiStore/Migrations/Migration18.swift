import SQLKit

extension Migrations {
    /// A campaign freezes what its notices say about the incident: `incident_content` holds, as JSON
    /// (`NoticeIncidentContent`), the incident's title, summary, threat kinds and occurred/aware/contained times as
    /// they were when the campaign was made and its preview reviewed. Campaigns made before keep NULL and render
    /// from the live incident, as they did.
    static let v18 = Migration(
        18,
        "notice campaigns: frozen incident content",
        statements: { _ in
            ["ALTER TABLE notice_campaigns ADD COLUMN incident_content TEXT"]
        }
    )
}

import SQLKit

extension Migrations {
    /// What Kilpi records on a timeline is stored as a typed event (`TimelineEvent` as JSON), rendered in each
    /// reader's language, instead of an English sentence in `text`. Older rows keep their sentence and no event.
    static let v13 = Migration(
        13,
        "incident timeline: typed events",
        statements: { _ in
            ["ALTER TABLE incident_timeline ADD COLUMN event TEXT"]
        }
    )
}

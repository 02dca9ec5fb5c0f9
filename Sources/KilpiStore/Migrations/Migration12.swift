import SQLKit

extension Migrations {
    /// A timeline entry recorded late can say when it happened (`occurred_at`), and the timeline is read in the
    /// order things happened; entries without it happened when they were written.
    static let v12 = Migration(
        12,
        "incident timeline: when an entry happened",
        statements: { _ in
            ["ALTER TABLE incident_timeline ADD COLUMN occurred_at BIGINT"]
        }
    )
}

import SQLKit

extension Migrations {
    /// A task copies its playbook step's title when the incident is declared; the copy keeps the Swedish too, so a
    /// Swedish reader sees the step as the playbook wrote it. Tasks copied before there was Swedish have none and are
    /// shown in English.
    static let v14 = Migration(
        14,
        "incident tasks: Swedish title",
        statements: { _ in
            ["ALTER TABLE incident_tasks ADD COLUMN title_sv TEXT"]
        }
    )
}

import Foundation
import KilpiCore

/// The OpenAPI schema of a timeline event as the API sends it: the synthesised `Codable` form, an object with one
/// key, the case's name, whose value holds the case's values (`{"statusChanged":{"from":"detected","to":"analysing"}}`).
/// Written out here because the probe cannot read an enum with values; `TimelineEventSchemaTests` checks every case
/// of `TimelineEvent` against it.
extension TimelineEvent: SchemaDescribed {
    static var jsonSchema: JSONSchema {
        func fields(_ fields: [(String, JSONSchema)], optional: Set<String> = []) -> JSONSchema {
            .object(
                name: nil,
                properties: fields.map { JSONSchema.Property(name: $0.0, schema: $0.1) },
                required: fields.map(\.0).filter { !optional.contains($0) }
            )
        }
        let kinds = JSONSchema.array(SchemaProbe.schema(of: ThreatKind.self))
        let severity = SchemaProbe.schema(of: Severity.self)
        let status = SchemaProbe.schema(of: IncidentStatus.self)
        let title = SchemaProbe.schema(of: LocalizedText.self)
        let time = JSONSchema.string(format: "date-time")
        let campaignState = SchemaProbe.schema(of: NoticeCampaignState.self)
        let cases: [(String, JSONSchema)] = [
            ("declared", fields([("severity", severity), ("kinds", kinds), ("title", .string())])),
            ("titleChanged", fields([("from", .string()), ("to", .string())])),
            ("summaryChanged", fields([])),
            ("kindsChanged", fields([("from", kinds), ("to", kinds)])),
            ("severityChanged", fields([("from", severity), ("to", severity)])),
            (
                "keyTimeChanged",
                fields(
                    [("field", SchemaProbe.schema(of: KeyTimes.Field.self)), ("from", time), ("to", time)],
                    optional: ["from", "to"]
                )
            ),
            ("statusChanged", fields([("from", status), ("to", status)])),
            (
                "roleAssigned",
                fields(
                    [("role", SchemaProbe.schema(of: IncidentRole.self)), ("person", .string())],
                    optional: ["person"]
                )
            ),
            ("lessonsUpdated", fields([])),
            ("impactAssumptionsUpdated", fields([])),
            (
                "playbookTasksAdded",
                fields([("playbooks", .array(SchemaProbe.schema(of: TimelineEvent.PlaybookTasks.self)))])
            ),
            (
                "taskDone",
                fields(
                    [("taskID", .integer()), ("title", title), ("late", .number)],
                    optional: ["late"]
                )
            ),
            ("taskReopened", fields([("taskID", .integer()), ("title", title)])),
            ("scopeVersion", fields([("scope", SchemaProbe.schema(of: TimelineEvent.ScopeVersionSummary.self))])),
            (
                "noticeCampaignCreated",
                fields([("campaign", SchemaProbe.schema(of: TimelineEvent.NoticeCampaignSummary.self))])
            ),
            (
                "noticeCampaignStateChanged",
                fields([("campaignID", .integer()), ("from", campaignState), ("to", campaignState)])
            ),
            (
                "noticeCampaignAutoPaused",
                fields([("campaignID", .integer()), ("failures", .integer()), ("attempted", .integer())])
            ),
            (
                "noticeCampaignCompleted",
                fields([
                    ("campaignID", .integer()), ("sent", .integer()), ("bounced", .integer()), ("failed", .integer()),
                    ("skipped", .integer()),
                ])
            ),
            ("noticeCampaignRetried", fields([("campaignID", .integer()), ("count", .integer())])),
        ]
        return .object(
            name: "TimelineEvent",
            properties: cases.map { JSONSchema.Property(name: $0.0, schema: $0.1) },
            required: []
        )
    }

    static var schemaSample: TimelineEvent { .summaryChanged }
}

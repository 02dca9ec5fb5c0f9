import Foundation
import KilpiCore
import Testing

@testable import KilpiWeb

/// The API's schema of a timeline event describes what the API really sends for every case.
@Suite struct TimelineEventSchemaTests {
    static let start = Date(timeIntervalSince1970: 1_764_000_000)
    static let title = LocalizedText(en: "Reset the admin passwords", fi: "Vaihda ylläpitäjien salasanat")

    static let events: [TimelineEvent] = [
        .declared(severity: .sev1, kinds: [.phishing], title: "Kassa"),
        .titleChanged(from: "Old", to: "New"),
        .summaryChanged,
        .kindsChanged(from: [.phishing], to: [.phishing, .malware]),
        .severityChanged(from: .sev3, to: .sev1),
        .keyTimeChanged(field: .awareAt, from: nil, to: start),
        .keyTimeChanged(field: .occurredAt, from: start, to: nil),
        .statusChanged(from: .detected, to: .contained),
        .roleAssigned(role: .scribe, person: "Sam Lee"),
        .roleAssigned(role: .scribe, person: nil),
        .lessonsUpdated,
        .impactAssumptionsUpdated,
        .playbookTasksAdded(playbooks: [.init(playbookID: "phishing", count: 6)]),
        .taskDone(taskID: 7, title: title, late: nil),
        .taskDone(taskID: 7, title: title, late: 5_400),
        .taskReopened(taskID: 7, title: title),
        .scopeVersion(
            scope: .init(version: 1, systems: 2, windowStart: start, windowEnd: start, customers: 3, change: nil)
        ),
        .scopeVersion(
            scope: .init(
                version: 2,
                systems: 2,
                windowStart: start,
                windowEnd: start,
                customers: 3,
                change: .init(added: 1, removed: 0, widened: 2, narrowed: 0)
            )
        ),
        .noticeCampaignCreated(
            campaign: .init(
                campaignID: 4,
                scopeVersion: 2,
                audience: .added,
                recipients: 10,
                skipped: 1,
                englishFallback: 2
            )
        ),
        .noticeCampaignStateChanged(campaignID: 4, from: .ready, to: .running),
        .noticeCampaignAutoPaused(campaignID: 4, failures: 5, attempted: 20),
        .noticeCampaignCompleted(campaignID: 4, sent: 8, bounced: 1, failed: 0, skipped: 1),
        .noticeCampaignRetried(campaignID: 4, count: 1),
    ]

    @Test(arguments: events)
    func everyCaseAsTheAPIEncodesItConformsToTheSchema(event: TimelineEvent) throws {
        // The encoder settings of `Response.json`.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let value = try #require(JSONValue.parse(try encoder.encode(event)))
        #expect(
            TimelineEvent.jsonSchema.violations(of: value).isEmpty,
            "\(TimelineEvent.jsonSchema.violations(of: value))"
        )
    }

    @Test func aShapeFromSomewhereElseDoesNot() throws {
        let value = try #require(JSONValue.parse(Data(#"{"statusChanged":{"from":"detected","to":"nowhere"}}"#.utf8)))
        #expect(!TimelineEvent.jsonSchema.violations(of: value).isEmpty)
    }
}

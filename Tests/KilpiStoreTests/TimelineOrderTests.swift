import Foundation
import KilpiCore
import KilpiStore
import KilpiTestSupport
import Testing

/// The timeline reads in the order things happened, not the order they were typed, and an entry recorded late
/// keeps both times.
@Suite struct TimelineOrderTests {
    @Test(arguments: TestDatabases.engines)
    func anEntryRecordedLateTakesItsPlaceByWhenItHappened(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let commander = try await f.user()
            let incident = try await IncidentRepositoryTests.declare(f, commander: commander.id)
            let declared = f.now
            f.clock.advance(3600)
            let decision = try await f.store.incidents.addEntry(
                incidentID: incident.id,
                kind: .decision,
                visibility: .internal,
                text: "Revoke admin sessions",
                author: "user:\(commander.id)",
                now: f.now
            )
            f.clock.advance(3600)
            let found = try await f.store.incidents.addEntry(
                incidentID: incident.id,
                kind: .note,
                visibility: .internal,
                text: "Phishing email reached the admin",
                occurredAt: declared.addingTimeInterval(-86_400),
                author: "user:\(commander.id)",
                now: f.now
            )
            let timeline = try await f.store.incidents.timeline(incidentID: incident.id)
            #expect(timeline.first?.id == found.id, "the late entry happened first")
            #expect(timeline.first?.at == f.now && timeline.first?.occurredAt == declared.addingTimeInterval(-86_400))
            #expect(timeline.first?.recordedLate == true && decision.recordedLate == false)
            #expect(timeline == timeline.sorted(by: TimelineEntry.chronological))
            #expect(timeline.map(\.id).firstIndex(of: decision.id)! > timeline.map(\.id).firstIndex(of: found.id)!)
        }
    }

    @Test(arguments: TestDatabases.engines)
    func anEntryCannotHappenInTheFuture(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let commander = try await f.user()
            let incident = try await IncidentRepositoryTests.declare(f, commander: commander.id)
            let before = try await f.store.incidents.timeline(incidentID: incident.id)
            let error = await #expect(throws: IncidentError.self) {
                try await f.store.incidents.addEntry(
                    incidentID: incident.id,
                    kind: .note,
                    visibility: .internal,
                    text: "Tomorrow's news",
                    occurredAt: f.now.addingTimeInterval(86_400),
                    author: "user:\(commander.id)",
                    now: f.now
                )
            }
            #expect(error?.problems.map(\.field) == ["occurred_at"])
            #expect(try await f.store.incidents.timeline(incidentID: incident.id) == before)
        }
    }

    /// The demo's incident had entries out of order (tasks "done" at their due times, some after later entries
    /// and some in the future); its timeline now reads in order, nothing lies in the future, and no author is
    /// an email address.
    @Test(arguments: TestDatabases.engines)
    func theDemoTimelineIsInOrderAndInThePast(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            _ = try await DemoData.seed(store: f.store, hasher: fastHasher, now: f.now)
            _ = try await DemoDataMap.seed(store: f.store, customers: 50, now: f.now)
            try await f.store.playbooks.installDefaults(try DefaultPlaybooks.all(), now: f.now)
            let incident = try #require(try await DemoIncident.seed(store: f.store, now: f.now))
            let timeline = try await f.store.incidents.timeline(incidentID: incident.id)
            #expect(timeline.count >= 8)
            #expect(timeline == timeline.sorted(by: TimelineEntry.chronological))
            #expect(timeline.allSatisfy { $0.at <= f.now && $0.happenedAt <= f.now })
            #expect(timeline.contains { $0.recordedLate }, "the demo shows an entry recorded after the fact")
            #expect(!timeline.contains { $0.author.contains("@") })
            let tasks = try await f.store.incidents.tasks(incidentID: incident.id)
            #expect(tasks.compactMap(\.doneAt).allSatisfy { $0 <= f.now })
        }
    }
}

import Foundation
import KilpiCore
import KilpiTestSupport
import SQLKit
import Testing

@testable import KilpiStore

/// What Kilpi writes on a timeline is a typed event, not an English sentence: the `text` column holds only the
/// person's own words, and entries written before migration 13 still read as they were.
@Suite struct TimelineEventStoreTests {
    static func rawTimeline(
        _ f: Fixture,
        incidentID: Int64
    ) async throws -> [(kind: String, text: String, event: String?)] {
        try await f.database.withConnection { sql in
            try await sql.raw(
                "SELECT kind, text, event FROM incident_timeline WHERE incident_id = \(bind: incidentID) ORDER BY id"
            ).all().map {
                (
                    try $0.decode(column: "kind", as: String.self),
                    try $0.decode(column: "text", as: String.self),
                    try $0.decode(column: "event", as: String?.self)
                )
            }
        }
    }

    @Test(arguments: TestDatabases.engines)
    func everyChangeIsStoredAsATypedEventWithOnlyThePersonsWordsAsText(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let commander = try await f.user()
            let scribe = try await f.user("sam@example.fi")
            let playbooks = try DefaultPlaybooks.all()
            let incident = try await f.store.incidents.declare(
                IncidentDraft(title: "Shop database copied", kinds: [.dataBreach], severity: .sev2),
                commanderID: commander.id,
                playbooks: playbooks,
                actor: "anna@example.fi",
                now: f.now
            )
            f.clock.advance(60)
            var draft = IncidentDraft(
                title: "Shop and CRM databases copied",
                summary: "More than we thought.",
                kinds: [.dataBreach, .malware],
                severity: .sev1,
                times: incident.times
            )
            draft.times.occurredAt = f.now - 86_400
            try await f.store.incidents.update(id: incident.id, draft, playbooks: playbooks, actor: "a", now: f.now)
            try await f.store.incidents.setStatus(
                id: incident.id,
                to: .analysing,
                reason: "logs arrived",
                actor: "a",
                now: f.now
            )
            try await f.store.incidents.assign(
                id: incident.id,
                role: .scribe,
                userID: scribe.id,
                actor: "a",
                now: f.now
            )
            try await f.store.incidents.assign(id: incident.id, role: .scribe, userID: nil, actor: "a", now: f.now)
            try await f.store.incidents.setLessons(id: incident.id, "Rotate keys sooner.", actor: "a", now: f.now)
            try await f.store.incidents.setImpactAssumptions(id: incident.id, .defaults, actor: "a", now: f.now)
            let task = try #require(try await f.store.incidents.tasks(incidentID: incident.id).first)
            try await f.store.incidents.setTaskDone(
                incidentID: incident.id,
                taskID: task.id,
                done: true,
                actor: "a",
                now: f.now
            )
            try await f.store.incidents.setTaskDone(
                incidentID: incident.id,
                taskID: task.id,
                done: false,
                actor: "a",
                now: f.now
            )
            try await f.database.execute(
                """
                INSERT INTO systems (name, name_key, kind, owner, location, encrypted_at_rest, key_location, created_at, updated_at)
                VALUES ('Web shop', 'web shop', 'other', 'IT', 'EU', \(bind: false), '', 0, 0)
                """
            )
            let system = try #require(try await f.store.dataMap.summaries().first?.system.id)
            let start = Date(epochMilliseconds: 1_700_000_000_000)
            let end = start.addingTimeInterval(86_400)
            _ = try await f.store.scopes.create(
                incidentID: incident.id,
                ScopeDraft(systemIDs: [system], windowStart: start, windowEnd: end, note: "first look"),
                actor: "a",
                now: f.now
            )
            try await f.store.incidents.addEntry(
                incidentID: incident.id,
                kind: .note,
                visibility: .internal,
                text: "Called the hosting provider.",
                author: "a",
                now: f.now
            )

            // Raw rows: each of Kilpi's entries has an event and no sentence of Kilpi's in `text`.
            let rows = try await Self.rawTimeline(f, incidentID: incident.id)
            let kilpis = rows.filter { ["change", "task", "scope"].contains($0.kind) }
            #expect(kilpis.count >= 14)
            for row in kilpis {
                #expect(row.event.flatMap(TimelineEvent.init(json:)) != nil, "\(row)")
                #expect(["", "logs arrived", "first look"].contains(row.text), "Store wrote prose: \(row.text)")
            }
            #expect(rows.last?.text == "Called the hosting provider." && rows.last?.event == nil)

            // Read back as values.
            let entries = try await f.store.incidents.timeline(incidentID: incident.id)
            let events = entries.compactMap(\.event)
            let expected: [TimelineEvent] = [
                .declared(severity: .sev2, kinds: [.dataBreach], title: "Shop database copied"),
                .titleChanged(from: "Shop database copied", to: "Shop and CRM databases copied"),
                .summaryChanged,
                .kindsChanged(from: [.dataBreach], to: [.dataBreach, .malware]),
                .severityChanged(from: .sev2, to: .sev1),
                .keyTimeChanged(field: .occurredAt, from: nil, to: draft.times.occurredAt),
                .statusChanged(from: .detected, to: .analysing),
                .roleAssigned(role: .scribe, person: "Test Person"),
                .roleAssigned(role: .scribe, person: nil),
                .lessonsUpdated,
                .impactAssumptionsUpdated,
                .taskDone(
                    taskID: task.id,
                    title: task.title,
                    late: task.dueAt < f.now ? f.now.timeIntervalSince(task.dueAt) : nil
                ),
                .taskReopened(taskID: task.id, title: task.title),
                .scopeVersion(
                    scope: .init(version: 1, systems: 1, windowStart: start, windowEnd: end, customers: 0, change: nil)
                ),
            ]
            for event in expected { #expect(events.contains(event), "\(event)") }
            let malware = try #require(playbooks.first { $0.threatKind == .malware })
            let added = TimelineEvent.PlaybookTasks(playbookID: malware.id, count: malware.steps.count)
            #expect(
                events.contains { if case .playbookTasksAdded(let all) = $0 { all.contains(added) } else { false } }
            )
            let status = try #require(entries.first { $0.event == .statusChanged(from: .detected, to: .analysing) })
            #expect(status.words == "logs arrived")
            #expect(status.text(in: .fi) == "Tila: Havaittu → Selvitetään — logs arrived")
            #expect(status.text(in: .sv).hasPrefix("Status: \(IncidentStatus.detected.nameSV) → "))
        }
    }

    @Test(
        "migration 13 keeps the entries written before it readable: their stored sentence, no event",
        arguments: TestDatabases.engines
    )
    func olderEntriesKeepTheirText(engine: SQLEngine) async throws {
        try await TestDatabases.with(engine, migrate: false) { database in
            try await Migrator(database: database, migrations: Migrations.all.filter { $0.version < 13 }).migrate()
            let f = Fixture(
                database: database,
                store: Store(database: database, vault: try Vault.ephemeral()),
                clock: TestClock()
            )
            try await database.execute(
                """
                INSERT INTO incidents (id, title, summary, kinds, severity, status, declared_at, declared_by, lessons, updated_at)
                VALUES (1, 'Shop database copied', '', 'data_breach', 'SEV2', 'detected', 1, 'user:1', '', 1)
                """
            )
            try await database.execute(
                """
                INSERT INTO incident_timeline (incident_id, at, author, kind, visibility, text)
                VALUES (1, 1000, 'a', 'change', 'internal', 'status: detected → analysing (logs arrived)'),
                       (1, 2000, 'a', 'note', 'internal', 'Called the hosting provider.')
                """
            )
            #expect(try await Migrator(database: database).migrate().contains(13))
            let entries = try await f.store.incidents.timeline(incidentID: 1)
            #expect(entries.map(\.event) == [nil, nil])
            for language in Language.allCases {
                #expect(
                    entries.map { $0.text(in: language) } == [
                        "status: detected → analysing (logs arrived)", "Called the hosting provider.",
                    ]
                )
            }
            #expect(entries.allSatisfy { !$0.eventUnreadable })

            // An event this version cannot read (a newer Kilpi wrote it) is shown as such, not as an empty line.
            try await database.execute(
                """
                INSERT INTO incident_timeline (incident_id, at, author, kind, visibility, text, event)
                VALUES (1, 3000, 'a', 'change', 'internal', '', '{"noticeSent":{"channel":"sms"}}')
                """
            )
            let newer = try #require(try await f.store.incidents.timeline(incidentID: 1).last)
            #expect(newer.event == nil && newer.eventUnreadable)
            #expect(newer.text(in: .en) == "(recorded by a newer version of Kilpi)")
            #expect(newer.text(in: .fi) == "(Kilpin uudemman version kirjaama merkintä)")
            #expect(newer.text(in: .sv) == "(registrerad av en nyare version av Kilpi)")
        }
    }
}

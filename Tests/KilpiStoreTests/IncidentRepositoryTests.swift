import Foundation
import KilpiCore
import KilpiStore
import KilpiTestSupport
import Testing

@Suite struct IncidentRepositoryTests {
    static func declare(_ f: Fixture, kinds: [ThreatKind] = [.dataBreach], commander: Int64) async throws -> Incident {
        try await f.store.incidents.declare(
            IncidentDraft(
                title: "Web shop database copied",
                summary: "Attacker used a stolen admin session.",
                kinds: kinds,
                severity: .sev2
            ),
            commanderID: commander,
            playbooks: try DefaultPlaybooks.all(),
            actor: "anna@example.fi",
            now: f.now
        )
    }

    @Test(arguments: TestDatabases.engines)
    func declaringCreatesTheRecordCommanderTasksAndTimelineTogether(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let commander = try await f.user()
            let playbooks = try DefaultPlaybooks.all()
            let incident = try await Self.declare(f, kinds: [.dataBreach, .phishing], commander: commander.id)
            #expect(incident.status == .detected && incident.roles == [.commander: commander.id])
            #expect(
                incident.times.detectedAt == f.now && incident.times.awareAt == f.now,
                "declaring means being aware now"
            )
            let tasks = try await f.store.incidents.tasks(incidentID: incident.id)
            let expected = playbooks.filter { [.dataBreach, .phishing].contains($0.threatKind) }.map(\.steps.count)
                .reduce(0, +)
            #expect(tasks.count == expected && expected > 0)
            #expect(
                Set(tasks.map(\.playbookID))
                    == Set(playbooks.filter { [.dataBreach, .phishing].contains($0.threatKind) }.map(\.id))
            )
            #expect(tasks == tasks.sorted { $0.dueAt < $1.dueAt || ($0.dueAt == $1.dueAt && $0.id < $1.id) })
            let timeline = try await f.store.incidents.timeline(incidentID: incident.id)
            #expect(
                timeline.first?.event
                    == .declared(severity: .sev2, kinds: [.dataBreach, .phishing], title: "Web shop database copied")
            )
            #expect(timeline.contains { if case .playbookTasksAdded = $0.event { $0.kind == .task } else { false } })
        }
    }

    @Test(arguments: TestDatabases.engines)
    func aBadDeclarationSavesNothing(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let inactive = try await f.user("gone@example.fi", status: .disabled)
            await #expect(throws: IncidentError.self) {
                try await f.store.incidents.declare(
                    IncidentDraft(title: "", kinds: [], severity: .sev1),
                    commanderID: inactive.id,
                    playbooks: [],
                    actor: "a",
                    now: f.now
                )
            }
            do {
                _ = try await f.store.incidents.declare(
                    IncidentDraft(title: "Flood", kinds: [.denialOfService], severity: .sev3),
                    commanderID: inactive.id,
                    playbooks: try DefaultPlaybooks.all(),
                    actor: "a",
                    now: f.now
                )
                Issue.record("a disabled commander was accepted")
            } catch let error as IncidentError {
                #expect(error.problems.map(\.field) == ["commander"])
            }
            for table in ["incidents", "incident_tasks", "incident_timeline", "incident_roles"] {
                #expect(try await f.database.rowCount(table) == 0, "\(table)")
            }
        }
    }

    @Test(arguments: TestDatabases.engines)
    func statusFollowsTheLifecycleAndRefusedMovesChangeNothing(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let incident = try await Self.declare(f, commander: try await f.user().id)
            let before = try await f.store.incidents.timeline(incidentID: incident.id).count
            do {
                try await f.store.incidents.setStatus(id: incident.id, to: .closed, actor: "a", now: f.now)
                Issue.record("detected → closed accepted")
            } catch let error as IncidentError {
                #expect(error.isTransitionRefused && error.message.contains("detected to closed"))
            }
            #expect(try await f.store.incidents.find(id: incident.id)?.status == .detected)
            #expect(try await f.store.incidents.timeline(incidentID: incident.id).count == before)

            f.clock.advance(3600)
            let contained = try await f.store.incidents.setStatus(
                id: incident.id,
                to: .contained,
                reason: "admin sessions revoked",
                actor: "a",
                now: f.now
            )
            #expect(contained.status == .contained && contained.times.containedAt == f.now)
            for next in [IncidentStatus.eradicated, .recovered, .closed] {
                f.clock.advance(60)
                #expect(
                    try await f.store.incidents.setStatus(id: incident.id, to: next, actor: "a", now: f.now).status
                        == next
                )
            }
            let reopened = try await f.store.incidents.setStatus(
                id: incident.id,
                to: .analysing,
                reason: "new evidence",
                actor: "a",
                now: f.now
            )
            #expect(reopened.status == .analysing)
            let entries = try await f.store.incidents.timeline(incidentID: incident.id)
            // The move is a typed event; the reason is the person's words, kept apart from it.
            #expect(
                entries.contains {
                    $0.event == .statusChanged(from: .detected, to: .contained) && $0.words == "admin sessions revoked"
                }
            )
            #expect(entries.contains { $0.event == .statusChanged(from: .closed, to: .analysing) })
            #expect(entries.map(\.text).contains("Status: Closed → Analysing — new evidence"))
            await #expect(throws: IncidentError.self) {
                try await f.store.incidents.setStatus(id: 999, to: .analysing, actor: "a", now: f.now)
            }
        }
    }

    @Test(arguments: TestDatabases.engines)
    func editsAreRecordedFieldByFieldAndANewThreatKindBringsItsPlaybook(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let incident = try await Self.declare(f, commander: try await f.user().id)
            let tasksBefore = try await f.store.incidents.tasks(incidentID: incident.id).count
            var draft = IncidentDraft(
                title: incident.title,
                summary: incident.summary,
                kinds: incident.kinds,
                severity: incident.severity,
                times: incident.times
            )
            draft.severity = .sev1
            draft.kinds = [.dataBreach, .malware]
            draft.times.occurredAt = f.now - 86_400 * 3
            f.clock.advance(600)
            let updated = try await f.store.incidents.update(
                id: incident.id,
                draft,
                playbooks: try DefaultPlaybooks.all(),
                actor: "b",
                now: f.now
            )
            #expect(
                updated.severity == .sev1 && updated.kinds == [.dataBreach, .malware]
                    && updated.times.occurredAt == draft.times.occurredAt
            )
            let events = try await f.store.incidents.timeline(incidentID: incident.id).compactMap(\.event)
            #expect(events.contains(.severityChanged(from: .sev2, to: .sev1)))
            #expect(events.contains(.kindsChanged(from: [.dataBreach], to: [.dataBreach, .malware])))
            #expect(events.contains(.keyTimeChanged(field: .occurredAt, from: nil, to: draft.times.occurredAt)))
            let malwareSteps = try DefaultPlaybooks.all().first { $0.threatKind == .malware }!.steps.count
            let tasks = try await f.store.incidents.tasks(incidentID: incident.id)
            #expect(tasks.count == tasksBefore + malwareSteps)
            // Tasks stay due relative to the declaration, not the edit.
            #expect(
                tasks.filter { $0.playbookID == "malware" }.allSatisfy {
                    $0.dueAt >= incident.declaredAt && $0.dueAt < incident.declaredAt + 86_400 * 400
                }
            )
            // A time out of order is refused, naming the field; nothing changes.
            var bad = draft
            bad.times.containedAt = f.now - 86_400 * 10
            do {
                try await f.store.incidents.update(id: incident.id, bad, playbooks: [], actor: "b", now: f.now)
                Issue.record("contained before it occurred was accepted")
            } catch let error as IncidentError {
                #expect(error.problems.map(\.field) == ["contained_at"])
            }
            #expect(try await f.store.incidents.find(id: incident.id)?.times.containedAt == nil)
        }
    }

    @Test(arguments: TestDatabases.engines)
    func theListGivesEachIncidentItsOwnRolesAndTaskCounts(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let anna = try await f.user().id
            let ben = try await f.user("ben@example.fi").id
            let first = try await Self.declare(f, commander: anna)
            let second = try await Self.declare(f, kinds: [.phishing, .malware], commander: ben)
            let noTasks = try await f.store.incidents.declare(
                IncidentDraft(title: "False alarm", kinds: [.other], severity: .sev4),
                commanderID: anna,
                playbooks: [],
                actor: "a",
                now: f.now
            )
            let firstTasks = try await f.store.incidents.tasks(incidentID: first.id)
            try await f.store.incidents.setTaskDone(
                incidentID: first.id,
                taskID: firstTasks[0].id,
                done: true,
                actor: "a",
                now: f.now
            )
            let probe = f.now + 86_400 * 400
            let listed = try await f.store.incidents.list(now: probe)
            #expect(listed.map(\.incident.id) == [noTasks.id, second.id, first.id])
            #expect(listed.map { $0.incident.roles[.commander] } == [anna, ben, anna])
            let secondTasks = try await f.store.incidents.tasks(incidentID: second.id)
            #expect(listed.map(\.openTasks) == [0, secondTasks.count, firstTasks.count - 1])
            #expect(
                listed.map(\.overdueTasks) == [0, secondTasks.count, firstTasks.count - 1],
                "a year on, every open task is overdue"
            )
            #expect(try await f.store.incidents.list(now: f.now - 86_400).map(\.overdueTasks) == [0, 0, 0])
            #expect(secondTasks.count != firstTasks.count - 1, "the counts tell the incidents apart")
        }
    }

    @Test(arguments: TestDatabases.engines)
    func overdueTasksStandOutUntilDoneOrTheIncidentCloses(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let incident = try await Self.declare(f, commander: try await f.user().id)
            let tasks = try await f.store.incidents.tasks(incidentID: incident.id)
            #expect(try await f.store.incidents.overdueTasks(now: f.now).isEmpty)
            let first = tasks[0]
            let second = tasks.first { $0.dueAt > first.dueAt }!
            let probe = first.dueAt + 60
            let overdue = try await f.store.incidents.overdueTasks(now: probe)
            #expect(Set(overdue.map(\.task.id)) == Set(tasks.filter { $0.dueAt < probe }.map(\.id)))
            #expect(overdue.allSatisfy { $0.incidentTitle == incident.title })
            #expect(try await f.store.incidents.list(now: probe).first?.overdueTasks == overdue.count)

            try await f.store.incidents.setTaskDone(
                incidentID: incident.id,
                taskID: first.id,
                done: true,
                actor: "a",
                now: probe
            )
            #expect(!(try await f.store.incidents.overdueTasks(now: probe).contains { $0.task.id == first.id }))
            #expect(
                try await f.store.incidents.timeline(incidentID: incident.id).last?.event
                    == .taskDone(taskID: first.id, title: first.title, late: 60)
            )
            await #expect(throws: IncidentError.self) {
                try await f.store.incidents.setTaskDone(
                    incidentID: incident.id + 1,
                    taskID: second.id,
                    done: true,
                    actor: "a",
                    now: probe
                )
            }
            // A closed incident's open tasks no longer nag.
            for status in [IncidentStatus.contained, .recovered, .closed] {
                try await f.store.incidents.setStatus(id: incident.id, to: status, actor: "a", now: probe)
            }
            #expect(try await f.store.incidents.overdueTasks(now: probe + 86_400 * 30).isEmpty)
        }
    }

    @Test(arguments: TestDatabases.engines)
    func timelineNotesAreValidatedAndKeptInOrder(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let incident = try await Self.declare(f, commander: try await f.user().id)
            try await f.store.incidents.addEntry(
                incidentID: incident.id,
                kind: .decision,
                visibility: .internal,
                text: "Take the shop offline",
                author: "a",
                now: f.now
            )
            try await f.store.incidents.addEntry(
                incidentID: incident.id,
                kind: .note,
                visibility: .publicReady,
                text: "We are investigating.",
                author: "b",
                now: f.now
            )
            await #expect(throws: IncidentError.self) {
                try await f.store.incidents.addEntry(
                    incidentID: incident.id,
                    kind: .note,
                    visibility: .internal,
                    text: "   ",
                    author: "a",
                    now: f.now
                )
            }
            await #expect(throws: IncidentError.self) {
                try await f.store.incidents.addEntry(
                    incidentID: incident.id,
                    kind: .change,
                    visibility: .internal,
                    text: "forged change",
                    author: "a",
                    now: f.now
                )
            }
            let timeline = try await f.store.incidents.timeline(incidentID: incident.id)
            #expect(Array(timeline.suffix(2).map(\.kind)) == [.decision, .note])
            #expect(timeline.last?.visibility == .publicReady && timeline.last?.author == "b")
            #expect(timeline.map(\.id) == timeline.map(\.id).sorted())
        }
    }

    @Test(arguments: TestDatabases.engines)
    func playbooksAndThePlanAreSavedOnlyWhenValid(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let shipped = try DefaultPlaybooks.all()
            try await f.store.playbooks.installDefaults(shipped, now: f.now)
            try await f.store.playbooks.installDefaults(shipped, now: f.now)
            #expect(try await f.store.playbooks.all() == shipped)
            var edited = shipped[0]
            edited.steps[0].dueAfterHours += 1
            f.clock.advance(86_400 * 2)
            let saved = try await f.store.playbooks.save(
                document: edited.json(),
                expectedID: edited.id,
                actor: "a",
                now: f.now
            )
            #expect(saved.steps[0].dueAfterHours == edited.steps[0].dueAfterHours)
            #expect(UTCDay.format(saved.reviewedOn) == UTCDay.format(f.now), "saving is a review")
            #expect(try await f.store.playbooks.find(id: edited.id) == saved)

            let broken = edited.json().replacingOccurrences(
                of: "\"owner\" : \"commander\"",
                with: "\"owner\" : \"ceo\""
            )
            #expect(broken != edited.json())
            do {
                _ = try await f.store.playbooks.save(document: broken, expectedID: edited.id, actor: "a", now: f.now)
                Issue.record("unknown role accepted")
            } catch let error as IncidentError {
                #expect(error.problems.first?.field.hasSuffix(".owner") == true)
            }
            await #expect(throws: IncidentError.self) {
                try await f.store.playbooks.save(
                    document: shipped[1].json(),
                    expectedID: shipped[0].id,
                    actor: "a",
                    now: f.now
                )
            }
            #expect(try await f.store.playbooks.find(id: edited.id) == saved, "a refused save changes nothing")

            #expect(try await f.store.playbooks.plan() == ResponsePlan())
            let plan = ResponsePlan(
                roles: [.commander: .init(name: "Aino", phone: "+358 40 1")],
                contacts: [.init(kind: .legal, name: "Law Oy", email: "law@example.fi")]
            )
            try await f.store.playbooks.savePlan(document: plan.json(), actor: "a", now: f.now)
            #expect(try await f.store.playbooks.plan() == plan)
            await #expect(throws: IncidentError.self) {
                try await f.store.playbooks.savePlan(document: "{\"roles\": 1}", actor: "a", now: f.now)
            }
            #expect(try await f.store.playbooks.plan() == plan)
        }
    }
}

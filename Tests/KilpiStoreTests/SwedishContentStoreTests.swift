import Foundation
import KilpiCore
import KilpiStore
import KilpiTestSupport
import SQLKit
import Testing

/// Swedish that ships after an installation was set up reaches it, without touching what the company edited, and
/// tasks copied from a playbook keep its Swedish.
@Suite struct SwedishContentStoreTests {
    /// `playbook` as Kilpi shipped it before it had Swedish.
    static func withoutSwedish(_ playbook: Playbook) -> Playbook {
        func strip(_ text: LocalizedText) -> LocalizedText { LocalizedText(en: text.en, fi: text.fi) }
        var old = playbook
        old.title = strip(old.title)
        for index in old.steps.indices {
            old.steps[index].title = strip(old.steps[index].title)
            old.steps[index].checklist = old.steps[index].checklist.map(strip)
        }
        return old
    }

    @Test(arguments: TestDatabases.engines)
    func anEditThatChangesTheEnglishButNotTheSwedishDropsThatSwedish(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let shipped = try DefaultPlaybooks.all()
            try await f.store.playbooks.installDefaults(shipped, now: f.now)
            var edited = try #require(shipped.first { $0.threatKind == .phishing })
            let kept = edited.steps[0].checklist[0]
            edited.steps[0].title.en = "Declare the incident; call the CISO first"
            let saved = try await f.store.playbooks.save(
                document: edited.json(),
                expectedID: edited.id,
                actor: Actor.user(1).description,
                now: f.now
            )
            #expect(saved.steps[0].title.sv == nil, "the old Swedish no longer says what the English says")
            #expect(saved.steps[0].title.text(in: .sv) == "Declare the incident; call the CISO first")
            #expect(saved.steps[0].checklist[0] == kept)
            #expect(try await f.store.playbooks.find(id: edited.id) == saved)
        }
    }

    @Test(arguments: TestDatabases.engines)
    func aShippedPlaybookNobodyEditedGetsTheSwedishAnEditedOneIsKept(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let shipped = try DefaultPlaybooks.all()
            let old = shipped.map(Self.withoutSwedish)
            #expect(old != shipped)
            try await f.store.playbooks.installDefaults(old, now: f.now)
            // The company reviews (saves) the malware playbook as it was, without Swedish.
            let malware = try #require(old.first { $0.threatKind == .malware })
            f.clock.advance(86_400)
            let reviewed = try await f.store.playbooks.save(
                document: malware.json(),
                expectedID: malware.id,
                actor: Actor.user(1).description,
                now: f.now
            )

            f.clock.advance(86_400)
            let audit = Audited<Playbook>(f.store.audit, now: f.now) {
                Caller(.system, ip: "local").event(.playbookUpdate, target: "playbook:\($0.id)", detail: "shipped")
            }
            try await f.store.playbooks.installDefaults(shipped, now: f.now, audit: audit)
            let updates = try await f.store.audit.entries(AuditFilter(actionPrefix: "playbook.update"))
            #expect(
                Set(updates.map(\.target)) == Set(shipped.filter { $0.id != malware.id }.map { "playbook:\($0.id)" })
            )
            #expect(updates.allSatisfy { $0.actor == "system" }, "each update audited as Kilpi's own")
            let installed = try await f.store.playbooks.all()
            #expect(installed.map(\.id) == shipped.map(\.id))
            for playbook in installed where playbook.id != malware.id {
                #expect(playbook == shipped.first { $0.id == playbook.id }, "\(playbook.id) not brought up to date")
                #expect(playbook.title.sv != nil)
            }
            #expect(try await f.store.playbooks.find(id: malware.id) == reviewed, "a saved playbook is not overwritten")
            // Installing again changes nothing.
            try await f.store.playbooks.installDefaults(shipped, now: f.now, audit: audit)
            #expect(try await f.store.playbooks.all() == installed)
            #expect(
                try await f.store.audit.entries(AuditFilter(actionPrefix: "playbook.update")).count == updates.count
            )
        }
    }

    @Test(arguments: TestDatabases.engines)
    func tasksKeepTheirPlaybooksSwedish(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let commander = try await f.user()
            let incident = try await IncidentRepositoryTests.declare(f, kinds: [.phishing], commander: commander.id)
            let phishing = try #require(try DefaultPlaybooks.all().first { $0.threatKind == .phishing })
            let tasks = try await f.store.incidents.tasks(incidentID: incident.id)
            #expect(tasks.count == phishing.steps.count)
            let swedishTitles = Set(phishing.steps.compactMap(\.title.sv))
            #expect(swedishTitles.count == phishing.steps.count)
            #expect(Set(tasks.compactMap(\.title.sv)) == swedishTitles)
            #expect(tasks.allSatisfy { task in task.checklist.allSatisfy { $0.sv != nil } })
            // A task copied before migration 14 has no Swedish title: English for a Swedish reader.
            let first = try #require(tasks.first)
            try await f.database.execute("UPDATE incident_tasks SET title_sv = NULL WHERE id = \(bind: first.id)")
            let older = try #require(
                try await f.store.incidents.tasks(incidentID: incident.id).first { $0.id == first.id }
            )
            #expect(older.title.sv == nil && older.title.resolved(.sv) == ResolvedText(first.title.en, .en))
        }
    }
}

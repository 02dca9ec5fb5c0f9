import Foundation
import KilpiCore
import KilpiStore
import KilpiTestSupport
import Testing

/// Every use case writes its change, its timeline entries and its audit entry in one transaction: a failure
/// injected at the audit entry (a database trigger that refuses the insert, so the real statement fails inside the
/// real transaction) must leave neither the change nor the timeline entry behind. And without the failure, each
/// use case writes exactly its one audit entry, so the check above cannot pass by writing no entry at all.
@Suite struct UseCaseTransactionTests {
    /// Tables a use case may touch: all of them are compared before and after a failed one.
    static let tables = [
        "incidents", "incident_roles", "incident_timeline", "incident_tasks", "scope_versions", "exposure_chunks",
        "playbooks", "response_plan", "data_categories", "systems", "customers", "holdings", "audit_log",
    ]

    struct World: Sendable {
        let f: Fixture
        let incidents: IncidentService
        let plan: PlanService
        let dataMap: DataMapService
        let incident: Incident
        let commander: StaffUser
        let systemID: Int64
        static let caller = Caller(.user(1), ip: "198.51.100.7")
    }

    static func world(_ f: Fixture) async throws -> World {
        let commander = try await f.user()
        try await f.store.playbooks.installDefaults(try DefaultPlaybooks.all(), now: f.now)
        _ = try await DemoDataMap.seed(store: f.store, customers: 40, now: f.now)
        let incidents = IncidentService(store: f.store, now: f.clock.source)
        let incident = try await incidents.declare(
            IncidentDraft(title: "Shop database copied", kinds: [.dataBreach], severity: .sev2),
            commanderID: commander.id,
            by: World.caller
        )
        return World(
            f: f,
            incidents: incidents,
            plan: PlanService(store: f.store, now: f.clock.source),
            dataMap: DataMapService(store: f.store, now: f.clock.source),
            incident: incident,
            commander: commander,
            systemID: try await f.store.dataMap.systems()[0].id
        )
    }

    /// One use case, named for the failure message, and the audit action it must write.
    struct UseCase: Sendable, CustomStringConvertible {
        let name: String
        let action: String
        let run: @Sendable (World) async throws -> Void
        var description: String { name }
    }

    static let useCases: [UseCase] = [
        UseCase(name: "declare", action: "incident.declare") { w in
            _ = try await w.incidents.declare(
                IncidentDraft(title: "Phishing wave", kinds: [.phishing], severity: .sev3),
                commanderID: w.commander.id,
                by: World.caller
            )
        },
        UseCase(name: "update with status", action: "incident.update") { w in
            var draft = IncidentDraft(
                title: "Renamed",
                kinds: w.incident.kinds,
                severity: .sev1,
                times: w.incident.times
            )
            draft.summary = "New summary"
            try await w.incidents.update(id: w.incident.id, draft, status: .analysing, by: World.caller)
        },
        UseCase(name: "status", action: "incident.status") { w in
            try await w.incidents.setStatus(id: w.incident.id, to: .analysing, reason: "looking", by: World.caller)
        },
        UseCase(name: "role", action: "incident.role") { w in
            try await w.incidents.assign(id: w.incident.id, role: .scribe, userID: w.commander.id, by: World.caller)
        },
        UseCase(name: "timeline entry", action: "incident.timeline") { w in
            try await w.incidents.addEntry(
                incidentID: w.incident.id,
                kind: .decision,
                visibility: .internal,
                text: "Take the shop offline",
                by: World.caller
            )
        },
        UseCase(name: "task", action: "incident.task") { w in
            let task = try await w.f.store.incidents.tasks(incidentID: w.incident.id)[0]
            try await w.incidents.setTaskDone(incidentID: w.incident.id, taskID: task.id, done: true, by: World.caller)
        },
        UseCase(name: "lessons", action: "incident.lessons") { w in
            try await w.incidents.setLessons(id: w.incident.id, "Rotate admin sessions", by: World.caller)
        },
        UseCase(name: "impact", action: "impact.update") { w in
            var assumptions = ImpactAssumptions.defaults
            assumptions.annualTurnover = 12_000_000
            try await w.incidents.setImpactAssumptions(id: w.incident.id, assumptions, by: World.caller)
        },
        UseCase(name: "scope", action: "scope.create") { w in
            _ = try await w.incidents.createScope(
                incidentID: w.incident.id,
                ScopeDraft(
                    systemIDs: [w.systemID],
                    windowStart: Date(timeIntervalSince1970: 0),
                    windowEnd: w.f.now,
                    categoryIDs: [],
                    customerExternalIDs: [],
                    note: "first look"
                ),
                by: World.caller
            )
        },
        UseCase(name: "plan", action: "plan.update") { w in
            var plan = try await w.f.store.playbooks.plan()
            plan.contacts.append(ResponsePlan.Contact(kind: .insurer, name: "Vakuutus Oy", phone: "+358 9 000"))
            try await w.plan.savePlan(document: plan.json(), by: World.caller)
        },
        UseCase(name: "playbook", action: "playbook.update") { w in
            let playbook = try await w.f.store.playbooks.all()[0]
            try await w.plan.savePlaybook(document: playbook.json(), expectedID: playbook.id, by: World.caller)
        },
        UseCase(name: "import", action: "import.customers") { w in
            let csv =
                "external_id,name,email,phone,language,country,region\nNEW-1,Uusi Asiakas,uusi@example.fi,,fi,FI,\n"
            _ = try await w.dataMap.importData(.customers, data: Data(csv.utf8), source: "new.csv", by: World.caller)
        },
        UseCase(name: "category", action: "category.update") { w in
            var category = try await w.f.store.dataMap.categories()[0]
            category.adviceEN = "Watch for unexpected messages."
            #expect(try await w.dataMap.updateCategory(category, by: World.caller))
        },
    ]

    static let cases: [(SQLEngine, String)] = TestDatabases.engines.flatMap { engine in
        useCases.map { (engine, $0.name) }
    }

    @Test(arguments: cases)
    func aFailedAuditEntryLeavesNoChange(engine: SQLEngine, name: String) async throws {
        let useCase = try #require(Self.useCases.first { $0.name == name })
        try await withFixture(engine) { f in
            let world = try await Self.world(f)
            f.clock.advance(60)
            let before = try await Self.snapshot(f)
            try await Self.failAuditInserts(f)
            await #expect(throws: (any Error).self, "\(useCase) must fail when its audit entry fails") {
                try await useCase.run(world)
            }
            #expect(try await Self.snapshot(f) == before, "\(useCase) left a change behind without its audit entry")
        }
    }

    @Test(arguments: cases)
    func eachUseCaseWritesItsAuditEntry(engine: SQLEngine, name: String) async throws {
        let useCase = try #require(Self.useCases.first { $0.name == name })
        try await withFixture(engine) { f in
            let world = try await Self.world(f)
            f.clock.advance(60)
            let before = try await f.database.rowCount("audit_log")
            try await useCase.run(world)
            let entries = try await f.store.audit.entries(AuditFilter(limit: 10))
            #expect(try await f.database.rowCount("audit_log") == before + 1, "\(useCase)")
            #expect(entries.first?.action == useCase.action)
            #expect(entries.first?.actor == "user:1" && entries.first?.ip == "198.51.100.7")
        }
    }

    static func snapshot(_ f: Fixture) async throws -> [String: String] {
        var tables: [String: String] = [:]
        for table in Self.tables { tables[table] = try await f.database.dump(table) }
        return tables
    }

    /// Makes every insert into the audit log fail inside whatever transaction attempts it.
    static func failAuditInserts(_ f: Fixture) async throws {
        switch f.database.engine {
        case .sqlite:
            try await f.database.execute(
                "CREATE TRIGGER test_audit_fails BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
            )
        case .postgres:
            try await f.database.execute(
                "CREATE FUNCTION test_audit_fails() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$"
            )
            try await f.database.execute(
                "CREATE TRIGGER test_audit_fails BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION test_audit_fails()"
            )
        }
    }
}

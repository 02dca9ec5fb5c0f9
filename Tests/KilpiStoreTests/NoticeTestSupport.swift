import Foundation
import KilpiCore
import KilpiTestSupport
import SQLKit
import Testing

@testable import KilpiStore

/// Accepts a template unless it names `{{unknown}}`: the store's contract with the checker (the real one, with the
/// template engine, lives in KilpiMail, which the store cannot import).
struct UnknownVariableChecker: NoticeTemplateChecker {
    func problems(_ template: NoticeTemplateText, language: Language) -> [FieldProblem] {
        template.text.contains("{{unknown}}") ? [FieldProblem("text", "line 1: unknown variable unknown")] : []
    }
}

/// An incident with two scope versions over twelve customers, and approved English and Finnish templates.
///
/// Customers C0…C11 speak fi, sv, en, de in turn; C5 has no email address, C7 is erased. In the web shop (scope v1)
/// C0…C7 hold their name and email; in payments C4…C11 hold a card. Scope v2 covers both systems: C8…C11 are
/// newly affected, C4…C7 have a category more (widened), C0…C3 are unchanged.
struct NoticeWorld: Sendable {
    let incidentID: Int64
    let v1: Int64
    let v2: Int64
    /// Internal id per external id.
    let customers: [String: Int64]
    let editor: Caller
    let approver: Caller
    let service: NoticeService

    static let editor = Caller(.user(1), ip: "198.51.100.7")
    static let approver = Caller(.user(2), ip: "198.51.100.8")

    func id(_ external: String) -> Int64 { customers[external]! }

    static func text(_ language: Language) -> NoticeTemplateText {
        NoticeTemplateText(
            subject: "Notice (\(language.rawValue))",
            text: "Hello {{name}}, code {{code}}",
            html: "<p>Hello {{name}}</p>"
        )
    }

    static func build(_ f: Fixture, templates: [Language] = [.en, .fi]) async throws -> NoticeWorld {
        try await f.store.dataMap.installCatalogue(now: f.now)
        let inputs = (0..<12).map { i in
            CustomerInput(
                externalID: "C\(i)",
                name: "Customer Name\(i)",
                email: i == 5 ? nil : "person\(i)@example.com",
                phone: nil,
                language: ["fi", "sv", "en", "de"][i % 4],
                country: "FI",
                region: ""
            )
        }
        try await f.database.transaction { [inputs] sql in
            _ = try await f.store.customers.upsert(inputs, now: f.now, in: sql)
            for name in ["Web shop", "Payments"] {
                try await sql.raw(
                    """
                    INSERT INTO systems (name, name_key, kind, owner, location, encrypted_at_rest, key_location, created_at, updated_at)
                    VALUES (\(bind: name), \(bind: name.lowercased()), 'other', 'IT', 'EU', \(bind: false), '', 0, 0)
                    """
                ).run()
            }
        }
        let systems = try await f.store.dataMap.summaries().map(\.system.id).sorted()
        var customers: [String: Int64] = [:]
        for input in inputs {
            customers[input.externalID] = try #require(try await f.store.customers.find(externalID: input.externalID))
                .id
        }
        try await f.database.transaction { [customers] sql in
            for i in 0..<12 {
                let customer = customers["C\(i)"]!
                var holdings: [(Int64, String)] = []
                if i < 8 { holdings += [(systems[0], "name"), (systems[0], "email")] }
                if i >= 4 { holdings.append((systems[1], "payment_card")) }
                for (system, category) in holdings {
                    try await sql.raw(
                        """
                        INSERT INTO holdings (customer_id, system_id, category_id, held_from, held_until)
                        VALUES (\(bind: customer), \(bind: system), \(bind: category), 0, NULL)
                        """
                    ).run()
                }
            }
        }
        _ = try await f.database.transaction { [customers] sql in
            try await f.store.customers.erase(id: customers["C7"]!, now: f.now, in: sql)
        }
        let commander = try await f.user()
        let incident = try await f.store.incidents.declare(
            IncidentDraft(title: "Web shop database copied", kinds: [.dataBreach], severity: .sev2),
            commanderID: commander.id,
            playbooks: [],
            actor: "user:1",
            now: f.now
        )
        let start = Date(epochMilliseconds: 10 * ExposureRule.day)
        let end = Date(epochMilliseconds: 20 * ExposureRule.day)
        let v1 = try await f.store.scopes.create(
            incidentID: incident.id,
            ScopeDraft(systemIDs: [systems[0]], windowStart: start, windowEnd: end),
            actor: "user:1",
            now: f.now
        )
        let v2 = try await f.store.scopes.create(
            incidentID: incident.id,
            ScopeDraft(systemIDs: systems, windowStart: start, windowEnd: end),
            actor: "user:1",
            now: f.now
        )
        let service = NoticeService(store: f.store, checker: UnknownVariableChecker())
        for language in templates {
            let saved = try await service.saveTemplate(
                key: NoticeTemplateVersion.generalKey,
                language: language,
                text: text(language),
                by: editor,
                now: f.now
            )
            _ = try await service.approveTemplate(id: saved.id, by: approver, now: f.now)
        }
        return NoticeWorld(
            incidentID: incident.id,
            v1: v1.id,
            v2: v2.id,
            customers: customers,
            editor: editor,
            approver: approver,
            service: service
        )
    }

    /// The (external id → row) of a campaign's outbox.
    func rows(_ f: Fixture, campaign: Int64) async throws -> [String: OutboxRow] {
        let byID = Dictionary(uniqueKeysWithValues: customers.map { ($0.value, $0.key) })
        let rows = try await f.store.outbox.recipients(campaignID: campaign, limit: 1000)
        return Dictionary(uniqueKeysWithValues: rows.map { (byID[$0.customerID]!, $0) })
    }
}

extension Fixture {
    /// Timeline events of an incident, oldest first.
    func events(incident: Int64) async throws -> [TimelineEvent] {
        try await database.withConnection { sql in
            try await sql.raw(
                "SELECT event FROM incident_timeline WHERE incident_id = \(bind: incident) AND event IS NOT NULL ORDER BY id"
            ).all().compactMap { TimelineEvent(json: try $0.decode(column: "event", as: String.self)) }
        }
    }

    /// Audit actions written so far, oldest first.
    func auditActions() async throws -> [String] {
        try await store.audit.entries(AuditFilter()).sorted { $0.id < $1.id }.map(\.action)
    }
}

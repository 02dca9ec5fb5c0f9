import Foundation
import KilpiCore

/// The demo's live incident: a data breach at Aurora's web shop, declared two days ago, with a scope covering
/// the web shop for the two weeks the attacker had access, and a response plan with one gap left to find.
public enum DemoIncident {
    /// Seeds the plan and the incident once (skipped when any incident exists). Returns the incident, if seeded.
    @discardableResult
    public static func seed(store: Store, now: Date) async throws -> Incident? {
        guard try await store.incidents.list(now: now, limit: 1).isEmpty else { return nil }
        let staff = Dictionary(uniqueKeysWithValues: try await store.users.all().map { ($0.email, $0) })
        func user(_ role: Role) -> StaffUser? { DemoData.staff.first { $0.role == role }.flatMap { staff[$0.email] } }
        guard let responder = user(.responder), let communicator = user(.communicator), let agent = user(.agent) else {
            return nil
        }

        // A plan that is nearly right: the check finds the missing insurer contact.
        let plan = ResponsePlan(
            roles: [
                .commander: .init(name: responder.displayName, phone: "+358 40 555 0101", email: responder.email),
                .technicalLead: .init(name: "Mikko Lahtinen", phone: "+358 40 555 0102"),
                .communicationsLead: .init(
                    name: communicator.displayName,
                    phone: "+358 40 555 0103",
                    email: communicator.email
                ),
                .legal: .init(name: "Laura Heikkinen (DPO)", phone: "+358 40 555 0104"),
                .supportLead: .init(name: agent.displayName, phone: "+358 40 555 0105", email: agent.email),
                .scribe: .init(name: "Jari Salonen", phone: "+358 40 555 0106"),
            ],
            contacts: [
                .init(kind: .legal, name: "Asianajotoimisto Esimerkki Oy", phone: "+358 9 555 0200"),
                .init(kind: .pr, name: "Viestintätoimisto Esimerkki", email: "kriisi@viestinta.example"),
                .init(
                    kind: .authority,
                    name: "Tietosuojavaltuutetun toimisto",
                    phone: "+358 29 566 6700",
                    email: "tietosuoja@om.fi"
                ),
                .init(kind: .authority, name: "Kyberturvallisuuskeskus (NCSC-FI)", phone: "+358 295 345 630"),
            ],
            exercises: [
                .init(
                    date: UTCDay.parse(UTCDay.format(now.addingTimeInterval(-240 * 86_400)))!,
                    description: "Tabletop: ransomware in the warehouse system"
                )
            ]
        )
        try await store.playbooks.savePlan(document: plan.json(), actor: Actor.system.description, now: now)

        let declared = now.addingTimeInterval(-2 * 86_400)
        let occurred = now.addingTimeInterval(-16 * 86_400)
        let incident = try await store.incidents.declare(
            IncidentDraft(
                title: "Web shop customer database accessed with a stolen admin session",
                summary:
                    "A phished administrator's session was used to export the web shop's customer table over two weeks. Access is revoked; the investigation continues.",
                kinds: [.dataBreach],
                severity: .sev1,
                times: KeyTimes(
                    occurredAt: occurred,
                    detectedAt: declared.addingTimeInterval(-3 * 3600),
                    awareAt: declared
                )
            ),
            commanderID: responder.id,
            playbooks: try await store.playbooks.all(),
            actor: Actor.user(responder.id).description,
            now: declared
        )
        try await store.incidents.assign(
            id: incident.id,
            role: .communicationsLead,
            userID: communicator.id,
            actor: Actor.user(responder.id).description,
            now: declared
        )
        try await store.incidents.assign(
            id: incident.id,
            role: .supportLead,
            userID: agent.id,
            actor: Actor.user(responder.id).description,
            now: declared
        )
        try await store.incidents.addEntry(
            incidentID: incident.id,
            kind: .decision,
            visibility: .internal,
            text: "Revoke every admin session and force password resets with MFA for all shop administrators.",
            author: Actor.user(responder.id).description,
            now: declared.addingTimeInterval(1800)
        )
        try await store.incidents.setStatus(
            id: incident.id,
            to: .contained,
            reason: "admin sessions revoked",
            actor: Actor.user(responder.id).description,
            now: declared.addingTimeInterval(4 * 3600)
        )
        // The first three tasks, done one after another in the first hours (never in the future).
        for (number, task) in try await store.incidents.tasks(incidentID: incident.id).prefix(3).enumerated() {
            try await store.incidents.setTaskDone(
                incidentID: incident.id,
                taskID: task.id,
                done: true,
                actor: Actor.user(responder.id).description,
                now: min(task.dueAt, declared.addingTimeInterval(Double(number + 1) * 3000))
            )
        }
        if let shop = try await store.dataMap.summaries().first(where: { $0.system.name == DemoDataMap.systems[0].name }
        ) {
            _ = try await store.scopes.create(
                incidentID: incident.id,
                ScopeDraft(
                    systemIDs: [shop.system.id],
                    windowStart: occurred,
                    windowEnd: declared,
                    note: "Web shop access logs show the stolen session in use for two weeks."
                ),
                actor: Actor.user(responder.id).description,
                now: declared.addingTimeInterval(6 * 3600)
            )
        }
        // Found in the mail logs later, recorded when it was found, shown when it happened.
        try await store.incidents.addEntry(
            incidentID: incident.id,
            kind: .note,
            visibility: .internal,
            text: "The administrator received the phishing email that stole the session (mail log).",
            occurredAt: occurred.addingTimeInterval(-3600),
            author: Actor.user(responder.id).description,
            now: declared.addingTimeInterval(7 * 3600)
        )
        try await store.incidents.addEntry(
            incidentID: incident.id,
            kind: .note,
            visibility: .publicReady,
            text: "We have closed the access used in the attack and are contacting every affected customer personally.",
            author: Actor.user(communicator.id).description,
            now: declared.addingTimeInterval(8 * 3600)
        )
        return try await store.incidents.find(id: incident.id)
    }
}

import Foundation
import KilpiCore

/// The demo's security measures register: what a careful web shop does (multi-factor sign-in, encryption, a
/// yearly penetration test with its findings, backups, training, an exercised response plan), all public, and
/// one measure promised after the demo incident: started from its "strengthen security" task, in progress and
/// not yet shown publicly, so the console has something to track and a communicator something to decide.
/// Seeds once (skipped when the register ever held anything).
public enum DemoMeasures {
    /// Returns how many measures were added.
    @discardableResult
    public static func seed(store: Store, now: Date) async throws -> Int {
        guard try await store.measures.isEmpty() else { return 0 }
        let staff = Dictionary(uniqueKeysWithValues: try await store.users.all().map { ($0.email, $0) })
        func user(_ role: Role) -> StaffUser? { DemoData.staff.first { $0.role == role }.flatMap { staff[$0.email] } }
        let owner = user(.responder)?.id
        let today = Certificate.day(of: now)
        func day(_ offset: Int) -> Date { today.addingTimeInterval(Double(offset) * 86_400) }
        var entries: [(MeasureInput, Bool)] = [
            (
                MeasureInput(
                    area: .authentication,
                    language: .en,
                    title: "Two-step sign-in for every staff account",
                    summary: "Staff sign in with a password and a one-time code. Administrator access needs both.",
                    status: .inPlace,
                    ownerID: owner,
                    lastReviewedOn: day(-30)
                ), true
            ),
            (
                MeasureInput(
                    area: .encryptionAtRest,
                    language: .en,
                    title: "Customer data encrypted in our databases and backups",
                    summary: "Names, addresses and contact details are stored encrypted; the keys are kept apart.",
                    status: .inPlace,
                    ownerID: owner,
                    lastReviewedOn: day(-60)
                ), true
            ),
            (
                MeasureInput(
                    area: .encryptionInTransit,
                    language: .en,
                    title: "TLS 1.2 or newer on every connection",
                    summary: "The shop, the app and our mail servers accept only encrypted connections.",
                    status: .inPlace,
                    lastReviewedOn: day(-60)
                ), true
            ),
            (
                MeasureInput(
                    area: .penetrationTest,
                    language: .en,
                    title: "Yearly penetration test of the web shop",
                    summary: "An outside firm attacks the shop as a criminal would; we fix what it finds.",
                    status: .inPlace,
                    ownerID: owner,
                    lastReviewedOn: day(-20),
                    performedOn: day(-120),
                    findings: SecurityMeasure.Findings(total: 7, closed: 6),
                    evidence: "Report PT-2026 (fictional), tickets SEC-101…SEC-107"
                ), true
            ),
            (
                MeasureInput(
                    area: .backups,
                    language: .en,
                    title: "Daily backups, restored in a test every quarter",
                    summary: "A copy we cannot change or delete is kept for 35 days.",
                    status: .inPlace,
                    lastReviewedOn: day(-45)
                ), true
            ),
            (
                MeasureInput(
                    area: .staffTraining,
                    language: .fi,
                    title: "Tietojenkalastelun tunnistaminen koko henkilöstölle",
                    summary: "Jokainen työntekijä harjoittelee huijausviestien tunnistamista kahdesti vuodessa.",
                    status: .inPlace,
                    lastReviewedOn: day(-90),
                    performedOn: day(-90)
                ), true
            ),
            (
                MeasureInput(
                    area: .incidentResponse,
                    language: .en,
                    title: "Incident response plan, exercised",
                    summary: "We rehearse how we detect, contain and tell you about an incident.",
                    status: .inPlace,
                    lastReviewedOn: day(-10),
                    performedOn: day(-200)
                ), true
            ),
        ]
        if let incident = try await store.incidents.list(now: now, limit: 1).first?.incident,
            let task = try await store.incidents.tasks(incidentID: incident.id).first(where: {
                $0.purpose == .securityHardening
            })
        {
            entries.append(
                (
                    MeasureInput(
                        area: .authentication,
                        language: .en,
                        title: "Two-step sign-in for contractors' access",
                        summary:
                            "After the incident, every contractor signs in with a one-time code as well as a password.",
                        status: .inProgress,
                        ownerID: owner,
                        dueOn: day(14),
                        evidence: "Change request CR-88 (fictional)",
                        incidentID: incident.id,
                        taskID: task.id
                    ), false
                )
            )
        }
        let caller = Caller(.system, ip: "local")
        for (input, shown) in entries {
            let measure = try await store.measures.create(input, by: caller, now: now)
            if shown { _ = try await store.measures.setPublic(id: measure.id, true, by: caller, now: now) }
        }
        return entries.count
    }
}

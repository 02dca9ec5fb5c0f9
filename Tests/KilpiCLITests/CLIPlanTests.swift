import Foundation
import KilpiCore
import KilpiStore
import KilpiTestSupport
import Testing

@Suite("kilpi plan check")
struct CLIPlanTests {
    @Test func findingsExitOneAndAFixedPlanExitsZero() async throws {
        let directory = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("k.sqlite").path
        let common = [
            "--database", "sqlite://" + path, "--key-file", directory.appendingPathComponent("vault.key").path,
        ]

        let empty = try CLIRunner.run(["plan", "check"] + common)
        #expect(empty.status == 1)
        for fragment in [
            "[role_without_person] No named person for the role Incident commander", "[missing_contact]",
            "[no_recent_exercise]", "Why: ", "Fix: ",
        ] {
            #expect(empty.stdout.contains(fragment), "\(fragment) missing from:\n\(empty.stdout)")
        }
        #expect(!empty.stdout.contains("no_authority_notification"), "the shipped playbooks notify the authorities")
        let finnish = try CLIRunner.run(["plan", "check", "--language", "fi"] + common)
        #expect(finnish.status == 1 && finnish.stdout.contains("Korjaus: "))
        let swedish = try CLIRunner.run(["plan", "check", "--language", "sv"] + common)
        #expect(swedish.status == 1, "\(swedish.stderr)")
        for fragment in [
            "[role_without_person] Ingen person är utsedd för rollen Incidentledare.", "   Varför: ", "   Åtgärd: ",
        ] {
            #expect(swedish.stdout.contains(fragment), "\(fragment) missing from:\n\(swedish.stdout)")
        }
        try CLIRunner.run(["plan", "check", "--language", "de"] + common).expectOneLineError(
            containing: "--language must be en, fi or sv"
        )

        // Write a complete plan, as the console would, and check again.
        let today = UTCDay.parse(UTCDay.format(Date()))!
        let plan = ResponsePlan(
            roles: Dictionary(
                uniqueKeysWithValues: IncidentRole.allCases.map {
                    ($0, ResponsePlan.Person(name: "Person", phone: "+358 40 1"))
                }
            ),
            contacts: ResponsePlan.ContactKind.required.map { .init(kind: $0, name: "Contact", phone: "+358 9 1") },
            exercises: [.init(date: today, description: "Tabletop")]
        )
        try await Database.withOpened(.sqlite(path: path), logger: TestDatabases.quietLogger) { database in
            let playbooks = PlaybookRepository(database: database)
            try await playbooks.installDefaults(try DefaultPlaybooks.all(), now: Date())
            try await playbooks.savePlan(document: plan.json(), actor: "test", now: Date())
        }
        let clean = try CLIRunner.run(["plan", "check"] + common)
        #expect(
            clean.status == 0 && clean.stdout.contains("Plan check: no findings."),
            "\(clean.stdout)\(clean.stderr)"
        )
        let cleanSwedish = try CLIRunner.run(["plan", "check", "--language", "sv"] + common)
        #expect(cleanSwedish.status == 0 && cleanSwedish.stdout.contains("Kontroll av planen: inga anmärkningar."))
    }
}

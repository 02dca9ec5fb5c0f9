import ArgumentParser
import Foundation
import KilpiCore
import KilpiStore

struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Work with the incident-response plan.",
        subcommands: [Check.self]
    )

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Lint the response plan and playbooks. Exit 0 when there are no findings, 1 when there are."
        )
        @OptionGroup var db: DatabaseOptions
        @Option(help: "Language of the findings: en or fi.") var language = "en"

        func run() async throws {
            try await CLI.run {
                // Checked here rather than in validate(), so the error is one line like every other.
                guard ["en", "fi"].contains(language) else { throw ValidationError("--language must be en or fi") }
                let findings = try await db.withDatabase { database in
                    let repository = PlaybookRepository(database: database)
                    var playbooks = try await repository.all()
                    // Before the first `serve` nothing is installed yet: check the playbooks it will install.
                    if playbooks.isEmpty { playbooks = try DefaultPlaybooks.all() }
                    return PlanCheck.findings(plan: try await repository.plan(), playbooks: playbooks, now: Date())
                }
                let pick = { (text: LocalizedText) in language == "fi" ? text.fi : text.en }
                guard !findings.isEmpty else {
                    CLI.say(
                        language == "fi" ? "Suunnitelmasta ei löytynyt huomautettavaa." : "Plan check: no findings."
                    )
                    return
                }
                CLI.say(
                    language == "fi"
                        ? "Suunnitelman tarkistus: \(findings.count) huomautusta."
                        : "Plan check: \(findings.count) finding(s)."
                )
                for (index, finding) in findings.enumerated() {
                    CLI.say("")
                    CLI.say("\(index + 1). [\(finding.code.rawValue)] \(pick(finding.problem))")
                    CLI.say("   \(language == "fi" ? "Miksi" : "Why"): \(pick(finding.why))")
                    CLI.say("   \(language == "fi" ? "Korjaus" : "Fix"): \(pick(finding.fix))")
                }
                throw ExitCode.failure
            }
        }
    }
}

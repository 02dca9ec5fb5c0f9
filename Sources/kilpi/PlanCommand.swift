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
        @Option(help: "Language of the findings: en, fi or sv.") var language = "en"

        func run() async throws {
            try await CLI.run {
                // Checked here rather than in validate(), so the error is one line like every other.
                guard let chosen = Language(rawValue: language) else {
                    throw ValidationError("--language must be en, fi or sv")
                }
                let findings = try await db.withDatabase { database in
                    let repository = PlaybookRepository(database: database)
                    var playbooks = try await repository.all()
                    // Before the first `serve` nothing is installed yet: check the playbooks it will install.
                    if playbooks.isEmpty { playbooks = try DefaultPlaybooks.all() }
                    return PlanCheck.findings(plan: try await repository.plan(), playbooks: playbooks, now: Date())
                }
                CLI.say(PlanCheck.report(findings, in: chosen))
                guard findings.isEmpty else { throw ExitCode.failure }
            }
        }
    }
}

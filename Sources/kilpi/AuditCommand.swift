import ArgumentParser
import KilpiStore

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Work with the audit log.",
        subcommands: [Verify.self]
    )

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Walk the hash chain. Exit 0 when intact; otherwise name the first bad entry and exit 1."
        )
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            try await CLI.run {
                let result = try await db.withStore { try await $0.audit.verify() }
                if let problem = result.problem {
                    CLI.say("Audit chain BROKEN after \(result.checked) good entries: \(problem).")
                    throw ExitCode.failure
                }
                CLI.say("Audit chain intact: \(result.checked) entries.")
                CLI.say(
                    "Head hash: \(result.headHash)  (keep it elsewhere: a later verify that does not reach it means entries were cut off the end)"
                )
            }
        }
    }
}

import ArgumentParser
import Foundation

/// The `kilpi` command: a thin root whose subcommands call into the libraries.
@main
struct Kilpi: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "kilpi",
        abstract: "Kilpi: breach response and customer trust, self-hosted.",
        version: version,
        subcommands: [
            Serve.self, Migrate.self, ImportCommand.self, KeysCommand.self, UserCommand.self, TokenCommand.self,
            AuditCommand.self, PlanCommand.self, NoticesCommand.self,
        ]
    )
}

import ArgumentParser
import KilpiStore

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending database migrations.")

    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        try await CLI.run {
            let applied = try await Database.withOpened(try db.url(), logger: CLI.quietLogger) { database in
                try await Migrator(database: database).migrate()
            }
            CLI.say(
                applied.isEmpty
                    ? "Database is up to date."
                    : "Applied migrations: \(applied.map(String.init).joined(separator: ", "))."
            )
        }
    }
}

import ArgumentParser
import Foundation
import KilpiCore
import KilpiStore

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Manage API tokens.",
        subcommands: [Create.self, List.self, Revoke.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an API token and print it once (only its hash is stored)."
        )
        @Option(help: "A name that says what uses the token.") var name: String
        @Option(help: "Role the token acts as: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).") var role:
            Role
        @Option(
            name: .customLong("expires-in"),
            help: "Days until the token stops working (1 to \(APITokenLifetime.maximumDays))."
        )
        var expiresIn: Int = APITokenLifetime.defaultDays
        @Flag(
            help: ArgumentHelp(
                "Revocable only with `kilpi token revoke`, never through the API or the console.",
                discussion: "For an integration that must survive the API calls it makes, such as a contract test run "
                    + "whose stateful phase revokes the token it holds. It still expires."
            )
        )
        var protected = false
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            try await CLI.run {
                guard (1...100).contains(name.trimmingCharacters(in: .whitespaces).count) else {
                    throw ValidationError("--name must be 1 to 100 characters")
                }
                guard APITokenLifetime.allowedDays.contains(expiresIn) else {
                    throw ValidationError(
                        "--expires-in must be a whole number of days from 1 to \(APITokenLifetime.maximumDays)"
                    )
                }
                let (token, secret) = try await db.withStore { store in
                    try await AccountService(store: store).createToken(
                        name: name,
                        role: role,
                        expiresInDays: expiresIn,
                        isProtected: protected,
                        actor: "cli",
                        ip: "local"
                    )
                }
                CLI.say(
                    "Created \(token.isProtected ? "protected " : "")token \(token.id) (\(token.name), role \(token.role.rawValue), expires \(CLI.day(token.expiresAt))). It is shown only now:"
                )
                CLI.say(secret)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List API tokens (never their secrets).")
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            try await CLI.run {
                let tokens = try await db.withStore { try await $0.tokens.all() }
                let now = Date()
                if tokens.isEmpty {
                    CLI.say("No API tokens.")
                    return
                }
                CLI.say(
                    Table.render(
                        header: ["ID", "NAME", "ROLE", "PREFIX", "EXPIRES", "STATE"],
                        rows: tokens.map {
                            [
                                String($0.id), $0.name, $0.role.rawValue, $0.prefix + "…", CLI.day($0.expiresAt),
                                ($0.revokedAt != nil ? "revoked" : $0.isUsable(at: now) ? "active" : "expired")
                                    + ($0.isProtected ? ", protected" : ""),
                            ]
                        }
                    )
                )
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke an API token by id (also a protected one: only this command revokes those)."
        )
        @Argument(help: "The token id (see `kilpi token list`).") var id: Int64
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            try await CLI.run {
                let outcome = try await db.withStore { store in
                    try await AccountService(store: store).revokeToken(
                        id: id,
                        evenIfProtected: true,
                        actor: "cli",
                        ip: "local"
                    )
                }
                guard outcome == .revoked else { throw ValidationError("no active token with id \(id)") }
                CLI.say("Revoked token \(id).")
            }
        }
    }
}

extension CLI {
    /// A date as `2026-12-01` (UTC), for expiry columns.
    static func day(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.locale = Locale(identifier: "en_US_POSIX")
        return formatter.string(from: date)
    }
}

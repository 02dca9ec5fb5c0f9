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
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            try await CLI.run {
                let trimmed = name.trimmingCharacters(in: .whitespaces)
                guard (1...100).contains(trimmed.count) else {
                    throw ValidationError("--name must be 1 to 100 characters")
                }
                let (token, secret) = try await db.withStore { store in
                    let created = try await store.tokens.create(
                        name: trimmed,
                        role: role,
                        createdBy: "cli",
                        now: Date()
                    )
                    try await store.audit.append(
                        AuditEvent(
                            actor: "cli",
                            action: "token.create",
                            target: "token:\(created.token.id)",
                            ip: "local",
                            detail: "role \(role.rawValue)"
                        ),
                        now: Date()
                    )
                    return created
                }
                CLI.say("Created token \(token.id) (\(token.name), role \(token.role.rawValue)). It is shown only now:")
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
                if tokens.isEmpty {
                    CLI.say("No API tokens.")
                    return
                }
                CLI.say(
                    Table.render(
                        header: ["ID", "NAME", "ROLE", "PREFIX", "STATE"],
                        rows: tokens.map {
                            [
                                String($0.id), $0.name, $0.role.rawValue, $0.prefix + "…",
                                $0.revokedAt == nil ? "active" : "revoked",
                            ]
                        }
                    )
                )
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke an API token by id.")
        @Argument(help: "The token id (see `kilpi token list`).") var id: Int64
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            try await CLI.run {
                let revoked = try await db.withStore { store in
                    let done = try await store.tokens.revoke(id: id, now: Date())
                    if done {
                        try await store.audit.append(
                            AuditEvent(actor: "cli", action: "token.revoke", target: "token:\(id)", ip: "local"),
                            now: Date()
                        )
                    }
                    return done
                }
                guard revoked else { throw ValidationError("no active token with id \(id)") }
                CLI.say("Revoked token \(id).")
            }
        }
    }
}

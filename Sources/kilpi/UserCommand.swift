import ArgumentParser
import Foundation
import KilpiCore
import KilpiStore

extension Role: ExpressibleByArgument {}

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage staff accounts.",
        subcommands: [Add.self, List.self, EnrolLink.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a staff member and print their one-time enrolment link."
        )

        @Option(help: "Email address (their sign-in name).") var email: String
        @Option(help: "Role: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).") var role: Role
        @Option(help: "Display name (default: the part of the email before @).") var name: String?
        @OptionGroup var db: DatabaseOptions
        @OptionGroup var publicURL: PublicURLOption

        func run() async throws {
            try await CLI.run {
                let base = publicURL.resolved()
                let (user, token) = try await db.withStore { store in
                    try await AccountService(store: store).addUser(
                        email: email,
                        displayName: name ?? String(email.split(separator: "@").first ?? ""),
                        role: role,
                        actor: "cli",
                        ip: "local"
                    )
                }
                CLI.say("Added \(user.email) as \(user.role.rawValue).")
                CLI.say("One-time enrolment link (valid \(Int(AccountService.enrolmentLinkLifetime / 3600)) hours):")
                CLI.say("  \(base)/console/enrol/\(token)")
            }
        }
    }

    struct EnrolLink: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "enrol-link",
            abstract: "Print a new one-time enrolment link; earlier links stop working.",
            discussion: """
                For an account that is still pending, or one whose role needs a second factor that was never set \
                up (it goes back to pending and its password is cleared, so only the new link can finish enrolment).
                """
        )

        @Option(help: "Email address of the account.") var email: String
        @OptionGroup var db: DatabaseOptions
        @OptionGroup var publicURL: PublicURLOption

        func run() async throws {
            try await CLI.run {
                let base = publicURL.resolved()
                let token = try await db.withStore { store in
                    guard let user = try await store.users.find(email: email) else {
                        throw ValidationError("no account with email \(email)")
                    }
                    guard AccountService.mayReissueEnrolment(user) else {
                        throw ValidationError(
                            "\(user.email) has finished enrolment (\(user.status.rawValue)); no new link is needed"
                        )
                    }
                    return try await AccountService(store: store).reissueEnrolment(
                        userID: user.id,
                        actor: "cli",
                        ip: "local"
                    )
                }
                CLI.say("One-time enrolment link (valid \(Int(AccountService.enrolmentLinkLifetime / 3600)) hours):")
                CLI.say("  \(base)/console/enrol/\(token)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List staff accounts.")
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            try await CLI.run {
                let users = try await db.withStore { store in
                    let users = try await store.users.all()
                    try await store.audit.append(
                        AuditEvent(actor: "cli", action: .userList, ip: "local"),
                        now: Date()
                    )
                    return users
                }
                if users.isEmpty {
                    CLI.say("No staff accounts.")
                    return
                }
                let rows = users.map {
                    [String($0.id), $0.email, $0.role.rawValue, $0.status.rawValue, $0.totpEnabled ? "totp" : "-"]
                }
                CLI.say(Table.render(header: ["ID", "EMAIL", "ROLE", "STATUS", "2FA"], rows: rows))
            }
        }
    }
}

/// Plain aligned columns for terminal output.
enum Table {
    static func render(header: [String], rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }
}

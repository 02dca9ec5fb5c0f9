import KilpiCore

/// Why an incident operation was refused. Messages are safe to show: they carry no personal data.
public struct IncidentError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: Sendable, Equatable {
        case notFound, transitionRefused, invalid, taskNotFound
    }
    private let code: Code
    private let localized: LocalizedMessage
    /// The field the message is about, when it is about one (`message` then starts with it).
    private let field: String?
    /// The problems behind an `invalid` error, each naming its field.
    public let problems: [FieldProblem]

    private init(_ code: Code, _ message: LocalizedMessage, field: String? = nil, problems: [FieldProblem] = []) {
        self.code = code
        self.localized = message
        self.field = field
        self.problems = problems
    }

    public static func notFound(_ id: Int64) -> IncidentError {
        IncidentError(.notFound, .l("incident \(id) does not exist", "tapausta \(id) ei ole"))
    }
    public static func taskNotFound(_ id: Int64) -> IncidentError {
        IncidentError(
            .taskNotFound,
            .l("task \(id) does not belong to this incident", "tehtävä \(id) ei kuulu tähän tapaukseen")
        )
    }
    public static func transitionRefused(from: IncidentStatus, to: IncidentStatus) -> IncidentError {
        let (current, wanted) = (from.rawValue, to.rawValue)
        let allowed = from.nextOptions.map(\.rawValue).joined(separator: ", ")
        return IncidentError(
            .transitionRefused,
            .l(
                "cannot move from \(current) to \(wanted); allowed next: \(allowed)",
                "tilasta \(current) ei voi siirtyä tilaan \(wanted); sallitut seuraavat: \(allowed)"
            ),
            field: "status"
        )
    }
    public static func invalid(_ problems: [FieldProblem]) -> IncidentError {
        IncidentError(
            .invalid,
            LocalizedMessage(
                en: problems.map(\.description).joined(separator: "; "),
                fi: problems.map { $0.description(in: .fi) }.joined(separator: "; ")
            ),
            problems: problems
        )
    }

    /// The message in English, starting with the field it is about (`status: cannot move …`).
    public var message: String { message(in: .en) }

    /// The message for a reader of `language`.
    public func message(in language: Language) -> String {
        guard code == .invalid else { return (field.map { "\($0): " } ?? "") + localized.text(language) }
        // Each problem on its own: the catalogue knows the reasons, not their joined list.
        return problems.map { $0.description(in: language) }.joined(separator: "; ")
    }

    /// The message as a problem naming the field it is about, or `field` when it names none, for a form that shows
    /// problems beside its fields.
    public func problem(field: String) -> FieldProblem { FieldProblem(self.field ?? field, localized) }

    public var isNotFound: Bool { code == .notFound || code == .taskNotFound }
    public var isTransitionRefused: Bool { code == .transitionRefused }
    public var description: String { message }
}

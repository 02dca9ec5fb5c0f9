import KilpiCore

/// Why an incident operation was refused. Messages are safe to show: they carry no personal data.
public struct IncidentError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: Sendable, Equatable {
        case notFound, transitionRefused, invalid, taskNotFound
    }
    private let code: Code
    public let message: String
    /// The problems behind an `invalid` error, each naming its field.
    public let problems: [FieldProblem]

    private init(_ code: Code, _ message: String, problems: [FieldProblem] = []) {
        self.code = code
        self.message = message
        self.problems = problems
    }

    public static func notFound(_ id: Int64) -> IncidentError {
        IncidentError(.notFound, "incident \(id) does not exist")
    }
    public static func taskNotFound(_ id: Int64) -> IncidentError {
        IncidentError(.taskNotFound, "task \(id) does not belong to this incident")
    }
    public static func transitionRefused(from: IncidentStatus, to: IncidentStatus) -> IncidentError {
        IncidentError(
            .transitionRefused,
            "status: cannot move from \(from.rawValue) to \(to.rawValue); allowed next: \(from.nextOptions.map(\.rawValue).joined(separator: ", "))"
        )
    }
    public static func invalid(_ problems: [FieldProblem]) -> IncidentError {
        IncidentError(.invalid, problems.map(\.description).joined(separator: "; "), problems: problems)
    }

    public var isNotFound: Bool { code == .notFound || code == .taskNotFound }
    public var isTransitionRefused: Bool { code == .transitionRefused }
    public var description: String { message }
}

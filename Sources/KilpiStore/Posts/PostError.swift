import KilpiCore

/// Why a post was refused: the field and the reason, in the reader's language.
public struct PostError: Error, Sendable, Equatable, CustomStringConvertible {
    public let problems: [FieldProblem]
    public let isNotFound: Bool

    init(_ problems: [FieldProblem], notFound: Bool = false) {
        self.problems = problems
        self.isNotFound = notFound
    }

    static func notFound(_ id: Int64) -> PostError {
        PostError([FieldProblem("post", .l("post \(id) does not exist", "julkaisua \(id) ei ole"))], notFound: true)
    }

    /// An approval that does not say which version of the text the approver read.
    public static let versionMissing = PostError([
        FieldProblem(
            "state",
            .l(
                "the page did not say which version you approve: reload it and approve again",
                "sivu ei kertonut, minkä version hyväksyt: lataa se uudelleen ja hyväksy uudelleen"
            )
        )
    ])

    public func message(in language: Language) -> String {
        problems.map { $0.description(in: language) }.joined(separator: "; ")
    }
    public var description: String { message(in: .en) }
}

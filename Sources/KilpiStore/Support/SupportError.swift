import KilpiCore

/// Why a support operation was refused. Messages are safe to show to whoever asked: they name the field and never
/// say whether an address or a code belongs to anybody.
public struct SupportError: Error, Sendable, Equatable, CustomStringConvertible {
    public let problems: [FieldProblem]
    public let isNotFound: Bool
    /// Too many attempts from this source, code or address: the page says to wait (HTTP 429).
    public let isThrottled: Bool

    init(_ problems: [FieldProblem], notFound: Bool = false, throttled: Bool = false) {
        self.problems = problems
        self.isNotFound = notFound
        self.isThrottled = throttled
    }

    static func invalid(_ field: String, _ message: LocalizedMessage) -> SupportError {
        SupportError([FieldProblem(field, message)])
    }

    static func inquiryNotFound(_ id: Int64) -> SupportError {
        SupportError(
            [FieldProblem("inquiry", .l("inquiry \(id) does not exist", "kysymystä \(id) ei ole"))],
            notFound: true
        )
    }

    static let throttled = SupportError(
        [
            FieldProblem(
                "attempts",
                .l(
                    "too many attempts: wait a few minutes and try again",
                    "liian monta yritystä: odota hetki ja yritä uudelleen"
                )
            )
        ],
        throttled: true
    )

    public var message: String { message(in: .en) }
    public func message(in language: Language) -> String {
        problems.map { $0.description(in: language) }.joined(separator: "; ")
    }
    public var description: String { message }
}

/// Errors from opening or using the database, worded for an operator's terminal: one line, no stack trace,
/// no secrets.
public struct DatabaseError: Error, CustomStringConvertible, Equatable {
    private enum Code: Equatable {
        case invalidURL, cannotOpen, cannotConnect, migrationFailed, conflict, notFound, settingNotRestored
    }
    private let code: Code
    public let message: String

    private init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public static func invalidURL(_ why: String) -> Self { .init(.invalidURL, "invalid database URL: \(why)") }
    public static func cannotOpen(_ why: String) -> Self { .init(.cannotOpen, why) }
    public static func cannotConnect(_ why: String) -> Self { .init(.cannotConnect, why) }
    public static func migrationFailed(_ why: String) -> Self { .init(.migrationFailed, why) }
    /// A uniqueness rule was broken (for example an email that is already taken).
    public static func conflict(_ why: String) -> Self { .init(.conflict, why) }
    public static func notFound(_ why: String) -> Self { .init(.notFound, why) }
    /// An SQLite connection setting changed for a bulk import could not be read or put back.
    static func settingNotRestored(_ name: String) -> Self {
        .init(.settingNotRestored, "could not read or restore SQLite setting \(name) around an import")
    }

    public var isConflict: Bool { code == .conflict }
    public var isNotFound: Bool { code == .notFound }
    public var description: String { message }
}

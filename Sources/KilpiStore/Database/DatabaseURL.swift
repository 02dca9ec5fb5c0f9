import Foundation

/// Where Kilpi keeps its data: one SQLite file (the embedded default) or a PostgreSQL server.
public enum DatabaseURL: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(host: String, port: Int, user: String, password: String?, database: String)

    /// The default: `kilpi.sqlite` in the working directory.
    public static let defaultSQLite = DatabaseURL.sqlite(path: "kilpi.sqlite")

    /// Parses `sqlite:///abs/path.sqlite`, `sqlite://relative.sqlite`, `sqlite::memory:`-free forms, or
    /// `postgres://user:pass@host:5432/db` (also `postgresql://`).
    public init(parsing text: String) throws(DatabaseError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("sqlite://") {
            let path = String(trimmed.dropFirst("sqlite://".count))
            guard !path.isEmpty, !path.hasSuffix("/") else {
                throw .invalidURL("a sqlite URL needs a file path, e.g. sqlite:///var/lib/kilpi/kilpi.sqlite")
            }
            self = .sqlite(path: path.removingPercentEncoding ?? path)
            return
        }
        guard trimmed.hasPrefix("postgres://") || trimmed.hasPrefix("postgresql://"),
            let components = URLComponents(string: trimmed)
        else {
            throw .invalidURL("expected sqlite:///path/file.sqlite or postgres://user:pass@host:5432/db")
        }
        guard let host = components.host, !host.isEmpty else {
            throw .invalidURL("the postgres URL has no host")
        }
        guard let user = components.user, !user.isEmpty else {
            throw .invalidURL("the postgres URL has no user name")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else {
            throw .invalidURL("the postgres URL has no database name after the host")
        }
        if components.url?.port == nil, trimmed.contains("@\(host):") {
            throw .invalidURL("the postgres URL has an invalid port")
        }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else { throw .invalidURL("the postgres URL has an invalid port") }
        self = .postgres(
            host: host,
            port: port,
            user: user.removingPercentEncoding ?? user,
            password: components.password.map { $0.removingPercentEncoding ?? $0 },
            database: database
        )
    }

    /// A form that is safe to print: the password is never shown.
    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite://\(path)"
        case .postgres(let host, let port, let user, let password, let database):
            "postgres://\(user)\(password == nil ? "" : ":***")@\(host):\(port)/\(database)"
        }
    }
}

import Foundation

/// Where Kilpi keeps its data: one SQLite file (the embedded default) or a PostgreSQL server.
public enum DatabaseURL: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    /// `tls` nil: the default for `host` (see ``PostgresTLS/default(for:)``).
    case postgres(host: String, port: Int, user: String, password: String?, database: String, tls: PostgresTLS? = nil)

    /// The default: `kilpi.sqlite` in the working directory.
    public static let defaultSQLite = DatabaseURL.sqlite(path: "kilpi.sqlite")

    /// Parses `sqlite:///abs/path.sqlite`, `sqlite://relative.sqlite`, `sqlite::memory:`-free forms, or
    /// `postgres://user:pass@host:5432/db` (also `postgresql://`), optionally with
    /// `?sslmode=disable|require|verify-full` and `&sslrootcert=/path/ca.pem`.
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
            database: database,
            tls: try PostgresTLS(query: components.queryItems ?? [])
        )
    }

    /// This URL with its password taken from `file` (`KILPI_DATABASE_PASSWORD_FILE`), so that the password is on
    /// neither the command line nor in the environment. The file is read once; one trailing newline is dropped.
    /// A SQLite URL has no password and is returned as it is.
    public func withPassword(fromFile file: String) throws(DatabaseError) -> DatabaseURL {
        guard case .postgres(let host, let port, let user, let password, let database, let tls) = self else {
            return self
        }
        guard password == nil else {
            throw .invalidURL(
                "the postgres URL has a password and KILPI_DATABASE_PASSWORD_FILE is set too; give the password in one place"
            )
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            let reason = (error as? CocoaError)?.code == .fileReadNoSuchFile ? "no such file" : "cannot read it"
            throw .cannotOpen("KILPI_DATABASE_PASSWORD_FILE \(file): \(reason)")
        }
        guard var text = String(data: data, encoding: .utf8) else {
            throw .cannotOpen("KILPI_DATABASE_PASSWORD_FILE \(file): not UTF-8 text")
        }
        // "\r\n" is one Character in Swift: one removeLast drops either ending.
        if text.hasSuffix("\n") || text.hasSuffix("\r\n") { text.removeLast() }
        guard !text.isEmpty else { throw .cannotOpen("KILPI_DATABASE_PASSWORD_FILE \(file): the file is empty") }
        guard !text.contains("\n") else {
            throw .cannotOpen("KILPI_DATABASE_PASSWORD_FILE \(file): the password must be a single line")
        }
        return .postgres(host: host, port: port, user: user, password: text, database: database, tls: tls)
    }

    /// How a PostgreSQL connection is protected: the URL's `sslmode`, else the default for its host.
    public var effectiveTLS: PostgresTLS? {
        guard case .postgres(let host, _, _, _, _, let tls) = self else { return nil }
        return tls ?? .default(for: host)
    }

    /// A form that is safe to print: the password is never shown.
    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite://\(path)"
        case .postgres(let host, let port, let user, let password, let database, let tls):
            "postgres://\(user)\(password == nil ? "" : ":***")@\(host):\(port)/\(database)"
                + (tls.map { "?" + $0.query } ?? "")
        }
    }
}

/// PostgreSQL transport security, as libpq's `sslmode` names it (the subset Kilpi offers).
public enum PostgresTLS: Sendable, Equatable, CustomStringConvertible {
    /// Plain TCP. Only sensible on the loopback interface.
    case disable
    /// Encrypted, but the server's certificate is not checked: protects against listening, not against an
    /// attacker in the middle.
    case require
    /// Encrypted, the certificate chain checked against `rootCertificate` (a PEM file; nil: the system's trust
    /// roots) and the certificate's name against the host.
    case verifyFull(rootCertificate: String?)

    /// `disable` for a loopback host (127.0.0.0/8, ::1, localhost), `verify-full` with the system's roots
    /// otherwise: a database across a network is never reached in the clear unless the URL says so.
    public static func `default`(for host: String) -> PostgresTLS {
        isLoopback(host) ? .disable : .verifyFull(rootCertificate: nil)
    }

    static func isLoopback(_ host: String) -> Bool {
        var bare = host.lowercased()
        if bare.hasPrefix("["), bare.hasSuffix("]") { bare = String(bare.dropFirst().dropLast()) }
        if bare == "localhost" || bare.hasSuffix(".localhost") || bare == "::1" || bare == "0:0:0:0:0:0:0:1" {
            return true
        }
        let octets = bare.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets[0] == "127" else { return false }
        return octets.allSatisfy { octet in
            !octet.isEmpty && octet.count <= 3 && octet.allSatisfy(\.isASCII) && UInt8(octet) != nil
        }
    }

    /// The mode as it is written in a URL.
    public var mode: String {
        switch self {
        case .disable: "disable"
        case .require: "require"
        case .verifyFull: "verify-full"
        }
    }

    public var description: String {
        switch self {
        case .verifyFull(let root?): "verify-full (CA \(root))"
        case .verifyFull(nil): "verify-full (system CAs)"
        default: mode
        }
    }

    var query: String {
        switch self {
        case .verifyFull(let root?):
            "sslmode=verify-full&sslrootcert="
                + (root.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(["&", "="])) ?? root)
        default: "sslmode=\(mode)"
        }
    }

    /// nil when the URL names no TLS parameter.
    init?(query items: [URLQueryItem]) throws(DatabaseError) {
        var mode: String?
        var root: String?
        for item in items {
            switch item.name {
            case "sslmode":
                guard mode == nil else { throw .invalidURL("sslmode is given twice") }
                mode = item.value ?? ""
            case "sslrootcert":
                guard root == nil else { throw .invalidURL("sslrootcert is given twice") }
                guard let value = item.value, !value.isEmpty else {
                    throw .invalidURL("sslrootcert needs the path of a CA certificate file (PEM)")
                }
                root = value
            default:
                throw .invalidURL(
                    "unknown parameter \"\(item.name.prefix(40))\" in the postgres URL (known: sslmode, sslrootcert)"
                )
            }
        }
        switch (mode, root) {
        case (nil, nil): return nil
        case ("verify-full", _), (nil, _?): self = .verifyFull(rootCertificate: root)
        case ("disable", nil): self = .disable
        case ("require", nil): self = .require
        case ("disable", _?), ("require", _?):
            throw .invalidURL("sslrootcert is only used with sslmode=verify-full")
        case (let other?, _):
            throw .invalidURL(
                "sslmode must be disable, require or verify-full, not \"\(other.prefix(20))\""
            )
        }
    }
}

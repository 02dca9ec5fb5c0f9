import ArgumentParser
import Foundation
import KilpiStore
import Logging

/// `--database`, shared by every command that opens the database.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "sqlite:///path/file.sqlite or postgres://user@host:5432/db[?sslmode=disable|require|verify-full[&sslrootcert=ca.pem]] (default: KILPI_DATABASE_URL, else sqlite://kilpi.sqlite). TLS defaults to verify-full, disable only for a loopback host. KILPI_DATABASE_PASSWORD_FILE names a file holding the PostgreSQL password, so it need not be in the URL.",
            valueName: "url"
        )
    )
    var database: String?

    @Option(
        name: .customLong("key-file"),
        help: ArgumentHelp(
            "The PII vault key file, created (mode 0600) on first start (default: KILPI_KEY_FILE, else kilpi.key). KILPI_MASTER_KEY overrides it.",
            valueName: "path"
        )
    )
    var keyFile: String?

    func url() throws -> DatabaseURL {
        let environment = ProcessInfo.processInfo.environment
        var url = DatabaseURL.defaultSQLite
        if let text = database ?? environment["KILPI_DATABASE_URL"], !text.isEmpty {
            url = try DatabaseURL(parsing: text)
        }
        if let file = environment["KILPI_DATABASE_PASSWORD_FILE"], !file.isEmpty {
            url = try url.withPassword(fromFile: file)
        }
        return url
    }

    /// Opens and migrates the database and loads the vault, runs `body`, closes it.
    func withStore<T: Sendable>(
        logger: Logger = CLI.quietLogger,
        _ body: @Sendable (Store) async throws -> T
    ) async throws -> T {
        try await withDatabase(logger: logger) { database in
            let store = Store(database: database, vault: try await loadVault(database: database))
            try await store.sealStaffTOTPSecrets()
            try await store.dataMap.installCatalogue(now: Date())
            return try await body(store)
        }
    }

    /// Opens and migrates the database, runs `body`, closes it.
    func withDatabase<T: Sendable>(
        logger: Logger = CLI.quietLogger,
        _ body: @Sendable (Database) async throws -> T
    ) async throws -> T {
        try await Database.withOpened(try url(), logger: logger) { database in
            try await Migrator(database: database).migrate()
            return try await body(database)
        }
    }
}

/// Where people reach Kilpi: used in the links the CLI prints.
struct PublicURLOption: ParsableArguments {
    @Option(
        name: .customLong("public-url"),
        help: ArgumentHelp(
            "Base URL for printed links (default: KILPI_PUBLIC_URL, else http://HOST:PORT)",
            valueName: "url"
        )
    )
    var publicURL: String?

    func resolved(host: String = "127.0.0.1", port: Int = 8080) -> String {
        let base = publicURL ?? ProcessInfo.processInfo.environment["KILPI_PUBLIC_URL"] ?? "http://\(host):\(port)"
        return base.hasSuffix("/") ? String(base.dropLast()) : base
    }
}

enum CLI {
    static let quietLogger: Logger = {
        var logger = Logger(label: "kilpi")
        logger.logLevel = .error
        return logger
    }()

    /// Every failure ends as one clear line on stderr and a non-zero exit, never a stack trace.
    static func run(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as ExitCode {
            throw error
        } catch let error as CleanExit {
            throw error
        } catch {
            FileHandle.standardError.write(Data("kilpi: error: \(describe(error))\n".utf8))
            throw ExitCode.failure
        }
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError { return error.message }
        if let error = error as? AccountError { return error.description }
        return String(describing: error)
    }

    /// Written straight to the file descriptor: `print` would sit in a buffer when stdout is a pipe, and the
    /// setup link must appear before the server blocks.
    static func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
}

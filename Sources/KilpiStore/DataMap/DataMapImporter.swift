import Foundation
import KilpiCore
import SQLKit

/// One thing wrong with an import file, located for the person who has to fix it, in their language
/// (`description(in:)`); `description` is the English the command line prints.
public struct ImportProblem: Sendable, Equatable, CustomStringConvertible {
    public let line: Int
    /// The column's name as the file's header writes it (or its number when the header is unknown).
    public let column: String?
    /// Why; more than one when a header is wrong in several ways (see `CSVError.messages`).
    public let messages: [LocalizedMessage]

    public init(line: Int, column: String?, reason: LocalizedMessage) {
        self.init(line: line, column: column, reasons: [reason])
    }

    public init(line: Int, column: String?, reasons: [LocalizedMessage]) {
        self.line = line
        self.column = column
        self.messages = reasons
    }

    /// The reason in English.
    public var reason: String { reason(in: .en) }
    /// The reason for a reader of `language`.
    public func reason(in language: Language) -> String {
        messages.map { $0.text(language) }.joined(separator: "; ")
    }

    /// `line 7, column email: not a valid email address`, in English.
    public var description: String { description(in: .en) }
    /// The same for a reader of `language`: `rivi 7, sarake email: …`; the column keeps its name from the file.
    public func description(in language: Language) -> String {
        "\(LocalizedMessage.location(line: line, column: column).text(language)) \(reason(in: language))"
    }
}

/// The file was rejected as a whole; nothing was written.
public struct ImportRejected: Error, Sendable, CustomStringConvertible {
    public static let maximumProblems = 100
    /// The first problems, at most `maximumProblems`.
    public let problems: [ImportProblem]
    /// True when there were more than were kept.
    public let truncated: Bool

    public var description: String {
        "the file was rejected and nothing was written (\(problems.count)\(truncated ? "+" : "") problem\(problems.count == 1 ? "" : "s")):\n"
            + problems.map { "  \($0)" }.joined(separator: "\n")
    }
}

/// What an accepted import did.
public struct ImportReport: Sendable, Equatable {
    public let rows: Int
    public let counts: UpsertCounts
}

public struct ImportProgress: Sendable {
    public let bytesRead: Int64
    public let totalBytes: Int64
    public let rows: Int
}

/// Imports systems, customers and holdings from CSV. Each file streams through in constant memory (apart from a
/// set of 64-bit fingerprints to catch duplicate ids) and is one transaction: any invalid row rejects the whole
/// file, reporting up to the first 100 problems, and nothing is written.
public struct DataMapImporter: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case systems, customers, holdings

        public var requiredColumns: [String] {
            switch self {
            case .systems: ["name", "kind", "owner", "location", "encrypted_at_rest"]
            case .customers: ["external_id", "name", "email", "phone", "language", "country", "region"]
            case .holdings: ["external_id", "system", "category", "held_from", "held_until"]
            }
        }

        public var optionalColumns: [String] {
            switch self {
            case .systems: ["key_location"]
            case .customers: ["address", "national_id"]
            case .holdings: []
            }
        }
    }

    let database: Database
    let customers: CustomerRepository
    let dataMap: DataMapRepository
    let batchSize: Int
    let now: Now

    /// `batchSize`: rows per statement; by default what suits the engine (`defaultBatchSize`).
    public init(database: Database, vault: Vault, batchSize: Int? = nil, now: @escaping Now = { Date() }) {
        self.database = database
        self.customers = CustomerRepository(database: database, vault: vault)
        self.dataMap = DataMapRepository(database: database)
        self.batchSize = batchSize ?? Self.defaultBatchSize(for: database.engine)
        self.now = now
    }

    /// SQLite binds a parameter per value (14 per customer; its import was tuned at 500 rows). PostgreSQL gets a
    /// batch as a few arrays (see `CustomerRepository.postgresInsert`) and pays a round trip and a statement's
    /// fixed cost per batch (two for holdings, with the customer-id lookup): ten times the rows took a fifth off
    /// a holdings import of three million rows.
    static func defaultBatchSize(for engine: SQLEngine) -> Int {
        engine == .postgres ? 5_000 : 500
    }

    /// Imports the file at `path`. Throws `ImportRejected` for bad content (nothing written), `CSVFileError`
    /// when the file cannot be read.
    public func importFile(
        _ kind: Kind,
        path: String,
        audit: Audited<ImportReport>? = nil,
        progress: (@Sendable (ImportProgress) -> Void)? = nil
    ) async throws -> ImportReport {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CSVFileError.noSuchFile(path)
        }
        guard !isDirectory.boolValue else { throw CSVFileError.isADirectory(path) }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CSVFileError.cannotBeOpened(path)
        }
        defer { try? handle.close() }
        let total = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
        let source = ChunkSource(handle: handle, path: path)
        return try await run(kind, source: source, totalBytes: total, audit: audit, progress: progress)
    }

    /// Imports CSV text already in memory (a console upload).
    public func importData(
        _ kind: Kind,
        data: Data,
        audit: Audited<ImportReport>? = nil,
        progress: (@Sendable (ImportProgress) -> Void)? = nil
    ) async throws -> ImportReport {
        try await run(
            kind,
            source: ChunkSource(data: data),
            totalBytes: Int64(data.count),
            audit: audit,
            progress: progress
        )
    }

    private func run(
        _ kind: Kind,
        source: ChunkSource,
        totalBytes: Int64,
        audit: Audited<ImportReport>?,
        progress: (@Sendable (ImportProgress) -> Void)?
    ) async throws -> ImportReport {
        let now = now()
        return try await database.bulkTransaction(pragmas: SQLiteImportSettings.pragmas(for: kind)) { connection in
            var session = ImportSession(kind: kind, importer: self, connection: connection, now: now)
            do {
                let report = try await read(source, into: &session, totalBytes: totalBytes, progress: progress)
                try await audit.write(report, in: connection.sql)
                return report
            } catch {
                await session.abandon()
                throw error
            }
        }
    }

    private func read(
        _ source: ChunkSource,
        into session: inout ImportSession,
        totalBytes: Int64,
        progress: (@Sendable (ImportProgress) -> Void)?
    ) async throws -> ImportReport {
        var reader = CSVReader()
        var bytes: Int64 = 0
        var lastReport = Date.distantPast
        var firstLine: [UInt8] = []
        do {
            while let chunk = try source.next() {
                if bytes == 0 { firstLine = Array(chunk.prefix { $0 != UInt8(ascii: "\n") }.prefix(1 << 16)) }
                bytes += Int64(chunk.count)
                for record in try reader.feed(chunk) { try await session.accept(record) }
                if let progress, Date().timeIntervalSince(lastReport) > 0.2 {
                    lastReport = Date()
                    progress(ImportProgress(bytesRead: bytes, totalBytes: totalBytes, rows: session.rows))
                }
            }
            for record in try reader.finish() { try await session.accept(record) }
        } catch let error as CSVError {
            // The reader cannot go on after malformed bytes; report what is known so far plus this.
            // A chunk that fails never hands out its records, so the header may not be known yet: read it alone.
            session.learnHeader(fromFirstLine: firstLine)
            session.problem(
                ImportProblem(
                    line: error.line,
                    column: error.column.map { session.columnName($0) },
                    reasons: error.messages
                )
            )
            // Batches still queued may know of more problems (unknown customers of earlier lines).
            await session.abandon()
            throw session.rejection()
        }
        try await session.finish()
        progress?(ImportProgress(bytesRead: bytes, totalBytes: totalBytes, rows: session.rows))
        return ImportReport(rows: session.rows, counts: session.counts)
    }
}

/// SQLite settings for the length of an import, restored afterwards so the server's steady memory stays as it was.
///
/// The page cache is 2 MB by default; an import of a million customers touches far more (the email index is
/// random), and spilling pages mid-transaction cost much of its time. Each multi-row INSERT also copies every
/// page it first touches into a statement journal, which SQLite keeps in a temporary file beyond 64 KiB unless
/// temporary storage is in memory. Holdings resolve every reference themselves (systems and categories read,
/// customer ids looked up, all in the import's transaction), so SQLite need not check each again: three index
/// lookups per holding, a fifth of a holdings import.
enum SQLiteImportSettings {
    static func pragmas(for kind: DataMapImporter.Kind) -> [SQLitePragma] {
        var pragmas = SQLitePragma.largeTransaction
        if kind == .holdings { pragmas.append(SQLitePragma("foreign_keys", 0)) }
        return pragmas
    }
}

/// Reads a file or a buffer in 1 MiB chunks.
final class ChunkSource: @unchecked Sendable {
    private let handle: FileHandle?
    private let path: String
    private var data: Data?
    static let chunkSize = 1 << 20

    init(handle: FileHandle, path: String) {
        self.handle = handle
        self.path = path
    }

    init(data: Data) {
        self.handle = nil
        self.path = "upload"
        self.data = data
    }

    func next() throws -> [UInt8]? {
        if let handle {
            do {
                guard let chunk = try handle.read(upToCount: Self.chunkSize), !chunk.isEmpty else { return nil }
                return [UInt8](chunk)
            } catch {
                throw CSVFileError.readFailed(path)
            }
        }
        guard let remaining = data, !remaining.isEmpty else { return nil }
        let chunk = remaining.prefix(Self.chunkSize)
        data = remaining.dropFirst(chunk.count)
        return [UInt8](chunk)
    }
}

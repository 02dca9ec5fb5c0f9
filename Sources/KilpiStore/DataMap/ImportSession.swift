import Foundation
import KilpiCore
import SQLKit

/// The state of one import while its file streams through: header, validation, batching, problems.
///
/// Batches are written in the background: while the database writes one, the next is read, checked and sealed
/// (the two halves take about as long, and the machine may have only two cores). At most one write is in flight,
/// so memory stays bounded, and the connection still runs one statement at a time.
struct ImportSession {
    let kind: DataMapImporter.Kind
    let importer: DataMapImporter
    let connection: BulkConnection
    var sql: any SQLDatabase { connection.sql }
    let now: Date

    private(set) var rows = 0
    private(set) var counts = UpsertCounts()
    private var header: CSVHeader?
    /// Where each known column is in a record, looked up once rather than for every field of every row.
    private var columnIndexes: [String: Int] = [:]
    private var problems: [ImportProblem] = []
    private var truncated = false
    /// Fingerprints of ids seen so far → line: catches duplicates with 16 bytes per row instead of the id text.
    private var seen: [Int: Int] = [:]
    private var customerBatch: [CustomerInput] = []
    private var holdingBatch: [(line: Int, externalID: String, systemID: Int64, categoryID: String, from: Date, until: Date?)] = []
    private var systemIDs: [String: Int64] = [:]
    private var categoryIDs: Set<String> = []
    /// The table was empty when the import began: every row will be new (see `CustomerRepository.write`).
    private var fresh = false
    /// The batch being written.
    private var writing: Task<UpsertCounts, any Error>?

    init(kind: DataMapImporter.Kind, importer: DataMapImporter, connection: BulkConnection, now: Date) {
        self.kind = kind
        self.importer = importer
        self.connection = connection
        self.now = now
    }

    mutating func problem(_ problem: ImportProblem) {
        if problems.count < ImportRejected.maximumProblems { problems.append(problem) } else { truncated = true }
    }

    func rejection() -> ImportRejected { ImportRejected(problems: problems, truncated: truncated) }

    /// Sets the header from the file's first line when no record has been accepted yet (for naming columns in errors).
    mutating func learnHeader(fromFirstLine bytes: [UInt8]) {
        guard header == nil, !bytes.isEmpty else { return }
        var reader = CSVReader()
        guard let record = ((try? reader.feed(bytes + [UInt8(ascii: "\n")])) ?? []).first else { return }
        header = try? CSVHeader(record, required: kind.requiredColumns, optional: kind.optionalColumns)
    }

    func columnName(_ index: Int) -> String {
        guard let header, index >= 1, index <= header.columns.count else { return String(index) }
        return header.columns[index - 1]
    }

    mutating func accept(_ record: CSVRecord) async throws {
        guard let header else {
            do {
                let header = try CSVHeader(record, required: kind.requiredColumns, optional: kind.optionalColumns)
                self.header = header
                for column in kind.requiredColumns + kind.optionalColumns { columnIndexes[column] = header.index(of: column) }
            } catch {
                problem(ImportProblem(line: error.line, column: nil, reason: error.reason))
                throw rejection()
            }
            switch kind {
            case .systems: break
            case .customers: fresh = try await DataMapRepository.isEmpty("customers", in: sql)
            case .holdings:
                systemIDs = try await importer.dataMap.systemIDsByName(in: sql)
                categoryIDs = try await importer.dataMap.categoryIDs(in: sql)
                fresh = try await DataMapRepository.isEmpty("holdings", in: sql)
            }
            return
        }
        rows += 1
        if record.fields.count != header.columns.count {
            problem(ImportProblem(line: record.line, column: nil, reason: "has \(record.fields.count) fields; the header has \(header.columns.count)"))
            return
        }
        let columnIndexes = columnIndexes
        func value(_ column: String) -> String {
            guard let index = columnIndexes[column] else { return "" }
            return record.fields[index].trimmingWhitespace()
        }
        switch kind {
        case .systems: try await acceptSystem(record.line, value)
        case .customers: try await acceptCustomer(record.line, value)
        case .holdings: try await acceptHolding(record.line, value)
        }
    }

    mutating func finish() async throws {
        if header == nil {
            problem(ImportProblem(line: 1, column: nil, reason: "the file is empty"))
        }
        try await flush()
        try await waitForWrite()
        if !problems.isEmpty || truncated { throw rejection() }
    }

    /// Waits for the batch being written and counts it; its error, if any, is the import's.
    private mutating func waitForWrite() async throws {
        guard let writing else { return }
        self.writing = nil
        counts += try await writing.value
    }

    /// Lets a write still running finish, so that the transaction is rolled back only after it.
    mutating func abandon() async {
        _ = try? await writing?.value
        writing = nil
    }

    // MARK: - Duplicates

    private mutating func firstSeen(_ key: String, line: Int) -> Int? {
        var hasher = Hasher()
        hasher.combine(key)
        return firstSeen(fingerprint: hasher.finalize(), line: line)
    }

    private mutating func firstSeen(fingerprint: Int, line: Int) -> Int? {
        if let earlier = seen[fingerprint] { return earlier }
        seen[fingerprint] = line
        return nil
    }

    // MARK: - Systems

    private mutating func acceptSystem(_ line: Int, _ value: (String) -> String) async throws {
        let name = value("name")
        var ok = true
        func bad(_ column: String, _ reason: String) { problem(ImportProblem(line: line, column: column, reason: reason)); ok = false }
        if name.isEmpty || name.count > 200 { bad("name", "enter a name of 1 to 200 characters") }
        else if let earlier = firstSeen(DataMapRepository.nameKey(name), line: line) { bad("name", "duplicate system \"\(name)\" (also on line \(earlier))") }
        let kind = SystemKind(lenient: value("kind"))
        if kind == nil { bad("kind", "unknown kind \"\(value("kind"))\"; use one of \(SystemKind.allCases.map(\.rawValue).joined(separator: ", "))") }
        let encrypted = Self.boolean(value("encrypted_at_rest"))
        if encrypted == nil { bad("encrypted_at_rest", "use yes or no") }
        for column in ["owner", "location", "key_location"] where value(column).count > 200 { bad(column, "longer than 200 characters") }
        guard ok, problems.isEmpty, let kind, let encrypted else { return }
        counts += try await importer.dataMap.upsertSystem(
            SystemInput(name: name, kind: kind, owner: value("owner"), location: value("location"), encryptedAtRest: encrypted, keyLocation: value("key_location")),
            now: now, in: sql
        )
    }

    static func boolean(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "yes", "y", "true", "1", "kyllä": true
        case "no", "n", "false", "0", "ei": false
        default: nil
        }
    }

    // MARK: - Customers

    private mutating func acceptCustomer(_ line: Int, _ value: (String) -> String) async throws {
        var ok = true
        func bad(_ column: String, _ reason: String) { problem(ImportProblem(line: line, column: column, reason: reason)); ok = false }
        let externalID = value("external_id")
        if externalID.isEmpty || externalID.count > 200 { bad("external_id", "enter an id of 1 to 200 characters") }
        else if externalID.hasPrefix("erased-") { bad("external_id", "ids starting with \"erased-\" are reserved for erased customers") }
        else if let earlier = firstSeen(externalID, line: line) { bad("external_id", "duplicate external_id (also on line \(earlier))") }
        let name = value("name")
        if name.count > 300 { bad("name", "longer than 300 characters") }
        let email = value("email")
        if !email.isEmpty && !EmailAddress.isPlausible(email) { bad("email", "not a valid email address") }
        let phone = value("phone")
        if !phone.isEmpty && !Self.isPlausiblePhone(phone) { bad("phone", "not a phone number (digits, spaces, + - ( ) only; 5 to 20 digits)") }
        var language = value("language").lowercased()
        if language.isEmpty { language = "en" }
        if !(2...3).contains(language.count) || !language.allSatisfy({ $0 >= "a" && $0 <= "z" }) {
            bad("language", "use a two-letter language code such as fi, sv, en or de")
        }
        let country = value("country").uppercased()
        if !Countries.isValid(country) {
            bad("country", country == "UK" ? "unknown country code UK (the ISO code is GB)" : "unknown country code \"\(value("country"))\" (use ISO 3166-1 alpha-2, e.g. FI)")
        }
        var region = value("region")
        if country == "US" {
            region = region.uppercased()
            if !Countries.isUSState(region) { bad("region", "a US customer needs a two-letter US state code, e.g. CA") }
        } else if region.count > 100 { bad("region", "longer than 100 characters") }
        let address = value("address"), nationalID = value("national_id")
        if address.count > 500 { bad("address", "longer than 500 characters") }
        if nationalID.count > 50 { bad("national_id", "longer than 50 characters") }
        guard ok else { return }
        customerBatch.append(CustomerInput(
            externalID: externalID, name: name.isEmpty ? nil : name, email: email.isEmpty ? nil : email,
            phone: phone.isEmpty ? nil : phone, address: address.isEmpty ? nil : address,
            nationalID: nationalID.isEmpty ? nil : nationalID, language: language, country: country, region: region
        ))
        if customerBatch.count >= importer.batchSize { try await flush() }
    }

    /// Seals a batch on every core: sealing is most of a customer import's CPU time, and it parallelises.
    /// (The writer thread competes for the same cores, so more pieces than cores would only add switching.)
    static func seal(_ batch: [CustomerInput], with customers: CustomerRepository) async throws -> [SealedCustomer] {
        let pieces = min(ProcessInfo.processInfo.activeProcessorCount, batch.count / 64)
        guard pieces > 1 else { return try customers.seal(batch) }
        let size = (batch.count + pieces - 1) / pieces
        return try await withThrowingTaskGroup(of: (Int, [SealedCustomer]).self) { group in
            for start in stride(from: 0, to: batch.count, by: size) {
                let piece = Array(batch[start..<min(start + size, batch.count)])
                group.addTask { (start, try customers.seal(piece)) }
            }
            var sealed: [(Int, [SealedCustomer])] = []
            for try await piece in group { sealed.append(piece) }
            return sealed.sorted { $0.0 < $1.0 }.flatMap(\.1)
        }
    }

    static func isPlausiblePhone(_ phone: String) -> Bool {
        // Pure ASCII (nearly every number): one byte is one character, so the same rule byte by byte, faster.
        if phone.utf8.allSatisfy({ $0 < 0x80 }) {
            let digits = phone.utf8.filter { (0x30...0x39).contains($0) }.count
            return (5...20).contains(digits) && phone.utf8.count <= 32
                && phone.utf8.allSatisfy { (0x30...0x39).contains($0) || " +-().".utf8.contains($0) }
        }
        let digits = phone.filter(\.isASCII).filter(\.isNumber).count
        return (5...20).contains(digits) && phone.count <= 32
            && phone.allSatisfy { ($0.isASCII && $0.isNumber) || " +-().".contains($0) }
    }

    // MARK: - Holdings

    private mutating func acceptHolding(_ line: Int, _ value: (String) -> String) async throws {
        var ok = true
        func bad(_ column: String, _ reason: String) { problem(ImportProblem(line: line, column: column, reason: reason)); ok = false }
        let externalID = value("external_id")
        if externalID.isEmpty { bad("external_id", "missing") }
        let systemName = value("system")
        let systemID = systemIDs[DataMapRepository.nameKey(systemName)]
        if systemID == nil { bad("system", "unknown system \"\(systemName)\" (import it with `kilpi import systems` first)") }
        let category = value("category").lowercased()
        if !categoryIDs.contains(category) { bad("category", "unknown category \"\(value("category"))\"") }
        let from = UTCDay.parse(value("held_from"))
        if from == nil { bad("held_from", "not a date in YYYY-MM-DD form") }
        var until: Date?
        let untilText = value("held_until")
        if !untilText.isEmpty {
            until = UTCDay.parse(untilText)
            if until == nil { bad("held_until", "not a date in YYYY-MM-DD form (leave empty while still held)") }
            else if let from, let until, until < from { bad("held_until", "ends before held_from") }
        }
        guard ok, let systemID, let from else { return }
        // Hashed field by field: building one key string per row cost more than the rest of the check.
        var hasher = Hasher()
        hasher.combine(externalID)
        hasher.combine(systemID)
        hasher.combine(category)
        hasher.combine(from)
        if let earlier = firstSeen(fingerprint: hasher.finalize(), line: line) {
            bad("external_id", "duplicate holding (also on line \(earlier))")
            return
        }
        holdingBatch.append((line, externalID, systemID, category, from, until))
        if holdingBatch.count >= importer.batchSize { try await flush() }
    }

    // MARK: - Writing

    /// Writes the pending batch; once any problem is known nothing more is written (the transaction will roll back).
    private mutating func flush() async throws {
        switch kind {
        case .systems: break
        case .customers:
            defer { customerBatch.removeAll(keepingCapacity: true) }
            guard problems.isEmpty, !customerBatch.isEmpty else { return }
            // Sealed while the previous batch is still being written.
            let rows = try await Self.seal(customerBatch, with: importer.customers)
            try await waitForWrite()
            let (customers, fresh, now, connection) = (importer.customers, fresh, now, connection)
            writing = Task { try await customers.write(rows, fresh: fresh, now: now, in: connection) }
        case .holdings:
            defer { holdingBatch.removeAll(keepingCapacity: true) }
            guard !holdingBatch.isEmpty else { return }
            try await waitForWrite()
            let customerIDs = try await importer.dataMap.customerIDs(externalIDs: Array(Set(holdingBatch.map(\.externalID))), in: connection)
            var inputs: [HoldingInput] = []
            inputs.reserveCapacity(holdingBatch.count)
            for row in holdingBatch {
                guard let customerID = customerIDs[row.externalID] else {
                    problem(ImportProblem(line: row.line, column: "external_id", reason: "unknown customer \"\(row.externalID)\" (import customers first)"))
                    continue
                }
                inputs.append(HoldingInput(customerID: customerID, systemID: row.systemID, categoryID: row.categoryID, heldFrom: row.from, heldUntil: row.until))
            }
            guard problems.isEmpty else { return }
            let (dataMap, fresh, connection) = (importer.dataMap, fresh, connection)
            writing = Task { try await dataMap.writeHoldings(inputs, fresh: fresh, in: connection) }
        }
    }
}

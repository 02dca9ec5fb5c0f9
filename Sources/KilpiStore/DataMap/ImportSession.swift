import Foundation
import KilpiCore
import SQLKit

/// The state of one import while its file streams through: header, validation, batching, problems.
///
/// Batches are written in the background: while the database writes one, the next ones are read, checked and
/// sealed (the two halves take about as long, and the machine may have only two cores). A few batches may be
/// queued, so that sealing never waits for a write and both cores stay busy; each write starts only when the one
/// before it has finished, so the connection still runs one statement at a time, and memory stays bounded.
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
    private var holdingBatch: [PendingHolding] = []
    /// A checked holding row whose customer id is still to be looked up.
    struct PendingHolding: Sendable {
        let line: Int, externalID: String, systemID: Int64, categoryID: String, from: Date, until: Date?
    }
    private var systemIDs: [String: Int64] = [:]
    private var categoryIDs: Set<String> = []
    /// The table was empty when the import began: every row will be new (see `CustomerRepository.write`).
    private var fresh = false
    /// The keys every customer of this import is sealed with, checked against the database once, in the import's
    /// transaction (not per batch or row).
    private var keys: Vault.Keys?
    /// Batches queued or being written, oldest first; each waits for the one before it.
    private var writing: [Task<BatchResult, any Error>] = []
    /// Enough to cover a write that takes longer than sealing the next batch, few enough to stay small.
    static let maximumQueuedBatches = 4

    /// What writing one batch found: its counts, or for holdings the customers it could not find (then it and every
    /// later batch write nothing, as the import will be rejected).
    struct BatchResult: Sendable {
        var counts = UpsertCounts()
        var problems: [ImportProblem] = []
        /// Problems are known in this batch or before it, so nothing more may be written.
        var failed = false
    }

    init(kind: DataMapImporter.Kind, importer: DataMapImporter, connection: BulkConnection, now: Date) {
        self.kind = kind
        self.importer = importer
        self.connection = connection
        self.now = now
    }

    /// Keeps the first problems by line: those a background write finds (unknown customers) arrive after the
    /// problems of the rows read since.
    mutating func problem(_ problem: ImportProblem) {
        if problems.count < ImportRejected.maximumProblems {
            problems.append(problem)
            return
        }
        truncated = true
        guard let latest = problems.indices.max(by: { problems[$0].line < problems[$1].line }),
            problem.line < problems[latest].line
        else { return }
        problems[latest] = problem
    }

    func rejection() -> ImportRejected {
        // Sorted by line; problems of one line stay in the order they were found.
        let sorted = problems.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }.map(
            \.element
        )
        return ImportRejected(problems: sorted, truncated: truncated)
    }

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
                for column in kind.requiredColumns + kind.optionalColumns {
                    columnIndexes[column] = header.index(of: column)
                }
            } catch {
                problem(ImportProblem(line: error.line, column: nil, reasons: error.messages))
                throw rejection()
            }
            switch kind {
            case .systems: break
            case .customers:
                fresh = try await DataMapRepository.isEmpty("customers", in: sql)
                keys = try await importer.customers.vault.keysForSealing(
                    in: sql,
                    engine: importer.database.engine,
                    now: now
                )
            case .holdings:
                systemIDs = try await importer.dataMap.systemIDsByName(in: sql)
                categoryIDs = try await importer.dataMap.categoryIDs(in: sql)
                fresh = try await DataMapRepository.isEmpty("holdings", in: sql)
            }
            return
        }
        rows += 1
        if record.fields.count != header.columns.count {
            let (fields, columns) = (record.fields.count, header.columns.count)
            problem(
                ImportProblem(
                    line: record.line,
                    column: nil,
                    reason: .l(
                        "has \(fields) fields; the header has \(columns)",
                        "rivillä on \(fields) kenttää; otsikkorivillä on \(columns)"
                    )
                )
            )
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
            problem(ImportProblem(line: 1, column: nil, reasons: CSVError.emptyFile.messages))
        }
        try await flush()
        try await waitForWrite()
        if !problems.isEmpty || truncated { throw rejection() }
    }

    /// Waits for every queued batch and counts them; the first error, if any, is the import's.
    private mutating func waitForWrite() async throws {
        while !writing.isEmpty { try await collectOldest() }
    }

    private mutating func collectOldest() async throws {
        let oldest = writing.removeFirst()
        let result = try await oldest.value
        counts += result.counts
        for problem in result.problems { self.problem(problem) }
    }

    /// Queues a batch's work behind the batches already queued: one statement at a time, in file order. `work`
    /// is told whether it may write: not once any problem is known (the transaction will be rolled back).
    private mutating func enqueue(
        _ work: @escaping @Sendable (_ mayWrite: Bool) async throws -> BatchResult
    ) async throws {
        if writing.count >= Self.maximumQueuedBatches { try await collectOldest() }
        let previous = writing.last
        let clean = problems.isEmpty
        writing.append(
            Task {
                var earlierFailed = false
                if let previous { earlierFailed = try await previous.value.failed }
                let mayWrite = clean && !earlierFailed
                var result = try await work(mayWrite)
                result.failed = !mayWrite || !result.problems.isEmpty
                return result
            }
        )
    }

    /// Lets writes still queued finish, so that the transaction is rolled back only after them, and keeps the
    /// problems they found for the rejection.
    mutating func abandon() async {
        while !writing.isEmpty { try? await collectOldest() }
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
        func bad(_ column: String, _ reason: LocalizedMessage) {
            problem(ImportProblem(line: line, column: column, reason: reason))
            ok = false
        }
        if name.isEmpty || name.count > 200 {
            bad("name", .l("enter a name of 1 to 200 characters", "anna nimi, jossa on 1–200 merkkiä"))
        } else if let earlier = firstSeen(DataMapRepository.nameKey(name), line: line) {
            bad(
                "name",
                .l(
                    "duplicate system \"\(name)\" (also on line \(earlier))",
                    "järjestelmä \"\(name)\" toistuu (myös rivillä \(earlier))"
                )
            )
        }
        let kind = SystemKind(lenient: value("kind"))
        if kind == nil {
            let (kindText, choices) = (value("kind"), SystemKind.allCases.map(\.rawValue).joined(separator: ", "))
            bad(
                "kind",
                .l(
                    "unknown kind \"\(kindText)\"; use one of \(choices)",
                    "tuntematon tyyppi \"\(kindText)\"; käytä jotakin näistä: \(choices)"
                )
            )
        }
        let encrypted = Self.boolean(value("encrypted_at_rest"))
        if encrypted == nil {
            bad("encrypted_at_rest", .l("use yes or no", "käytä arvoa yes tai no (tai kyllä tai ei)"))
        }
        for column in ["owner", "location", "key_location"] where value(column).count > 200 {
            bad(column, Self.longerThan(200))
        }
        guard ok, problems.isEmpty, let kind, let encrypted else { return }
        counts += try await importer.dataMap.upsertSystem(
            SystemInput(
                name: name,
                kind: kind,
                owner: value("owner"),
                location: value("location"),
                encryptedAtRest: encrypted,
                keyLocation: value("key_location")
            ),
            now: now,
            in: sql
        )
    }

    static func longerThan(_ maximum: Int) -> LocalizedMessage {
        .l("longer than \(maximum) characters", "pidempi kuin \(maximum) merkkiä")
    }

    static func unknownCustomer(_ id: String) -> LocalizedMessage {
        .l("unknown customer \"\(id)\" (import customers first)", "tuntematon asiakas \"\(id)\" (tuo asiakkaat ensin)")
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
        func bad(_ column: String, _ reason: LocalizedMessage) {
            problem(ImportProblem(line: line, column: column, reason: reason))
            ok = false
        }
        let externalID = value("external_id")
        if externalID.isEmpty || externalID.count > 200 {
            bad("external_id", .l("enter an id of 1 to 200 characters", "anna tunnus, jossa on 1–200 merkkiä"))
        } else if externalID.hasPrefix("erased-") {
            bad(
                "external_id",
                .l(
                    "ids starting with \"erased-\" are reserved for erased customers",
                    "\"erased-\"-alkuiset tunnukset on varattu poistetuille asiakkaille"
                )
            )
        } else if let earlier = firstSeen(externalID, line: line) {
            bad(
                "external_id",
                .l("duplicate external_id (also on line \(earlier))", "external_id toistuu (myös rivillä \(earlier))")
            )
        }
        let name = value("name")
        if name.count > 300 { bad("name", Self.longerThan(300)) }
        let email = value("email")
        if !email.isEmpty && !EmailAddress.isPlausible(email) {
            bad("email", .l("not a valid email address", "ei kelvollinen sähköpostiosoite"))
        }
        let phone = value("phone")
        if !phone.isEmpty && !Self.isPlausiblePhone(phone) {
            bad(
                "phone",
                .l(
                    "not a phone number (digits, spaces, + - ( ) only; 5 to 20 digits)",
                    "ei puhelinnumero (vain numeroita, välilyöntejä ja merkkejä + - ( ); 5–20 numeroa)"
                )
            )
        }
        var language = value("language").lowercased()
        if language.isEmpty { language = "en" }
        if !(2...3).contains(language.count) || !language.allSatisfy({ $0 >= "a" && $0 <= "z" }) {
            bad(
                "language",
                .l(
                    "use a two-letter language code such as fi, sv, en or de",
                    "käytä kaksikirjaimista kielikoodia, kuten fi, sv, en tai de"
                )
            )
        }
        let country = value("country").uppercased()
        if !Countries.isValid(country) {
            let countryText = value("country")
            bad(
                "country",
                country == "UK"
                    ? .l("unknown country code UK (the ISO code is GB)", "tuntematon maakoodi UK (ISO-koodi on GB)")
                    : .l(
                        "unknown country code \"\(countryText)\" (use ISO 3166-1 alpha-2, e.g. FI)",
                        "tuntematon maakoodi \"\(countryText)\" (käytä ISO 3166-1 alpha-2 -koodia, esim. FI)"
                    )
            )
        }
        var region = value("region")
        if country == "US" {
            region = region.uppercased()
            if !Countries.isUSState(region) {
                bad(
                    "region",
                    .l(
                        "a US customer needs a two-letter US state code, e.g. CA",
                        "yhdysvaltalainen asiakas tarvitsee kaksikirjaimisen osavaltiokoodin, esim. CA"
                    )
                )
            }
        } else if region.count > 100 {
            bad("region", Self.longerThan(100))
        }
        let address = value("address")
        let nationalID = value("national_id")
        if address.count > 500 { bad("address", Self.longerThan(500)) }
        if nationalID.count > 50 { bad("national_id", Self.longerThan(50)) }
        guard ok else { return }
        customerBatch.append(
            CustomerInput(
                externalID: externalID,
                name: name.isEmpty ? nil : name,
                email: email.isEmpty ? nil : email,
                phone: phone.isEmpty ? nil : phone,
                address: address.isEmpty ? nil : address,
                nationalID: nationalID.isEmpty ? nil : nationalID,
                language: language,
                country: country,
                region: region
            )
        )
        if customerBatch.count >= importer.batchSize { try await flush() }
    }

    /// Seals a batch on every core but one: sealing is most of a customer import's CPU time, and it parallelises,
    /// but the queued writes also need a thread of the same pool to bind their rows and hand them to SQLite; with
    /// every thread sealing, the database sat idle a fifth of the time.
    static func seal(
        _ batch: [CustomerInput],
        with customers: CustomerRepository,
        keys: Vault.Keys
    ) async throws -> [SealedCustomer] {
        let pieces = min(ProcessInfo.processInfo.activeProcessorCount - 1, batch.count / 64)
        guard pieces > 1 else { return try customers.seal(batch, keys: keys) }
        let size = (batch.count + pieces - 1) / pieces
        return try await withThrowingTaskGroup(of: (Int, [SealedCustomer]).self) { group in
            for start in stride(from: 0, to: batch.count, by: size) {
                let piece = Array(batch[start..<min(start + size, batch.count)])
                group.addTask { (start, try customers.seal(piece, keys: keys)) }
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
        func bad(_ column: String, _ reason: LocalizedMessage) {
            problem(ImportProblem(line: line, column: column, reason: reason))
            ok = false
        }
        let externalID = value("external_id")
        if externalID.isEmpty { bad("external_id", .l("missing", "puuttuu")) }
        let systemName = value("system")
        let systemID = systemIDs[DataMapRepository.nameKey(systemName)]
        if systemID == nil {
            bad(
                "system",
                .l(
                    "unknown system \"\(systemName)\" (import it with `kilpi import systems` first)",
                    "tuntematon järjestelmä \"\(systemName)\" (tuo se ensin komennolla `kilpi import systems`)"
                )
            )
        }
        let category = value("category").lowercased()
        if !categoryIDs.contains(category) {
            let id = value("category")
            bad("category", .l("unknown category \"\(id)\"", "tuntematon tietoluokka \"\(id)\""))
        }
        let from = UTCDay.parse(value("held_from"))
        if from == nil { bad("held_from", .l("not a date in YYYY-MM-DD form", "ei päivämäärä muodossa VVVV-KK-PP")) }
        var until: Date?
        let untilText = value("held_until")
        if !untilText.isEmpty {
            until = UTCDay.parse(untilText)
            if until == nil {
                bad(
                    "held_until",
                    .l(
                        "not a date in YYYY-MM-DD form (leave empty while still held)",
                        "ei päivämäärä muodossa VVVV-KK-PP (jätä tyhjäksi, kun tieto on yhä hallussa)"
                    )
                )
            } else if let from, let until, until < from {
                bad("held_until", .l("ends before held_from", "päättyy ennen kenttää held_from"))
            }
        }
        guard ok, let systemID, let from else { return }
        // Hashed field by field: building one key string per row cost more than the rest of the check.
        var hasher = Hasher()
        hasher.combine(externalID)
        hasher.combine(systemID)
        hasher.combine(category)
        hasher.combine(from)
        if let earlier = firstSeen(fingerprint: hasher.finalize(), line: line) {
            bad(
                "external_id",
                .l("duplicate holding (also on line \(earlier))", "sama tietorivi toistuu (myös rivillä \(earlier))")
            )
            return
        }
        holdingBatch.append(
            PendingHolding(
                line: line,
                externalID: externalID,
                systemID: systemID,
                categoryID: category,
                from: from,
                until: until
            )
        )
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
            // Sealed while earlier batches are still being written.
            // The header row set the keys before any customer row was accepted.
            let keys = self.keys!
            let rows = try await Self.seal(customerBatch, with: importer.customers, keys: keys)
            let (customers, fresh, now, connection) = (importer.customers, fresh, now, connection)
            try await enqueue { mayWrite in
                guard mayWrite else { return BatchResult() }
                return BatchResult(
                    counts: try await customers.write(rows, keys: keys, fresh: fresh, now: now, in: connection)
                )
            }
        case .holdings:
            defer { holdingBatch.removeAll(keepingCapacity: true) }
            guard !holdingBatch.isEmpty else { return }
            // Customer ids are looked up in the queue too, so reading the file never waits for the database.
            let (batch, dataMap, fresh, connection) = (holdingBatch, importer.dataMap, fresh, connection)
            try await enqueue { mayWrite in
                let customerIDs = try await dataMap.customerIDs(
                    externalIDs: Array(Set(batch.map(\.externalID))),
                    in: connection
                )
                var result = BatchResult()
                var inputs: [HoldingInput] = []
                inputs.reserveCapacity(batch.count)
                for row in batch {
                    guard let customerID = customerIDs[row.externalID] else {
                        result.problems.append(
                            ImportProblem(
                                line: row.line,
                                column: "external_id",
                                reason: Self.unknownCustomer(row.externalID)
                            )
                        )
                        continue
                    }
                    inputs.append(
                        HoldingInput(
                            customerID: customerID,
                            systemID: row.systemID,
                            categoryID: row.categoryID,
                            heldFrom: row.from,
                            heldUntil: row.until
                        )
                    )
                }
                guard mayWrite, result.problems.isEmpty else { return result }
                result.counts = try await dataMap.writeHoldings(inputs, fresh: fresh, in: connection)
                return result
            }
        }
    }
}

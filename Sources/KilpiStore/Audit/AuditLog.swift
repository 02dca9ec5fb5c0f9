import Foundation
import KilpiCore
import SQLKit

/// A filter for browsing the audit log.
public struct AuditFilter: Sendable, Equatable {
    public var actor: String?
    public var actionPrefix: String?
    public var target: String?
    public var from: Date?
    public var until: Date?
    /// Entries with an id below this one (for paging backwards from the newest).
    public var beforeID: Int64?
    public var limit: Int

    public init(
        actor: String? = nil,
        actionPrefix: String? = nil,
        target: String? = nil,
        from: Date? = nil,
        until: Date? = nil,
        beforeID: Int64? = nil,
        limit: Int = 100
    ) {
        self.actor = actor
        self.actionPrefix = actionPrefix
        self.target = target
        self.from = from
        self.until = until
        self.beforeID = beforeID
        self.limit = limit
    }
}

/// Outcome of walking the chain, all of it or from the last checkpoint.
public struct AuditVerification: Sendable, Equatable {
    /// Entries checked by this walk.
    public let checked: Int
    /// Id of the last good entry (0 for an empty log).
    public let headID: Int64
    /// Hash of the last good entry: keep it (with `headID`) elsewhere to detect a truncated log later.
    public let headHash: String
    public let problem: AuditChain.Break?
    /// The checkpoint entry the walk started after; nil when it walked the whole log.
    public let resumedAfter: Int64?
    public var isIntact: Bool { problem == nil }

    public init(
        checked: Int,
        headID: Int64,
        headHash: String,
        problem: AuditChain.Break?,
        resumedAfter: Int64? = nil
    ) {
        self.checked = checked
        self.headID = headID
        self.headHash = headHash
        self.problem = problem
        self.resumedAfter = resumedAfter
    }
}

/// The audit key is missing or is not the one the log was written with.
public struct AuditKeyError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// The append-only, hash-chained audit log.
public protocol AuditLog: Sendable {
    @discardableResult func append(_ event: AuditEvent, now: Date) async throws -> AuditEntry
    /// Appends inside a caller's transaction, so the action and its audit entry commit together.
    @discardableResult func append(_ event: AuditEvent, now: Date, in sql: any SQLDatabase) async throws -> AuditEntry
    /// Newest first.
    func entries(_ filter: AuditFilter) async throws -> [AuditEntry]
    /// Walks the whole chain (`kilpi audit verify`).
    func verify() async throws -> AuditVerification
    /// Walks only the entries after the last checkpoint (the console and the API): cheap on every view, but an
    /// edit at or before the checkpoint is found only by `verify()`.
    func verifySinceCheckpoint() async throws -> AuditVerification
    /// Writes the chained summary of every finished minute of counted anonymous events; returns how many
    /// buckets were closed. Appends do this too; a scheduler calls it so that a quiet log closes them as well.
    @discardableResult func flushAnonymousCounts(now: Date) async throws -> Int
}

extension AuditLog {
    public func verifySinceCheckpoint() async throws -> AuditVerification { try await verify() }
    public func flushAnonymousCounts(now: Date) async throws -> Int { 0 }
}

/// The audit log in the database, chained with HMAC-SHA256 under the audit key.
///
/// **Anonymous events are counted, not chained one by one.** Anyone can send a POST without a CSRF token or a
/// login for an unknown account, so an entry per event would let an unauthenticated flood grow the log (and
/// its verification) without limit. An event whose actor is `anonymous` is instead folded into a bucket per
/// (source address, action, target, minute) in `audit_anonymous_counts`:
/// - the first event of a bucket is appended to the chain as it is, so the log shows at once that it happened;
/// - repeats only increase the bucket's count (one small upsert, no chained row);
/// - once the minute is over, the next append (or `flushAnonymousCounts`, which the sweeper calls) appends one
///   chained summary entry with the final count (when it is above 1) and deletes the bucket.
/// So a flood costs at most two chained entries per source, action, target and minute. No more than
/// `maximumSourcesPerMinute` sources get a bucket of their own per action and minute; the rest share the
/// source `*`, so spreading a flood over many addresses does not multiply the entries either. The count is
/// tamper-evident once its summary is chained; until then (at most the current minute, or until the next
/// append) it sits in a plain table that a database writer could change, like any row not yet audited.
///
/// **Keyed chain.** Every entry's hash is an HMAC-SHA256 under `key` (see `AuditChain`). A log from before the
/// audit key continues with HMAC from a marked point: the first keyed append writes an `audit.chain_keyed`
/// entry whose MAC covers the last SHA-256 hash, and the key records up to which id plain SHA-256 is accepted.
///
/// **Checkpoint.** A walk that finds the chain intact records its head in `audit_checkpoints`;
/// `verifySinceCheckpoint` starts from there.
public struct SQLAuditLog: AuditLog {
    let database: Database
    let key: AuditKey?
    /// The minute this process last looked for finished buckets: appends look once per minute, not per event.
    private let flushed = FlushedMinute()

    /// Anonymous sources with a bucket of their own, per action and minute; more share the source `*`.
    public static let maximumSourcesPerMinute = 64
    /// The actor whose events are counted.
    static let anonymousActor = "anonymous"
    /// The checkpoint `verify` and `verifySinceCheckpoint` keep.
    static let checkpointName = "verified"

    /// A log whose entries are keyed with `key` (the key ring's `audit`). Without a key nothing can be appended
    /// or verified: `AuditKeyError`.
    public init(database: Database, key: AuditKey?) {
        self.database = database
        self.key = key
    }

    static let columns = "id, at, actor, action, target, ip, detail, prev_hash, hash, chain"

    func requireKey() throws -> AuditKey {
        guard let key else {
            throw AuditKeyError(
                "the key ring has no audit key (@audit line); open the store through the kilpi command, which adds one"
            )
        }
        return key
    }

    public func append(_ event: AuditEvent, now: Date) async throws -> AuditEntry {
        try await database.transaction { sql in try await append(event, now: now, in: sql) }
    }

    public func append(_ event: AuditEvent, now: Date, in sql: any SQLDatabase) async throws -> AuditEntry {
        let key = try requireKey()
        try await lock(sql)
        let event = Self.sanitised(event)
        let minute = Self.minute(of: now)
        if flushed.shouldFlush(before: minute) {
            try await flush(before: minute, now: now, key: key, in: sql)
        }
        guard event.actor == Self.anonymousActor else {
            return try await appendChained(event, now: now, key: key, in: sql)
        }
        return try await count(event, minute: minute, now: now, key: key, in: sql)
    }

    /// Serialises appenders across processes; SQLite's single writer (BEGIN IMMEDIATE) already does this.
    private func lock(_ sql: any SQLDatabase) async throws {
        if database.engine == .postgres {
            try await sql.raw("SELECT pg_advisory_xact_lock(7423002)").run()
        }
    }

    /// Appends one entry to the chain. The caller holds the lock.
    private func appendChained(
        _ event: AuditEvent,
        now: Date,
        key: AuditKey,
        in sql: any SQLDatabase
    ) async throws -> AuditEntry {
        let last = try await sql.raw("SELECT id, hash, chain FROM audit_log ORDER BY id DESC LIMIT 1").first()
        // Ids are assigned here, not by a sequence: PostgreSQL sequences skip numbers on rollback, and the
        // verifier treats a skipped number as a deleted entry.
        var id = (try last?.decode(column: "id", as: Int64.self) ?? 0) + 1
        var previous = try last?.decode(column: "hash", as: String.self) ?? AuditChain.genesis
        let at = now.epochMilliseconds
        if let last, try Self.chain(last) == .sha256 {
            // The first keyed entry: its MAC covers the last plain hash, so the older entries are pinned too.
            let switched = try await insert(
                AuditEvent(
                    actor: "system",
                    action: .auditChainKeyed,
                    detail:
                        "entries 1-\(id - 1) are chained with plain SHA-256; from this entry on every entry carries an HMAC-SHA256 under the audit key"
                ),
                id: id,
                at: at,
                previous: previous,
                key: key,
                in: sql
            )
            id += 1
            previous = switched.hash
        }
        return try await insert(event, id: id, at: at, previous: previous, key: key, in: sql)
    }

    private func insert(
        _ event: AuditEvent,
        id: Int64,
        at: Int64,
        previous: String,
        key: AuditKey,
        in sql: any SQLDatabase
    ) async throws -> AuditEntry {
        let hash = AuditChain.mac(
            key: key,
            id: id,
            atMilliseconds: at,
            actor: event.actor,
            action: event.action,
            target: event.target,
            ip: event.ip,
            detail: event.detail,
            previousHash: previous
        )
        let chain = AuditChain.Version.hmacSHA256.rawValue
        try await sql.raw(
            """
            INSERT INTO audit_log (id, at, actor, action, target, ip, detail, prev_hash, hash, chain)
            VALUES (\(bind: id), \(bind: at), \(bind: event.actor), \(bind: event.action), \(bind: event.target),
                    \(bind: event.ip), \(bind: event.detail), \(bind: previous), \(bind: hash), \(bind: chain))
            """
        ).run()
        return AuditEntry(
            id: id,
            at: Date(epochMilliseconds: at),
            actor: event.actor,
            action: event.action,
            target: event.target,
            ip: event.ip,
            detail: event.detail,
            previousHash: previous,
            hash: hash,
            chain: .hmacSHA256
        )
    }

    // MARK: - Counted anonymous events

    static func minute(of date: Date) -> Int64 {
        let milliseconds = date.epochMilliseconds
        return milliseconds >= 0 ? milliseconds / 60_000 : (milliseconds - 59_999) / 60_000
    }

    /// Counts an anonymous event in its bucket; returns the bucket's chained first entry.
    private func count(
        _ event: AuditEvent,
        minute: Int64,
        now: Date,
        key: AuditKey,
        in sql: any SQLDatabase
    ) async throws -> AuditEntry {
        if let entry = try await increment(source: event.ip, event, minute: minute, in: sql) { return entry }
        let buckets =
            try await sql.raw(
                """
                SELECT count(*) AS n FROM audit_anonymous_counts WHERE minute = \(bind: minute) AND action = \(bind: event.action)
                """
            ).first().map { try $0.decode(column: "n", as: Int.self) } ?? 0
        var source = event.ip
        if buckets >= Self.maximumSourcesPerMinute {
            source = "*"
            if let entry = try await increment(source: source, event, minute: minute, in: sql) { return entry }
        }
        let entry = try await appendChained(event, now: now, key: key, in: sql)
        try await sql.raw(
            """
            INSERT INTO audit_anonymous_counts (source, action, target, minute, count, first_entry_id)
            VALUES (\(bind: source), \(bind: event.action), \(bind: event.target), \(bind: minute), 1, \(bind: entry.id))
            """
        ).run()
        return entry
    }

    /// Adds one to an open bucket and returns its first entry; nil when the bucket is not open.
    private func increment(
        source: String,
        _ event: AuditEvent,
        minute: Int64,
        in sql: any SQLDatabase
    ) async throws -> AuditEntry? {
        let bucket = try await sql.raw(
            """
            UPDATE audit_anonymous_counts SET count = count + 1
            WHERE source = \(bind: source) AND action = \(bind: event.action) AND target = \(bind: event.target)
                AND minute = \(bind: minute)
            RETURNING first_entry_id
            """
        ).first()
        guard let bucket else { return nil }
        let first = try bucket.decode(column: "first_entry_id", as: Int64.self)
        return try await sql.raw("SELECT \(unsafeRaw: Self.columns) FROM audit_log WHERE id = \(bind: first)")
            .first().map(Self.decode)
    }

    /// Closes the buckets of minutes before `minute`: one chained summary each (when counted more than once).
    /// The caller holds the lock. Returns how many buckets were closed.
    @discardableResult
    private func flush(before minute: Int64, now: Date, key: AuditKey, in sql: any SQLDatabase) async throws -> Int {
        var closed = 0
        while true {
            let rows = try await sql.raw(
                """
                SELECT source, action, target, minute, count, first_entry_id FROM audit_anonymous_counts
                WHERE minute < \(bind: minute) ORDER BY minute, first_entry_id LIMIT 100
                """
            ).all()
            if rows.isEmpty { return closed }
            for row in rows {
                let source = try row.decode(column: "source", as: String.self)
                let action = try row.decode(column: "action", as: String.self)
                let target = try row.decode(column: "target", as: String.self)
                let bucketMinute = try row.decode(column: "minute", as: Int64.self)
                let count = try row.decode(column: "count", as: Int64.self)
                let first = try row.decode(column: "first_entry_id", as: Int64.self)
                if count > 1 {
                    let start = Date(epochMilliseconds: bucketMinute * 60_000)
                    let sources = source == "*" ? "from addresses beyond the first \(Self.maximumSourcesPerMinute)" : ""
                    let summary = AuditEvent(
                        actor: Self.anonymousActor,
                        action: AuditAction(rawValue: action),
                        target: target,
                        ip: source,
                        detail:
                            "\(count) times \(sources) in the minute from \(Self.minuteFormat(start)) UTC; entry \(first) is the first"
                            .replacingOccurrences(of: "  ", with: " ")
                    )
                    _ = try await appendChained(Self.sanitised(summary), now: now, key: key, in: sql)
                }
                try await sql.raw(
                    """
                    DELETE FROM audit_anonymous_counts
                    WHERE source = \(bind: source) AND action = \(bind: action) AND target = \(bind: target)
                        AND minute = \(bind: bucketMinute)
                    """
                ).run()
                closed += 1
            }
        }
    }

    public func flushAnonymousCounts(now: Date) async throws -> Int {
        let key = try requireKey()
        return try await database.transaction { sql in
            try await lock(sql)
            return try await flush(before: Self.minute(of: now), now: now, key: key, in: sql)
        }
    }

    /// The last minute appends flushed before. Only saves work: a flush skipped here (or rolled back with its
    /// transaction) happens at the next minute's first append or at the sweeper's next pass.
    final class FlushedMinute: @unchecked Sendable {
        private let lock = NSLock()
        private var minute = Int64.min

        func shouldFlush(before minute: Int64) -> Bool {
            lock.withLock {
                guard minute > self.minute else { return false }
                self.minute = minute
                return true
            }
        }
    }

    /// The sweeper's chore that closes finished minutes of counted anonymous events, so a quiet log chains
    /// their counts too. It runs `flushAnonymousCounts` in a transaction of its own (the append lock needs
    /// one), not on the connection the sweeper hands it.
    public var anonymousCountsChore: Sweeper.Chore {
        Sweeper.Chore(name: "audit anonymous counts") { now in try await flushAnonymousCounts(now: now) }
    }

    static func minuteFormat(_ date: Date) -> String {
        let format = DateFormatter()
        format.locale = Locale(identifier: "en_US_POSIX")
        format.timeZone = TimeZone(identifier: "UTC")
        format.dateFormat = "yyyy-MM-dd HH:mm"
        return format.string(from: date)
    }

    /// Open buckets: (source, action, target, count), for tests and the console.
    public func openAnonymousCounts() async throws -> [(source: String, action: String, target: String, count: Int64)] {
        try await database.withConnection { sql in
            try await sql.raw(
                "SELECT source, action, target, count FROM audit_anonymous_counts ORDER BY minute, first_entry_id"
            ).all().map { row in
                (
                    try row.decode(column: "source", as: String.self),
                    try row.decode(column: "action", as: String.self),
                    try row.decode(column: "target", as: String.self),
                    try row.decode(column: "count", as: Int64.self)
                )
            }
        }
    }

    // MARK: - Reading

    public func entries(_ filter: AuditFilter) async throws -> [AuditEntry] {
        var query: SQLQueryString = "SELECT \(unsafeRaw: Self.columns) FROM audit_log WHERE 1 = 1"
        if let actor = filter.actor, !actor.isEmpty { query += " AND actor = \(bind: actor)" }
        if let prefix = filter.actionPrefix, !prefix.isEmpty {
            // Not LIKE: SQLite's LIKE ignores case and PostgreSQL's does not, so the engines would disagree.
            let dotted = prefix + "."
            query +=
                " AND (action = \(bind: prefix) OR substr(action, 1, \(literal: dotted.unicodeScalars.count)) = \(bind: dotted))"
        }
        if let target = filter.target, !target.isEmpty { query += " AND target = \(bind: target)" }
        if let from = filter.from { query += " AND at >= \(bind: from.epochMilliseconds)" }
        if let until = filter.until { query += " AND at < \(bind: until.epochMilliseconds)" }
        if let before = filter.beforeID { query += " AND id < \(bind: before)" }
        query += " ORDER BY id DESC LIMIT \(literal: max(1, min(filter.limit, 1000)))"
        let final = query
        return try await database.withConnection { sql in
            try await sql.raw(final).all().map(Self.decode)
        }
    }

    /// The entry with this id, if there is one.
    public func entry(id: Int64) async throws -> AuditEntry? {
        try await database.withConnection { sql in
            try await sql.raw("SELECT \(unsafeRaw: Self.columns) FROM audit_log WHERE id = \(bind: id)")
                .first().map(Self.decode)
        }
    }

    // MARK: - Verifying

    public func verify() async throws -> AuditVerification {
        try await walk(AuditChain.Verifier(key: try requireKey()), resumedAfter: nil)
    }

    public func verifySinceCheckpoint() async throws -> AuditVerification {
        let key = try requireKey()
        let checkpoint = try await database.withConnection { sql in
            try await sql.raw(
                "SELECT entry_id, hash, mac FROM audit_checkpoints WHERE name = \(bind: Self.checkpointName)"
            ).first().map {
                (
                    id: try $0.decode(column: "entry_id", as: Int64.self),
                    hash: try $0.decode(column: "hash", as: String.self),
                    mac: try $0.decode(column: "mac", as: String?.self)
                )
            }
        }
        // A checkpoint without the right MAC (written before migration 16, or moved by someone without the key) is
        // no place to resume from: the whole chain is walked.
        guard let checkpoint, checkpoint.id > 0,
            let mac = checkpoint.mac,
            Digest.constantTimeEquals(
                mac,
                AuditChain.checkpointMAC(
                    key: key,
                    name: Self.checkpointName,
                    entryID: checkpoint.id,
                    hash: checkpoint.hash
                )
            )
        else {
            if checkpoint != nil {
                let name = Self.checkpointName
                try await database.withConnection { sql in
                    try await sql.raw("DELETE FROM audit_checkpoints WHERE name = \(bind: name)").run()
                }
            }
            return try await walk(AuditChain.Verifier(key: key), resumedAfter: nil)
        }
        // The checkpoint's own entry must still be there, unchanged; what lies before it is the full walk's job.
        guard let entry = try await entry(id: checkpoint.id) else {
            return AuditVerification(
                checked: 0,
                headID: 0,
                headHash: AuditChain.genesis,
                problem: .linkBroken(id: checkpoint.id),
                resumedAfter: checkpoint.id
            )
        }
        guard entry.hash == checkpoint.hash, AuditChain.expectedHash(of: entry, key: key) == entry.hash else {
            return AuditVerification(
                checked: 0,
                headID: entry.id - 1,
                headHash: entry.previousHash,
                problem: .contentChanged(id: entry.id),
                resumedAfter: checkpoint.id
            )
        }
        return try await walk(AuditChain.Verifier(key: key, resumingAfter: entry), resumedAfter: checkpoint.id)
    }

    /// Walks the entries after the verifier's position, page by page; moves the checkpoint when intact.
    private func walk(_ start: AuditChain.Verifier, resumedAfter: Int64?) async throws -> AuditVerification {
        var verifier = start
        var afterID: Int64 = verifier.lastID ?? Int64.min
        let pageSize = 2000
        while true {
            let from = afterID
            let page = try await database.withConnection { sql in
                try await sql.raw(
                    """
                    SELECT \(unsafeRaw: Self.columns) FROM audit_log WHERE id > \(bind: from) ORDER BY id LIMIT \(literal: pageSize)
                    """
                ).all().map(Self.decode)
            }
            for entry in page {
                if let problem = verifier.check(entry) {
                    return AuditVerification(
                        checked: verifier.count,
                        headID: verifier.lastID ?? 0,
                        headHash: verifier.lastHash,
                        problem: problem,
                        resumedAfter: resumedAfter
                    )
                }
            }
            guard page.count == pageSize, let last = page.last else { break }
            afterID = last.id
        }
        let headID = verifier.lastID ?? 0
        if headID > 0, headID != resumedAfter {
            try await moveCheckpoint(to: headID, hash: verifier.lastHash, key: start.key)
        }
        return AuditVerification(
            checked: verifier.count,
            headID: headID,
            headHash: verifier.lastHash,
            problem: nil,
            resumedAfter: resumedAfter
        )
    }

    /// Only forwards: a slower walk that finished on an older head does not move it back. A checkpoint without a MAC
    /// (from before migration 16) is replaced wherever it points.
    private func moveCheckpoint(to id: Int64, hash: String, key: AuditKey) async throws {
        let now = Date().epochMilliseconds
        let mac = AuditChain.checkpointMAC(key: key, name: Self.checkpointName, entryID: id, hash: hash)
        try await database.withConnection { sql in
            try await sql.raw(
                """
                INSERT INTO audit_checkpoints (name, entry_id, hash, verified_at, mac)
                VALUES (\(bind: Self.checkpointName), \(bind: id), \(bind: hash), \(bind: now), \(bind: mac))
                ON CONFLICT (name) DO UPDATE SET entry_id = excluded.entry_id, hash = excluded.hash,
                    verified_at = excluded.verified_at, mac = excluded.mac
                WHERE audit_checkpoints.entry_id < excluded.entry_id OR audit_checkpoints.mac IS NULL
                """
            ).run()
        }
    }

    // MARK: - The audit key

    /// Refuses an audit key that is not the one the log was written with, by checking the MAC of the first
    /// keyed entry (one row read): a key file from another installation would otherwise append entries that
    /// no verify can accept. A log without keyed entries accepts any key.
    public func checkKey() async throws {
        let key = try requireKey()
        let first = key.sha256Until + 1
        guard let entry = try await entry(id: first), entry.chain == .hmacSHA256 else { return }
        guard AuditChain.expectedHash(of: entry, key: key) == entry.hash else {
            throw AuditKeyError(
                "the audit key does not match the audit log (entry \(first) carries another key's HMAC): the key file is not the one this database was written with, or the entry was altered (run kilpi audit verify)"
            )
        }
    }

    /// The newest entry's id and chain; nil for an empty log.
    public func head() async throws -> (id: Int64, chain: AuditChain.Version)? {
        try await database.withConnection { sql in
            try await sql.raw("SELECT id, chain FROM audit_log ORDER BY id DESC LIMIT 1").first().map {
                (try $0.decode(column: "id", as: Int64.self), try Self.chain($0))
            }
        }
    }

    // MARK: - Encoding

    /// Control characters would let a crafted value forge extra lines in exported logs. The Unicode line and
    /// paragraph separators (U+2028, U+2029) are not control characters but end lines just the same.
    static let unsafeCharacters = CharacterSet.controlCharacters.union(.newlines)

    static func sanitised(_ event: AuditEvent) -> AuditEvent {
        func clean(_ text: String, limit: Int) -> String {
            String(
                String(text.unicodeScalars.map { unsafeCharacters.contains($0) ? " " : Character($0) }).prefix(limit)
            )
        }
        return AuditEvent(
            actor: clean(event.actor, limit: 200),
            action: AuditAction(rawValue: clean(event.action, limit: 100)),
            target: clean(event.target, limit: 200),
            ip: clean(event.ip, limit: 64),
            detail: clean(event.detail, limit: 1000)
        )
    }

    /// An unknown chain number reads as plain SHA-256, which the verifier then refuses after the upgrade point.
    static func chain(_ row: any SQLRow) throws -> AuditChain.Version {
        AuditChain.Version(rawValue: try row.decode(column: "chain", as: Int.self)) ?? .sha256
    }

    static func decode(_ row: any SQLRow) throws -> AuditEntry {
        AuditEntry(
            id: try row.decode(column: "id", as: Int64.self),
            at: Date(epochMilliseconds: try row.decode(column: "at", as: Int64.self)),
            actor: try row.decode(column: "actor", as: String.self),
            action: try row.decode(column: "action", as: String.self),
            target: try row.decode(column: "target", as: String.self),
            ip: try row.decode(column: "ip", as: String.self),
            detail: try row.decode(column: "detail", as: String.self),
            previousHash: try row.decode(column: "prev_hash", as: String.self),
            hash: try row.decode(column: "hash", as: String.self),
            chain: try chain(row)
        )
    }
}

import Foundation
import KilpiCore
import PostgresNIO
import SQLKit
import SQLiteNIO

extension NoticeService {
    /// Makes a campaign from a scope version's exposure snapshot, in one transaction: the campaign, one outbox row
    /// per recipient (`queued`; `skipped` with a reason when the customer has no usable email address or was
    /// erased), its timeline entry and its audit entry. The campaign freezes the incident's title, summary, kinds
    /// and times as they are now (`NoticeCampaign.incidentContent`): its notices and previews say exactly that,
    /// whatever is edited on the incident later.
    ///
    /// The audience: `all` is every exposed customer. A follow-up (`followUpOf` names a campaign of the same
    /// incident, its "base", for the record and the console) is computed from every campaign of the incident, not
    /// only the base's: a customer has been told about a category (or will be) when any of the incident's
    /// campaigns has a row for them with that category that is `sent`, or still pending (`queued`, `sending`,
    /// `deferred`) in a campaign that is not cancelled. Skipped, failed and bounced rows, and the unsent rows of a
    /// cancelled campaign, told nobody anything. `added` reaches the exposed customers told nothing yet, so two
    /// follow-ups of one base never both reach the same new customer; `widened` reaches the customers told before
    /// whose told categories (over all those rows) miss one they are exposed in now. Each customer's language is
    /// their own when an approved template exists for it, else English (counted). Templates: the newest approved
    /// version of `templateKey` per language, else of `general`; English is required.
    ///
    /// Refused, changing nothing, with the field named: settings out of range, an unknown template key, a scope
    /// version of another incident or with no exposure, no approved English template, a follow-up without a base
    /// or with a base of another incident, an audience that reaches nobody.
    public func createCampaign(
        incidentID: Int64,
        scopeVersionID: Int64,
        audience: NoticeAudience = .all,
        followUpOf: Int64? = nil,
        templateKey: String = NoticeTemplateVersion.generalKey,
        settings: NoticeCampaignSettings = NoticeCampaignSettings(),
        by caller: Caller,
        now: Date
    ) async throws -> NoticeCampaign {
        var problems = settings.problems()
        if !NoticeTemplateVersion.keys.contains(templateKey) {
            let keys = NoticeTemplateVersion.keys.joined(separator: ", ")
            problems.append(FieldProblem("template_key", .l("must be one of \(keys)", "oltava jokin näistä: \(keys)")))
        }
        switch (audience, followUpOf) {
        case (.all, .some):
            problems.append(
                FieldProblem(
                    "follow_up_of",
                    .l(
                        "only a follow-up (audience added or widened) has a base campaign",
                        "vain jatkokampanjalla (kohderyhmä added tai widened) on pohjakampanja"
                    )
                )
            )
        case (.added, nil), (.widened, nil):
            problems.append(
                FieldProblem(
                    "follow_up_of",
                    .l("a follow-up needs the campaign it follows up", "jatkokampanja tarvitsee pohjakampanjan")
                )
            )
        default: break
        }
        guard problems.isEmpty else { throw NoticeError(problems) }
        let (vault, audit, engine) = (store.vault, store.audit, store.database.engine)
        let actor = caller.actor.description
        return try await store.database.bulkTransaction(pragmas: SQLitePragma.largeTransaction) { connection in
            let sql = connection.sql
            guard let incident = try await IncidentRepository.load(sql, id: incidentID, forUpdate: true) else {
                throw NoticeError(
                    [
                        FieldProblem(
                            "incident",
                            .l("incident \(incidentID) does not exist", "tapausta \(incidentID) ei ole")
                        )
                    ],
                    notFound: true
                )
            }
            guard
                let scope = try await sql.raw(
                    "SELECT incident_id, version FROM scope_versions WHERE id = \(bind: scopeVersionID)"
                ).first(),
                try scope.decode(column: "incident_id", as: Int64.self) == incidentID
            else {
                throw NoticeError.invalid(
                    "scope_version_id",
                    .l(
                        "scope version \(scopeVersionID) is not one of incident \(incidentID)",
                        "laajuusversio \(scopeVersionID) ei kuulu tapaukseen \(incidentID)"
                    )
                )
            }
            let scopeVersion = try scope.decode(column: "version", as: Int.self)
            let snapshot = try await ScopeRepository.loadSnapshot(sql, scopeID: scopeVersionID)
            guard !snapshot.isEmpty else {
                throw NoticeError.invalid(
                    "scope_version_id",
                    .l(
                        "scope v\(scopeVersion) exposes no customers: there is nobody to notify",
                        "laajuus v\(scopeVersion) ei altista yhtään asiakasta: ilmoitettavia ei ole"
                    )
                )
            }
            let templates = try await Self.pinnedTemplates(sql, key: templateKey)
            let notified = try await Self.told(sql, followUpOf: followUpOf, incidentID: incidentID)
            let audienceIndexes = Self.select(snapshot, audience: audience, notified: notified)
            guard !audienceIndexes.isEmpty else {
                let name = audience.rawValue
                throw NoticeError.invalid(
                    "audience",
                    .l(
                        "no customer of scope v\(scopeVersion) is in audience \(name)",
                        "laajuuden v\(scopeVersion) asiakkaista kukaan ei kuulu kohderyhmään \(name)"
                    )
                )
            }
            let nowMs = now.epochMilliseconds
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            let pinned = String(
                decoding: try encoder.encode(
                    Dictionary(uniqueKeysWithValues: templates.map { ($0.key.rawValue, $0.value) })
                ),
                as: UTF8.self
            )
            // The incident as it stands now, under its row lock: what the preview shows and every notice will say,
            // whatever is edited later.
            let frozen = try NoticeIncidentContent(incident).json()
            let campaignID = try await sql.raw(
                """
                INSERT INTO notice_campaigns (incident_id, scope_version_id, audience, follow_up_of, template_key, templates, state,
                    rate_per_second, concurrency, error_threshold, created_by, created_at, updated_at, incident_content)
                VALUES (\(bind: incidentID), \(bind: scopeVersionID), \(bind: audience.rawValue), \(bind: followUpOf), \(bind: templateKey),
                    \(bind: pinned), \(bind: NoticeCampaignState.ready.rawValue), \(bind: settings.ratePerSecond), \(bind: settings.concurrency),
                    \(bind: settings.errorThreshold), \(bind: actor), \(bind: nowMs), \(bind: nowMs), \(bind: frozen))
                RETURNING id
                """
            ).first().map { try $0.decode(column: "id", as: Int64.self) }!
            let keys = try await vault.keysForSealing(in: sql, engine: engine, now: now)
            let counts = try await Self.writeOutbox(
                connection,
                campaignID: campaignID,
                snapshot: snapshot,
                indexes: audienceIndexes,
                templates: templates,
                keys: keys,
                now: nowMs
            )
            try await sql.raw(
                """
                UPDATE notice_campaigns SET recipients = \(bind: counts.rows), skipped = \(bind: counts.skipped),
                    english_fallback = \(bind: counts.englishFallback) WHERE id = \(bind: campaignID)
                """
            ).run()
            _ = try await IncidentRepository.append(
                sql,
                incidentID: incidentID,
                at: now,
                author: actor,
                kind: .notice,
                visibility: .internal,
                event: .noticeCampaignCreated(
                    campaign: .init(
                        campaignID: campaignID,
                        scopeVersion: scopeVersion,
                        audience: audience,
                        recipients: counts.rows,
                        skipped: counts.skipped,
                        englishFallback: counts.englishFallback
                    )
                )
            )
            try await audit.append(
                caller.event(
                    .noticeCampaignCreate,
                    target: "campaign:\(campaignID)",
                    detail:
                        "incident:\(incidentID) scope v\(scopeVersion) \(audience.rawValue)\(followUpOf.map { " follow-up of campaign:\($0)" } ?? ""): \(counts.rows) recipients, \(counts.skipped) skipped"
                ),
                now: now,
                in: sql
            )
            return try await NoticeCampaignRepository.load(sql, id: campaignID)!
        }
    }

    /// The newest approved version per language of `key`, each falling back to `general`; English required.
    static func pinnedTemplates(_ sql: any SQLDatabase, key: String) async throws -> [Language: Int64] {
        var pinned: [Language: Int64] = [:]
        for language in Language.allCases {
            var version = try await NoticeTemplateRepository.approved(sql, key: key, language: language)
            if version == nil, key != NoticeTemplateVersion.generalKey {
                version = try await NoticeTemplateRepository.approved(
                    sql,
                    key: NoticeTemplateVersion.generalKey,
                    language: language
                )
            }
            if let version { pinned[language] = version.id }
        }
        guard pinned[.en] != nil else {
            throw NoticeError.invalid(
                "template",
                .l(
                    "no approved English template for \(key) or general: English is what every customer without a template of their own gets",
                    "avaimelle \(key) tai general ei ole hyväksyttyä englanninkielistä pohjaa: englanti on se, jonka saa jokainen, jonka kielellä pohjaa ei ole"
                )
            )
        }
        return pinned
    }

    /// For a follow-up: the categories each customer of the incident has been told about, or will be, by any of the
    /// incident's campaigns (see `createCampaign`): their `sent` rows, and their pending rows unless the campaign
    /// is cancelled. A customer with such a row and no categories maps to an empty set. Nil for a campaign that
    /// follows up nothing. The base must exist and belong to the incident.
    static func told(
        _ sql: any SQLDatabase,
        followUpOf: Int64?,
        incidentID: Int64
    ) async throws -> [Int64: Set<String>]? {
        guard let followUpOf else { return nil }
        guard let base = try await NoticeCampaignRepository.load(sql, id: followUpOf) else {
            throw NoticeError.invalid(
                "follow_up_of",
                .l("campaign \(followUpOf) does not exist", "kampanjaa \(followUpOf) ei ole")
            )
        }
        guard base.incidentID == incidentID else {
            let other = base.incidentID
            throw NoticeError.invalid(
                "follow_up_of",
                .l(
                    "campaign \(followUpOf) belongs to incident \(other), not this one",
                    "kampanja \(followUpOf) kuuluu tapaukseen \(other), ei tähän"
                )
            )
        }
        var told: [Int64: Set<String>] = [:]
        for row in try await sql.raw(
            """
            SELECT o.customer_id, o.categories FROM notice_outbox o JOIN notice_campaigns c ON c.id = o.campaign_id
            WHERE c.incident_id = \(bind: incidentID) AND (o.state = \(bind: OutboxState.sent.rawValue)
                OR (o.state IN \(unsafeRaw: NoticeOutboxRepository.pendingStates) AND c.state <> \(bind: NoticeCampaignState.cancelled.rawValue)))
            """
        ).all() {
            let customer = try row.decode(column: "customer_id", as: Int64.self)
            told[customer, default: []].formUnion(
                NoticeOutboxRepository.categories(try row.decode(column: "categories", as: String.self))
            )
        }
        return told
    }

    /// The snapshot positions the audience reaches.
    static func select(
        _ snapshot: ExposureSnapshot,
        audience: NoticeAudience,
        notified: [Int64: Set<String>]?
    )
        -> [Int]
    {
        guard let notified else { return Array(0..<snapshot.count) }
        return snapshot.customers.indices.filter { index in
            let customer = snapshot.customers[index]
            switch audience {
            case .all: return true
            case .added: return notified[customer] == nil
            case .widened:
                guard let told = notified[customer] else { return false }
                return !Set(snapshot.categories(at: index)).isSubset(of: told)
            }
        }
    }

    struct OutboxCounts: Sendable {
        var rows = 0
        var skipped = 0
        var englishFallback = 0
    }

    /// One customer as the outbox needs them: no personal data but whether an address exists.
    struct Reachability: Sendable {
        let id: Int64
        let language: String
        let hasEmail: Bool
        let erased: Bool
    }

    /// Writes the outbox rows of the snapshot positions `indexes`, in batches.
    static func writeOutbox(
        _ connection: BulkConnection,
        campaignID: Int64,
        snapshot: ExposureSnapshot,
        indexes: [Int],
        templates: [Language: Int64],
        keys: Vault.Keys,
        now: Int64
    ) async throws -> OutboxCounts {
        var counts = OutboxCounts()
        let batchSize = connection.sqlite == nil ? 10_000 : 2_000
        for start in stride(from: 0, to: indexes.count, by: batchSize) {
            let slice = Array(indexes[start..<min(start + batchSize, indexes.count)])
            let ids = slice.map { snapshot.customers[$0] }
            let found = try await reachability(connection, ids: ids)
            var rows: [NewOutboxRow] = []
            rows.reserveCapacity(slice.count)
            for index in slice {
                let customer = snapshot.customers[index]
                // A customer row deleted outside Kilpi since the snapshot was saved has nobody to write to.
                guard let who = found[customer] else { continue }
                let own = Language(rawValue: who.language)
                let language = own.flatMap { templates[$0] == nil ? nil : $0 } ?? .en
                let fallback = language == .en && who.language != Language.en.rawValue
                let skip: NoticeSkipReason? = who.erased ? .erased : (who.hasEmail ? nil : .noEmail)
                rows.append(
                    NewOutboxRow(
                        customerID: customer,
                        language: language,
                        englishFallback: fallback,
                        templateVersionID: templates[language]!,
                        categories: snapshot.categories(at: index).joined(separator: ","),
                        skip: skip
                    )
                )
                counts.rows += 1
                if skip != nil { counts.skipped += 1 }
                if fallback { counts.englishFallback += 1 }
            }
            try await insert(rows, campaignID: campaignID, keys: keys, now: now, in: connection)
        }
        return counts
    }

    static func reachability(_ connection: BulkConnection, ids: [Int64]) async throws -> [Int64: Reachability] {
        guard let first = ids.first, let last = ids.last else { return [:] }
        var found: [Int64: Reachability] = [:]
        found.reserveCapacity(ids.count)
        let wanted = Set(ids)
        if let postgres = connection.postgres {
            var binds = PostgresBindings(capacity: 1)
            binds.append(ids)
            let rows = try await postgres.query(
                PostgresQuery(
                    unsafeSQL: """
                        SELECT id, language, email_sealed IS NOT NULL, erased_at IS NOT NULL FROM customers WHERE id = ANY($1)
                        """,
                    binds: binds
                ),
                logger: PostgresBulk.logger
            )
            for try await (id, language, hasEmail, erased) in rows.decode((Int64, String, Bool, Bool).self) {
                found[id] = Reachability(id: id, language: language, hasEmail: hasEmail, erased: erased)
            }
            return found
        }
        guard let sqlite = connection.sqlite else { preconditionFailure("a SQLite transaction carries its connection") }
        // The batch's ids are sorted: one walk of the primary key over their range.
        let rows = try await RawSQLite.scan(
            """
            SELECT id, language, email_sealed IS NOT NULL, erased_at IS NOT NULL FROM customers
            WHERE id BETWEEN ?1 AND ?2 ORDER BY id
            """,
            binds: [first, last],
            on: sqlite,
            into: [Reachability]()
        ) { rows, row in
            let id = row.int64(0)
            if wanted.contains(id) {
                rows.append(
                    Reachability(id: id, language: row.text(1), hasEmail: row.int64(2) != 0, erased: row.int64(3) != 0)
                )
            }
            return true
        }
        for row in rows { found[row.id] = row }
        return found
    }

    struct NewOutboxRow: Sendable {
        let customerID: Int64
        let language: Language
        let englishFallback: Bool
        let templateVersionID: Int64
        let categories: String
        let skip: NoticeSkipReason?
    }

    /// Reference codes for `count` notices from one read of the random source: 40 bits each, as
    /// `NoticeReferenceCode` makes them, in its canonical form (eight symbols, no dash).
    static func referenceCodes(_ count: Int) -> [String] {
        var bytes = [UInt8](repeating: 0, count: count * 5)
        bytes.withUnsafeMutableBytes { SecureRandom.fill($0) }
        let alphabet = Array(NoticeReferenceCode.alphabet.map { $0.asciiValue! })
        var codes: [String] = []
        codes.reserveCapacity(count)
        for index in 0..<count {
            var value: UInt64 = 0
            for byte in bytes[index * 5..<index * 5 + 5] { value = (value << 8) | UInt64(byte) }
            var symbols = [UInt8](repeating: 0, count: 8)
            for position in 0..<8 { symbols[position] = alphabet[Int((value >> UInt64((7 - position) * 5)) & 0x1F)] }
            codes.append(String(decoding: symbols, as: UTF8.self))
        }
        return codes
    }

    /// `count` notice keys in the UUID version 7 layout: 48 bits of the current time in milliseconds, then 74
    /// random bits, as lowercase UUID text. Unguessable like a random UUID, but a campaign's keys follow one another
    /// in the unique index, so a million inserts append to it instead of landing on random pages (which cost
    /// SQLite most of a campaign's creation time).
    static func timeOrderedKeys(_ count: Int) -> [String] {
        var random = [UInt8](repeating: 0, count: count * 10)
        random.withUnsafeMutableBytes { SecureRandom.fill($0) }
        let millis = UInt64(Date().timeIntervalSince1970 * 1000)
        var keys: [String] = []
        keys.reserveCapacity(count)
        for index in 0..<count {
            var bytes = [UInt8](repeating: 0, count: 16)
            for i in 0..<6 { bytes[i] = UInt8((millis >> UInt64((5 - i) * 8)) & 0xFF) }
            for i in 0..<10 { bytes[6 + i] = random[index * 10 + i] }
            bytes[6] = 0x70 | (bytes[6] & 0x0F)
            bytes[8] = 0x80 | (bytes[8] & 0x3F)
            let uuid = UUID(
                uuid: (
                    bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9],
                    bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
                )
            )
            keys.append(uuid.uuidString.lowercased())
        }
        return keys
    }

    /// The printed form of a canonical code: `K7M4-Q2XD`.
    static func formatted(_ canonical: String) -> String { "\(canonical.prefix(4))-\(canonical.dropFirst(4))" }

    static func insert(
        _ rows: [NewOutboxRow],
        campaignID: Int64,
        keys: Vault.Keys,
        now: Int64,
        in connection: BulkConnection
    ) async throws {
        guard !rows.isEmpty else { return }
        let noticeKeys = timeOrderedKeys(rows.count)
        let codes = referenceCodes(rows.count)
        let sealed = try keys.cipher.seal(
            rows.indices.map {
                (plaintext: formatted(codes[$0]), context: NoticeOutboxRepository.codeContext, row: noticeKeys[$0])
            }
        ).map { $0! }
        let hashes = codes.map { keys.index.index($0, purpose: NoticeOutboxRepository.codePurpose) }
        let columns = """
            notice_key, campaign_id, customer_id, language, english_fallback, template_version_id, categories, state,
            attempts, next_attempt_at, code_hash, code_sealed, skip_reason, queued_at, updated_at
            """
        if let postgres = connection.postgres {
            var binds = PostgresBindings(capacity: 13)
            binds.append(noticeKeys)
            binds.append(rows.map(\.customerID))
            binds.append(rows.map(\.language.rawValue))
            binds.append(rows.map { Int64($0.englishFallback ? 1 : 0) })
            binds.append(rows.map(\.templateVersionID))
            binds.append(rows.map(\.categories))
            binds.append(rows.map { $0.skip == nil ? OutboxState.queued.rawValue : OutboxState.skipped.rawValue })
            binds.append(PostgresOptionalArray(rows.map { $0.skip == nil ? now : nil }))
            binds.append(hashes)
            binds.append(sealed)
            binds.append(PostgresOptionalArray(rows.map { $0.skip?.rawValue }))
            binds.append(campaignID)
            binds.append(now)
            _ = try await PostgresBulk.run(
                """
                INSERT INTO notice_outbox (\(columns))
                SELECT b.notice_key, $12, b.customer_id, b.language, b.fallback, b.template, b.categories, b.state, 0,
                    b.next_at, b.hash, b.sealed, b.skip, $13, $13
                FROM unnest($1::TEXT[], $2::BIGINT[], $3::TEXT[], $4::BIGINT[], $5::BIGINT[], $6::TEXT[], $7::TEXT[],
                    $8::BIGINT[], $9::TEXT[], $10::TEXT[], $11::TEXT[])
                    AS b(notice_key, customer_id, language, fallback, template, categories, state, next_at, hash, sealed, skip)
                """,
                binds,
                on: postgres
            )
            return
        }
        guard let sqlite = connection.sqlite else { preconditionFailure("a SQLite transaction carries its connection") }
        var binds: [SQLiteData] = []
        binds.reserveCapacity(rows.count * 11)
        for (index, row) in rows.enumerated() {
            binds += [
                .text(noticeKeys[index]), .integer(Int(row.customerID)), .text(row.language.rawValue),
                .integer(row.englishFallback ? 1 : 0), .integer(Int(row.templateVersionID)), .text(row.categories),
                .text(row.skip == nil ? OutboxState.queued.rawValue : OutboxState.skipped.rawValue),
                row.skip == nil ? .integer(Int(now)) : .null, .text(hashes[index]), .text(sealed[index]),
                row.skip.map { .text($0.rawValue) } ?? .null,
            ]
        }
        let tuple = "(?,\(campaignID),?,?,?,?,?,?,0,?,?,?,?,\(now),\(now))"
        let query =
            RawSQLite.orFail("INSERT INTO notice_outbox (\(columns)) VALUES ")
            + Array(repeating: tuple, count: rows.count).joined(separator: ",")
        _ = try await RawSQLite.query(query, binds, on: sqlite) { _ in 0 }
    }
}

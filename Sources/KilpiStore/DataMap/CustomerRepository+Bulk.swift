import Foundation
import KilpiCore
import PostgresNIO
import SQLKit
import SQLiteNIO

/// A customer row ready for the database: personal fields sealed, blind index and content MAC computed.
struct SealedCustomer: Sendable {
    let externalID: String
    let name, email, emailIndex, phone, address, nationalID: String?
    let language, country, region, contentMAC: String
}

/// Writing customers in batches. Sealing and writing are separate steps so an import can seal the next batch
/// while the database writes this one.
extension CustomerRepository {
    static let insertPrefix = """
        INSERT INTO customers (external_id, name_sealed, email_sealed, email_index, phone_sealed, address_sealed,
            national_id_sealed, language, country, region, content_mac, key_id, created_at, updated_at)
        VALUES
        """
    static let columnCount = 14
    /// PostgreSQL: a batch as one array per column, so a statement of a few short parameters instead of 14 per
    /// row, each through SQLKit's serializer and encoder.
    static let postgresInsert = """
        INSERT INTO customers (external_id, name_sealed, email_sealed, email_index, phone_sealed, address_sealed,
            national_id_sealed, language, country, region, content_mac, key_id, created_at, updated_at)
        SELECT batch.*, $12, $13, $13
        FROM unnest($1::TEXT[], $2::TEXT[], $3::TEXT[], $4::TEXT[], $5::TEXT[], $6::TEXT[], $7::TEXT[], $8::TEXT[],
            $9::TEXT[], $10::TEXT[], $11::TEXT[]) AS batch
        """
    /// A row whose content MAC is unchanged is left alone, so re-importing a file changes nothing.
    static let upsertSuffix = """
        ON CONFLICT (external_id) DO UPDATE SET
            name_sealed = excluded.name_sealed, email_sealed = excluded.email_sealed, email_index = excluded.email_index,
            phone_sealed = excluded.phone_sealed, address_sealed = excluded.address_sealed,
            national_id_sealed = excluded.national_id_sealed, language = excluded.language, country = excluded.country,
            region = excluded.region, content_mac = excluded.content_mac, key_id = excluded.key_id,
            updated_at = excluded.updated_at, erased_at = NULL
        WHERE customers.content_mac <> excluded.content_mac
        RETURNING created_at
        """

    /// `seal` for many rows at once: their nonces come from one read of the random source (see `FieldCipher`).
    ///
    /// Each field is bound to its row by the external id, the one row key that exists before the insert (the
    /// internal id is the database's to give) and that never changes while the field exists: upserts match on
    /// it, and erasure, which replaces it, removes every sealed field.
    func seal(_ inputs: [CustomerInput], keys: Vault.Keys) throws -> [SealedCustomer] {
        var fields: [(plaintext: String?, context: String, row: String)] = []
        fields.reserveCapacity(inputs.count * 5)
        for input in inputs {
            let row = input.externalID
            fields += [
                (input.name, Vault.Context.name, row), (input.email, Vault.Context.email, row),
                (input.phone, Vault.Context.phone, row),
                (input.address, Vault.Context.address, row), (input.nationalID, Vault.Context.nationalID, row),
            ]
        }
        let sealed = try keys.cipher.seal(fields)
        return inputs.indices.map { row in
            let input = inputs[row]
            let base = row * 5
            return SealedCustomer(
                externalID: input.externalID,
                name: sealed[base],
                email: sealed[base + 1],
                emailIndex: input.email.map { keys.index.emailIndex($0) },
                phone: sealed[base + 2],
                address: sealed[base + 3],
                nationalID: sealed[base + 4],
                language: input.language,
                country: input.country,
                region: input.region,
                contentMAC: contentMAC(input, keys: keys)
            )
        }
    }

    func seal(_ input: CustomerInput, keys: Vault.Keys) throws -> SealedCustomer {
        let c = keys.cipher
        let row = input.externalID
        return SealedCustomer(
            externalID: input.externalID,
            name: try c.sealOptional(input.name, context: Vault.Context.name, row: row),
            email: try c.sealOptional(input.email, context: Vault.Context.email, row: row),
            emailIndex: input.email.map { keys.index.emailIndex($0) },
            phone: try c.sealOptional(input.phone, context: Vault.Context.phone, row: row),
            address: try c.sealOptional(input.address, context: Vault.Context.address, row: row),
            nationalID: try c.sealOptional(input.nationalID, context: Vault.Context.nationalID, row: row),
            language: input.language,
            country: input.country,
            region: input.region,
            contentMAC: contentMAC(input, keys: keys)
        )
    }

    /// Writes rows sealed with `keys` inside the caller's transaction (which called `Vault.keysForSealing`).
    ///
    /// `fresh` says the table had no customers when the transaction began (the write lock held since), and the
    /// caller has rejected duplicate ids: then every row is new, and a plain INSERT skips the conflict check
    /// and the RETURNING rows that only tell inserted from updated.
    func write(
        _ rows: [SealedCustomer],
        keys: Vault.Keys,
        fresh: Bool,
        now: Date,
        in connection: BulkConnection
    ) async throws -> UpsertCounts {
        guard !rows.isEmpty else { return UpsertCounts() }
        let nowMs = now.epochMilliseconds
        let keyID = keys.cipher.currentKeyID
        var createdAt: [Int64] = []
        if let sqlite = connection.sqlite {
            var binds: [SQLiteData] = []
            binds.reserveCapacity(rows.count * Self.columnCount)
            func text(_ value: String?) -> SQLiteData { value.map { .text($0) } ?? .null }
            for row in rows {
                binds += [
                    .text(row.externalID), text(row.name), text(row.email), text(row.emailIndex), text(row.phone),
                    text(row.address), text(row.nationalID), .text(row.language), .text(row.country), .text(row.region),
                    .text(row.contentMAC), .text(keyID), .integer(Int(nowMs)), .integer(Int(nowMs)),
                ]
            }
            let query =
                RawSQLite.orFail(Self.insertPrefix)
                + RawSQLite.placeholders(rows: rows.count, columns: Self.columnCount)
                + (fresh ? "" : "\n" + Self.upsertSuffix)
            createdAt = try await RawSQLite.query(query, binds, on: sqlite) {
                $0.column("created_at")?.integer.map(Int64.init) ?? 0
            }
        } else if let postgres = connection.postgres {
            var binds = PostgresBindings(capacity: 13)
            binds.append(rows.map(\.externalID))
            binds.append(PostgresOptionalArray(rows.map(\.name)))
            binds.append(PostgresOptionalArray(rows.map(\.email)))
            binds.append(PostgresOptionalArray(rows.map(\.emailIndex)))
            binds.append(PostgresOptionalArray(rows.map(\.phone)))
            binds.append(PostgresOptionalArray(rows.map(\.address)))
            binds.append(PostgresOptionalArray(rows.map(\.nationalID)))
            binds.append(rows.map(\.language))
            binds.append(rows.map(\.country))
            binds.append(rows.map(\.region))
            binds.append(rows.map(\.contentMAC))
            binds.append(keyID)
            binds.append(nowMs)
            let query = PostgresQuery(
                unsafeSQL: Self.postgresInsert + (fresh ? "" : "\n" + Self.upsertSuffix),
                binds: binds
            )
            for try await value in try await postgres.query(query, logger: PostgresBulk.logger).decode(Int64.self) {
                createdAt.append(value)
            }
        } else {
            let values: [SQLQueryString] = rows.map { row in
                """
                (\(bind: row.externalID), \(bind: row.name), \(bind: row.email), \(bind: row.emailIndex), \(bind: row.phone),
                 \(bind: row.address), \(bind: row.nationalID), \(bind: row.language), \(bind: row.country), \(bind: row.region),
                 \(bind: row.contentMAC), \(bind: keyID), \(bind: nowMs), \(bind: nowMs))
                """
            }
            let query =
                "\(unsafeRaw: Self.insertPrefix) " + values.joined(separator: ", ")
                + "\(unsafeRaw: fresh ? "" : "\n" + Self.upsertSuffix)"
            createdAt = try await connection.sql.raw(query).all().map {
                try $0.decode(column: "created_at", as: Int64.self)
            }
        }
        if fresh { return UpsertCounts(inserted: rows.count) }
        // An updated row keeps its old created_at; only rows inserted now carry this import's timestamp.
        let inserted = createdAt.filter { $0 == nowMs }.count
        return UpsertCounts(
            inserted: inserted,
            updated: createdAt.count - inserted,
            unchanged: rows.count - createdAt.count
        )
    }
}

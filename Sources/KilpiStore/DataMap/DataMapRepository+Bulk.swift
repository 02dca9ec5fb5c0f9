import Foundation
import KilpiCore
import PostgresNIO
import SQLKit
import SQLiteNIO

/// Writing holdings in batches, for imports (see `BulkConnection`).
extension DataMapRepository {
    static let holdingsInsertPrefix =
        "INSERT INTO holdings (customer_id, system_id, category_id, held_from, held_until) VALUES "
    /// PostgreSQL: a batch as one array per column (see `CustomerRepository.postgresInsert`).
    static let holdingsPostgresInsert = """
        INSERT INTO holdings (customer_id, system_id, category_id, held_from, held_until)
        SELECT * FROM unnest($1::BIGINT[], $2::BIGINT[], $3::TEXT[], $4::BIGINT[], $5::BIGINT[])
        """
    static let holdingsUpsertSuffix = """
        ON CONFLICT (customer_id, system_id, category_id, held_from) DO UPDATE SET held_until = excluded.held_until
        WHERE holdings.held_until IS DISTINCT FROM excluded.held_until
        RETURNING customer_id
        """

    /// Inserts holdings; an identical (customer, system, category, from) row gets its `until` updated.
    /// `fresh`: the table had no holdings when the transaction began and the caller rejected duplicates, so a
    /// plain INSERT will do (see `CustomerRepository.write`).
    func writeHoldings(_ batch: [HoldingInput], fresh: Bool, in connection: BulkConnection) async throws -> UpsertCounts
    {
        guard !batch.isEmpty else { return UpsertCounts() }
        let suffix = fresh ? "" : "\n" + Self.holdingsUpsertSuffix
        let touched: Int
        if let sqlite = connection.sqlite {
            var binds: [SQLiteData] = []
            binds.reserveCapacity(batch.count * 5)
            for row in batch {
                binds += [
                    .integer(Int(row.customerID)), .integer(Int(row.systemID)), .text(row.categoryID),
                    .integer(Int(row.heldFrom.epochMilliseconds)),
                    row.heldUntil.map { .integer(Int($0.epochMilliseconds)) } ?? .null,
                ]
            }
            let query =
                RawSQLite.orFail(Self.holdingsInsertPrefix) + RawSQLite.placeholders(rows: batch.count, columns: 5)
                + suffix
            touched = try await RawSQLite.query(query, binds, on: sqlite) { _ in () }.count
        } else if let postgres = connection.postgres {
            var binds = PostgresBindings(capacity: 5)
            binds.append(batch.map(\.customerID))
            binds.append(batch.map(\.systemID))
            binds.append(batch.map(\.categoryID))
            binds.append(batch.map(\.heldFrom.epochMilliseconds))
            binds.append(PostgresOptionalArray(batch.map { $0.heldUntil?.epochMilliseconds }))
            touched = try await PostgresBulk.run(Self.holdingsPostgresInsert + suffix, binds, on: postgres)
        } else {
            let rows: [SQLQueryString] = batch.map {
                "(\(bind: $0.customerID), \(bind: $0.systemID), \(bind: $0.categoryID), \(bind: $0.heldFrom.epochMilliseconds), \(bind: $0.heldUntil?.epochMilliseconds))"
            }
            touched = try await connection.sql.raw(
                "\(unsafeRaw: Self.holdingsInsertPrefix)" + rows.joined(separator: ", ") + "\(unsafeRaw: suffix)"
            ).all().count
        }
        if fresh { return UpsertCounts(inserted: batch.count) }
        return UpsertCounts(inserted: touched, updated: 0, unchanged: batch.count - touched)
    }

    /// Customer ids by external id, for the ids of one batch of holdings; unknown ids are missing.
    func customerIDs(externalIDs: [String], in connection: BulkConnection) async throws -> [String: Int64] {
        var result: [String: Int64] = [:]
        guard !externalIDs.isEmpty else { return result }
        if let sqlite = connection.sqlite {
            let query =
                "SELECT id, external_id FROM customers WHERE external_id IN ("
                + Array(repeating: "?", count: externalIDs.count).joined(separator: ",") + ")"
            let rows = try await RawSQLite.query(query, externalIDs.map { .text($0) }, on: sqlite) { row in
                (row.column("external_id")?.string, row.column("id")?.integer)
            }
            for case (let externalID?, let id?) in rows { result[externalID] = Int64(id) }
        } else if let postgres = connection.postgres {
            var binds = PostgresBindings(capacity: 1)
            binds.append(externalIDs)
            let rows = try await postgres.query(
                PostgresQuery(
                    unsafeSQL: "SELECT id, external_id FROM customers WHERE external_id = ANY($1::TEXT[])",
                    binds: binds
                ),
                logger: PostgresBulk.logger
            )
            for try await (id, externalID) in rows.decode((Int64, String).self) { result[externalID] = id }
        } else {
            for row in try await connection.sql.raw(
                "SELECT id, external_id FROM customers WHERE external_id IN (\(binds: externalIDs))"
            ).all() {
                result[try row.decode(column: "external_id", as: String.self)] = try row.decode(
                    column: "id",
                    as: Int64.self
                )
            }
        }
        return result
    }

    /// True when `table` has no rows (inside the caller's transaction).
    static func isEmpty(_ table: String, in sql: any SQLDatabase) async throws -> Bool {
        try await sql.raw("SELECT 1 AS one FROM \(ident: table) LIMIT 1").first() == nil
    }
}

import Foundation
import KilpiCore
import Logging
import PostgresNIO

/// How PostgreSQL computes a scope's exposure (see `ScopeRepository.computeExposure`).
extension ScopeRepository {
    /// PostgreSQL: the matching holdings come back as a few packed lists of customer ids, one per category (and
    /// million-id range, to stay far below a value's 1 GB limit), and are grouped here: PostgreSQL's own hash
    /// aggregate of half a million customers cost four times its scan, and a row per holding cost twice as much
    /// again to decode. Then where the exposed customers live (see `postgresPlaces`).
    static func postgresExposure(
        _ connection: PostgresConnection,
        _ filter: HoldingFilter,
        categoryIDs: [String],
        placeLookupLimit: Int,
        tally: ExposureTally
    ) async throws -> (ExposureSnapshot, ExposureSummary) {
        var conditions = filter.conditions
        var binds = PostgresBindings()
        binds.append(filter.windowEnd)
        binds.append(filter.heldUntilAfter)
        if !categoryIDs.isEmpty {
            conditions += " AND h.category_id = ANY($3)"
            binds.append(categoryIDs)
        }
        var builder = ExposureSnapshot.Builder(expectedPairs: 1 << 16)
        let rows = try await connection.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT h.category_id, string_agg(int8send(h.customer_id), ''::BYTEA) FROM holdings h WHERE \(conditions)
                    GROUP BY h.category_id, h.customer_id >> 20
                    """,
                binds: binds
            ),
            logger: quietLogger
        )
        for try await (category, ids) in rows.decode((String, ByteBuffer).self) {
            let slot = try builder.slot(for: category)
            try forEachID(in: ids) { try builder.add(customer: $0, slot: slot) }
        }
        let snapshot = builder.build()
        var tally = tally
        try await postgresPlaces(connection, of: snapshot, lookupLimit: placeLookupLimit, into: &tally)
        return (snapshot, tally.summary(of: snapshot))
    }

    /// Counts where the snapshot's customers live. Up to `lookupLimit` customers are looked up one by one in the
    /// narrow `customers_place` index; for more, every customer's place comes back packed by place (a read of the
    /// whole index, half a second per million customers, instead of two seconds of single lookups) and only the
    /// snapshot's customers are counted.
    static func postgresPlaces(
        _ connection: PostgresConnection,
        of snapshot: ExposureSnapshot,
        lookupLimit: Int,
        into tally: inout ExposureTally
    ) async throws {
        guard !snapshot.isEmpty else { return }
        if snapshot.count <= lookupLimit {
            var binds = PostgresBindings()
            binds.append(snapshot.customers)
            let places = try await connection.query(
                PostgresQuery(
                    unsafeSQL: """
                        SELECT c.country, c.region, COUNT(*) FROM customers c WHERE c.id IN (SELECT unnest($1::BIGINT[])) GROUP BY c.country, c.region
                        """,
                    binds: binds
                ),
                logger: quietLogger
            )
            for try await (country, region, count) in places.decode((String, String, Int64).self) {
                tally.addPlace(country: country, region: region, customers: Int(count))
            }
            return
        }
        let places = try await connection.query(
            """
            SELECT country, region, string_agg(int8send(id), ''::BYTEA) FROM customers GROUP BY country, region, id >> 20
            """,
            logger: quietLogger
        )
        for try await (country, region, ids) in places.decode((String, String, ByteBuffer).self) {
            var count = 0
            try forEachID(in: ids) { id in
                if snapshot.position(of: id) != nil { count += 1 }
            }
            if count > 0 { tally.addPlace(country: country, region: region, customers: count) }
        }
    }

    /// The 8-byte big-endian integers of a packed list (`string_agg(int8send(…))`).
    private static func forEachID(in buffer: ByteBuffer, _ body: (Int64) throws -> Void) throws {
        var buffer = buffer
        guard buffer.readableBytes % 8 == 0 else { throw PackedIDsError() }
        while let id = buffer.readInteger(as: Int64.self) { try body(id) }
    }

    struct PackedIDsError: Error, CustomStringConvertible {
        var description: String { "PostgreSQL returned a packed id list that is not a whole number of ids" }
    }

    private static let quietLogger = Logger(label: "kilpi.scope")
}

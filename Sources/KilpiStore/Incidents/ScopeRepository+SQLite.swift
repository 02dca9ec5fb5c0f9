import Foundation
import KilpiCore
import SQLiteNIO

/// How SQLite computes a scope's exposure (see `ScopeRepository.computeExposure`).
extension ScopeRepository {
    /// SQLite: the matching holdings read straight through the C API (a million rows through SQLiteNIO cost as much
    /// again as SQLite's own work), the known-exposed categories kept in Swift.
    static func sqliteSnapshot(
        _ raw: SQLiteConnection,
        _ filter: HoldingFilter,
        categoryIDs: [String]
    ) async throws -> ExposureSnapshot {
        struct Collecting: Sendable {
            var builder = ExposureSnapshot.Builder(expectedPairs: 1 << 16)
            var failure: ExposureSnapshot.Builder.TooLarge?
        }
        let wanted = Set(categoryIDs)
        let collected = try await RawSQLite.scan(
            "SELECT h.customer_id, h.category_id FROM holdings h WHERE \(filter.sqliteConditions)",
            binds: [filter.windowEnd, filter.heldUntilAfter],
            on: raw,
            into: Collecting()
        ) { state, row in
            let category = row.text(1)
            guard wanted.isEmpty || wanted.contains(category) else { return true }
            do {
                try state.builder.add(customer: row.int64(0), category: category)
                return true
            } catch {
                state.failure = error as? ExposureSnapshot.Builder.TooLarge
                return false
            }
        }
        if let failure = collected.failure { throw failure }
        return collected.builder.build()
    }

    /// SQLite: where each exposed customer lives, from the narrow `customers_place` index read once in id order
    /// alongside the snapshot's sorted customers (not the wide sealed rows, not a lookup per customer).
    static func sqlitePlaces(
        _ raw: SQLiteConnection,
        of snapshot: ExposureSnapshot,
        into tally: ExposureTally
    ) async throws -> ExposureTally {
        struct Placing: Sendable {
            var next = 0
            var tally: ExposureTally
        }
        guard let first = snapshot.customers.first, let last = snapshot.customers.last else { return tally }
        let customers = snapshot.customers
        return try await RawSQLite.scan(
            """
            SELECT id, country, region FROM customers INDEXED BY customers_place WHERE id BETWEEN ? AND ? ORDER BY id
            """,
            binds: [first, last],
            on: raw,
            into: Placing(tally: tally)
        ) { state, row in
            let id = row.int64(0)
            while state.next < customers.count && customers[state.next] < id { state.next += 1 }
            if state.next < customers.count && customers[state.next] == id {
                state.tally.addPlace(country: row.text(1), region: row.text(2))
                state.next += 1
            }
            return state.next < customers.count
        }.tally
    }
}

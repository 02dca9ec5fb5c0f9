import Foundation
import KilpiCore
import SQLKit

extension CustomerRepository {
    /// Customers by id, opened, keyed by id (ids that do not exist are absent).
    public func find(ids: [Int64]) async throws -> [Int64: Customer] {
        guard !ids.isEmpty else { return [:] }
        var found: [Int64: Customer] = [:]
        for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
            let list = chunk.map(String.init).joined(separator: ",")
            let rows = try await database.withConnection { sql in
                try await sql.raw("SELECT \(unsafeRaw: Self.columns) FROM customers WHERE id IN (\(unsafeRaw: list))")
                    .all()
            }
            for customer in try await opening({ keys in try rows.map { try decode($0, keys: keys) } }) {
                found[customer.id] = customer
            }
        }
        return found
    }

    /// Resolves external ids to internal ones; the unknown ones are returned apart, in input order.
    public func resolve(
        externalIDs: [String],
        in sql: any SQLDatabase
    ) async throws -> (ids: [Int64], unknown: [String]) {
        var byExternal: [String: Int64] = [:]
        let unique = Array(Set(externalIDs))
        for start in stride(from: 0, to: unique.count, by: 500) {
            let chunk = Array(unique[start..<min(start + 500, unique.count)])
            for row in try await sql.raw("SELECT id, external_id FROM customers WHERE external_id IN (\(binds: chunk))")
                .all()
            {
                byExternal[try row.decode(column: "external_id", as: String.self)] = try row.decode(
                    column: "id",
                    as: Int64.self
                )
            }
        }
        var seen = Set<String>()
        let unknown = externalIDs.filter { byExternal[$0] == nil && seen.insert($0).inserted }
        return (Array(Set(byExternal.values)).sorted(), unknown)
    }
}

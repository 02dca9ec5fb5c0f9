import Foundation
import KilpiCore
import SQLKit

extension ScopeRepository {
    /// Removes `externalID` from the sample of added customers in every stored scope diff, inside the caller's
    /// transaction: erasure replaces the customer's external id, and a stored sample must not keep the old one.
    /// The diff's counts stay (they count people, not identify them). Returns how many diffs changed.
    ///
    /// Every stored diff is read: there are a few per incident, and matching the id inside JSON text in SQL
    /// would miss ids that JSON escapes.
    static func scrubDiffSamples(removing externalID: String, in sql: any SQLDatabase) async throws -> Int {
        let rows = try await sql.raw("SELECT id, diff FROM scope_versions WHERE diff IS NOT NULL").all()
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var changed = 0
        for row in rows {
            let text = try row.decode(column: "diff", as: String.self)
            guard var diff = try? JSONDecoder().decode(ExposureDiff.self, from: Data(text.utf8)),
                diff.addedSample.contains(externalID)
            else { continue }
            diff.addedSample.removeAll { $0 == externalID }
            try await sql.raw(
                """
                UPDATE scope_versions SET diff = \(bind: String(decoding: try encoder.encode(diff), as: UTF8.self))
                WHERE id = \(bind: try row.decode(column: "id", as: Int64.self))
                """
            ).run()
            changed += 1
        }
        return changed
    }
}

import Foundation
import KilpiCore

/// Changing the customer data map: imports and category edits, each with its audit entry in the same transaction.
public struct DataMapService: Sendable {
    let store: Store
    let now: Now

    public init(store: Store, now: @escaping Now = { Date() }) {
        self.store = store
        self.now = now
    }

    private func importer() -> DataMapImporter {
        DataMapImporter(database: store.database, vault: store.vault, now: now)
    }

    private func audited(_ kind: DataMapImporter.Kind, source: String, _ caller: Caller) -> Audited<ImportReport> {
        Audited(store.audit, now: now()) { report in
            caller.event(
                .dataImport(kind.rawValue),
                target: source,
                detail:
                    "\(report.rows) rows: \(report.counts.inserted) new, \(report.counts.updated) changed, \(report.counts.unchanged) unchanged"
            )
        }
    }

    /// Imports a CSV file; `progress` is told as the file is read. `source` names it in the audit log (the file's
    /// own name when nil; a console upload passes the name it was sent under, not its temporary file's).
    public func importFile(
        _ kind: DataMapImporter.Kind,
        path: String,
        source: String? = nil,
        by caller: Caller,
        progress: (@Sendable (ImportProgress) -> Void)? = nil
    ) async throws -> ImportReport {
        try await importer().importFile(
            kind,
            path: path,
            audit: audited(kind, source: source ?? URL(fileURLWithPath: path).lastPathComponent, caller),
            progress: progress
        )
    }

    /// Imports CSV text already in memory; `source` names it in the audit log (a file name, never its content).
    public func importData(
        _ kind: DataMapImporter.Kind,
        data: Data,
        source: String,
        by caller: Caller
    ) async throws -> ImportReport {
        try await importer().importData(kind, data: data, audit: audited(kind, source: source, caller))
    }

    /// Saves a category's names, sensitivity and advice; false when there is no such category.
    public func updateCategory(_ category: DataCategory, by caller: Caller) async throws -> Bool {
        let now = now()
        return try await store.dataMap.updateCategory(
            category,
            now: now,
            audit: Audited(store.audit, now: now) { category in
                caller.event(.categoryUpdate, target: "category:\(category.id)")
            }
        )
    }
}

import Foundation
import KilpiCore
import SQLKit

/// The audit entry a change owes, handed to the repository that makes the change so that it is written in the
/// change's own transaction: the change, its timeline entry and its audit entry commit together or not at all.
/// `event` sees the change's result, so the entry can name what was made (`task:12 done`, `v3: 412 customers`).
public struct Audited<Result>: Sendable {
    let log: any AuditLog
    let now: Date
    let event: @Sendable (Result) -> AuditEvent

    public init(_ log: any AuditLog, now: Date, _ event: @escaping @Sendable (Result) -> AuditEvent) {
        self.log = log
        self.now = now
        self.event = event
    }

    func write(_ result: Result, in sql: any SQLDatabase) async throws {
        try await log.append(event(result), now: now, in: sql)
    }
}

extension Optional {
    /// Writes the entry when there is one; repositories call it last inside their transaction.
    func write<Result>(_ result: Result, in sql: any SQLDatabase) async throws where Wrapped == Audited<Result> {
        if let audited = self { try await audited.write(result, in: sql) }
    }
}

import Foundation
import KilpiCore
import SQLKit

extension Inquiry {
    /// The moments this inquiry's response-time targets depend on (`InquirySLA`), its waiting intervals taken from
    /// `history` (this inquiry's status moves, oldest first).
    public func times(history: [InquiryStatusChange]) -> InquiryTimes {
        var pauses: [SLAPause] = []
        var start: Date?
        for change in history {
            if change.to == .waitingForCustomer, start == nil { start = change.at }
            if change.from == .waitingForCustomer, let begun = start {
                pauses.append(SLAPause(start: begun, end: change.at))
                start = nil
            }
        }
        if let start { pauses.append(SLAPause(start: start, end: nil)) }
        return InquiryTimes(
            createdAt: createdAt,
            firstResponseAt: firstResponseAt,
            resolvedAt: resolvedAt,
            pauses: pauses
        )
    }
}

extension InquiryRepository {
    /// The SLA moments of many inquiries (an inbox page) in one read of their histories.
    public func times(of inquiries: [Inquiry]) async throws -> [Int64: InquiryTimes] {
        guard !inquiries.isEmpty else { return [:] }
        let ids = inquiries.map(\.id)
        let rows = try await database.read { sql in
            try await sql.raw(
                """
                SELECT inquiry_id, from_status, to_status, actor, at FROM support_status_changes
                WHERE inquiry_id IN (\(binds: ids)) ORDER BY inquiry_id, id
                """
            ).all()
        }
        var history: [Int64: [InquiryStatusChange]] = [:]
        for row in rows {
            history[try row.decode(column: "inquiry_id", as: Int64.self), default: []].append(
                InquiryStatusChange(
                    from: try row.decode(column: "from_status", as: String?.self).flatMap(
                        InquiryStatus.init(rawValue:)
                    ),
                    to: InquiryStatus(rawValue: try row.decode(column: "to_status", as: String.self)) ?? .open,
                    actor: try row.decode(column: "actor", as: String.self),
                    at: Date(epochMilliseconds: try row.decode(column: "at", as: Int64.self))
                )
            )
        }
        return Dictionary(uniqueKeysWithValues: inquiries.map { ($0.id, $0.times(history: history[$0.id] ?? [])) })
    }
}

import Foundation
import KilpiCore
import SQLKit

extension Inquiry {
    /// The moments this inquiry's response-time targets depend on (`InquirySLA`), from `history` (this inquiry's
    /// status moves) by the SLA clock's own rule (`InquiryTimes(createdAt:firstResponseAt:moves:)`).
    public func times(history: [InquiryStatusChange]) -> InquiryTimes {
        InquiryTimes(
            createdAt: createdAt,
            firstResponseAt: firstResponseAt,
            moves: history.filter { $0.from != nil }.map { (to: $0.to, at: $0.at) }
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

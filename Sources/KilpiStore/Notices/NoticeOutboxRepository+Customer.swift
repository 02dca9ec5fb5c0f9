import Foundation
import KilpiCore
import SQLKit

extension NoticeOutboxRepository {
    /// The row of `customerID` in `campaignID`, if the customer is one of its recipients (for a preview).
    public func row(campaignID: Int64, customerID: Int64) async throws -> OutboxRow? {
        try await database.read { sql in
            try await sql.raw(
                """
                SELECT \(unsafeRaw: Self.rowColumns) FROM notice_outbox
                WHERE campaign_id = \(bind: campaignID) AND customer_id = \(bind: customerID)
                """
            ).first().map(Self.decodeRow)
        }
    }
}

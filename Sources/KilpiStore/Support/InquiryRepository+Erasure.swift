import Foundation
import KilpiCore
import SQLKit

extension InquiryRepository {
    /// Removes what a customer wrote and was written, and the reply address, from every inquiry of `customerID`
    /// (GDPR Art. 17); the inquiries stay with their states and times, so response-time figures remain true.
    /// Runs inside the erasure's transaction; returns how many messages went.
    @discardableResult
    public static func erase(customerID: Int64, in sql: any SQLDatabase) async throws -> Int {
        let removed = try await sql.raw(
            """
            DELETE FROM support_messages
            WHERE inquiry_id IN (SELECT id FROM support_inquiries WHERE customer_id = \(bind: customerID)) RETURNING id
            """
        ).all().count
        try await sql.raw(
            "UPDATE support_inquiries SET contact_email_sealed = NULL WHERE customer_id = \(bind: customerID)"
        ).run()
        try await SupportMailRepository.erase(customerID: customerID, in: sql)
        return removed
    }
}

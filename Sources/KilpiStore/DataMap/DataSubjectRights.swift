import Foundation
import KilpiCore
import SQLKit

/// GDPR Art. 15 (access: export everything held about a customer) and Art. 17 (erasure), both audited.
public struct DataSubjectRights: Sendable {
    let store: Store

    public init(store: Store) { self.store = store }

    public struct Export: Codable, Sendable {
        public struct Holding: Codable, Sendable {
            public let system: String
            public let category: String
            public let categoryName: String
            public let heldFrom: String
            public let heldUntil: String?
        }
        public let generatedAt: Date
        public let controller: String
        public let externalID: String
        public let name: String?
        public let email: String?
        public let phone: String?
        public let address: String?
        public let nationalID: String?
        public let language: String
        public let country: String
        public let region: String
        public let createdAt: Date
        public let holdings: [Holding]
    }

    /// Everything Kilpi holds about the customer, as pretty JSON; nil when there is no such (unerased) customer.
    public func export(
        customerID: Int64,
        controller: String,
        actor: String,
        ip: String,
        now: Date
    ) async throws -> Data? {
        guard let customer = try await store.customers.find(id: customerID), customer.erasedAt == nil else {
            return nil
        }
        let extras = try await store.customers.sensitiveExtras(id: customerID)
        let names = Dictionary(uniqueKeysWithValues: try await store.dataMap.categories().map { ($0.id, $0.nameEN) })
        let holdings = try await store.dataMap.holdings(customerID: customerID).map {
            Export.Holding(
                system: $0.systemName,
                category: $0.categoryID,
                categoryName: names[$0.categoryID] ?? $0.categoryID,
                heldFrom: UTCDay.format($0.heldFrom),
                heldUntil: $0.heldUntil.map(UTCDay.format)
            )
        }
        let export = Export(
            generatedAt: now,
            controller: controller,
            externalID: customer.externalID,
            name: customer.name,
            email: customer.email,
            phone: customer.phone,
            address: extras.address,
            nationalID: extras.nationalID,
            language: customer.language,
            country: customer.country,
            region: customer.region,
            createdAt: customer.createdAt,
            holdings: holdings
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(export)
        try await store.audit.append(
            AuditEvent(
                actor: actor,
                action: .customerExport,
                target: "customer:\(customerID)",
                ip: ip,
                detail: "GDPR Art. 15 export"
            ),
            now: now
        )
        return data
    }

    /// Erases the customer's personal data; holdings stay, anonymous. False when already erased or unknown.
    /// The external id also leaves every stored scope diff's sample, in the same transaction.
    public func erase(customerID: Int64, actor: String, ip: String, now: Date) async throws -> Bool {
        try await store.database.transaction { sql in
            let externalID = try await sql.raw(
                "SELECT external_id FROM customers WHERE id = \(bind: customerID) AND erased_at IS NULL"
            ).first().map { try $0.decode(column: "external_id", as: String.self) }
            guard let externalID, try await store.customers.erase(id: customerID, now: now, in: sql) else {
                return false
            }
            try await ScopeRepository.scrubDiffSamples(removing: externalID, in: sql)
            try await InquiryRepository.erase(customerID: customerID, in: sql)
            try await store.audit.append(
                AuditEvent(
                    actor: actor,
                    action: .customerErase,
                    target: "customer:\(customerID)",
                    ip: ip,
                    detail: "GDPR Art. 17 erasure"
                ),
                now: now,
                in: sql
            )
            return true
        }
    }
}

import Foundation
import KilpiCore

/// The demo's certificates register: ISO/IEC 27001 valid for two more years, and a PCI DSS attestation whose last
/// valid day is three weeks away, so the dashboard's reminder and the public page's states have something to
/// show. The issuers are fictional. Seeds once (skipped when the register ever held anything).
public enum DemoCertificates {
    /// Returns how many certificates were added.
    @discardableResult
    public static func seed(store: Store, now: Date) async throws -> Int {
        guard try await store.certificates.isEmpty() else { return 0 }
        let today = Certificate.day(of: now)
        func day(_ offset: Int) -> Date { today.addingTimeInterval(Double(offset) * 86_400) }
        let entries = [
            CertificateInput(
                standard: "ISO/IEC 27001:2022",
                issuer: "Esimerkki Sertifiointi Oy (fictional)",
                scope: "Information security management of the web shop, its customer data and payment handling",
                validFrom: day(-400),
                validUntil: day(695),
                published: true
            ),
            CertificateInput(
                standard: "PCI DSS v4.0.1 (Attestation of Compliance)",
                issuer: "Example QSA Ltd (fictional)",
                scope: "Card payment processing of the web shop",
                validFrom: day(-344),
                validUntil: day(21),
                published: true
            ),
        ]
        let caller = Caller(.system, ip: "local")
        for entry in entries { _ = try await store.certificates.create(entry, by: caller, now: now) }
        return entries.count
    }
}

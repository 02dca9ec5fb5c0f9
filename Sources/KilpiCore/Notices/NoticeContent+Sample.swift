import Foundation

extension NoticeContent {
    /// Made-up content in `language` for checking and previewing a template without a customer: with `full`, every
    /// optional value is present (a name, every key time, a contact page), the customer is in California and every
    /// shipped category is exposed; without, nothing optional is there, the customer is elsewhere and no category is
    /// listed, so both sides of every section render between the two.
    public static func sample(_ language: Language, full: Bool) -> NoticeContent {
        let day = Date(timeIntervalSince1970: 1_796_000_000)  // 2026-11-30 00:53 UTC
        let names: [Language: String] = [.en: "Alex Example", .fi: "Maija Esimerkki", .sv: "Anna Exempel"]
        let customer = Customer(
            id: 0,
            externalID: "sample",
            name: full ? names[language] : nil,
            email: "customer@example.com",
            phone: nil,
            language: language.rawValue,
            country: full ? "US" : "FI",
            region: full ? "CA" : "",
            createdAt: day
        )
        let incident = Incident(
            id: 0,
            title: language.l("Unauthorised access to the web shop", "Luvaton pääsy verkkokauppaan"),
            summary: language.l(
                "Someone used a stolen staff password to copy customer records from the web shop's database.",
                "Joku käytti varastettua työntekijän salasanaa ja kopioi asiakastietoja verkkokaupan tietokannasta."
            ),
            kinds: full ? [.dataBreach, .phishing] : [],
            severity: .sev2,
            status: .contained,
            times: full
                ? KeyTimes(
                    occurredAt: day.addingTimeInterval(-3 * 86_400),
                    detectedAt: day.addingTimeInterval(-2 * 86_400),
                    awareAt: day.addingTimeInterval(-2 * 86_400 + 3_600),
                    containedAt: day.addingTimeInterval(-86_400)
                ) : KeyTimes(),
            roles: [.commander: 0],
            declaredAt: day,
            declaredBy: "sample"
        )
        return build(
            company: NoticeCompany(
                name: "Example Oy",
                contactEmail: "privacy@example.com",
                contactURL: full ? "https://example.com/incident" : nil,
                trustCenterURL: "https://example.com/trust/check",
                supportURL: "https://example.com/support"
            ),
            customer: customer,
            language: language,
            incident: incident,
            categories: full ? DataCategory.catalogue : [],
            referenceCode: NoticeReferenceCode(typed: "K7M4Q2XD")!,
            supportToken: NoticeContent.sampleSupportToken,
            date: day
        )
    }
}

import Foundation
import KilpiCore
import Testing

@testable import KilpiMail

/// A prepared variant with a customer's values put in is byte for byte what the full Mustache render gives, in
/// every part and in its quoted-printable form, for many random customers with hostile, unicode and absent values.
@Suite struct PreparedNoticeTests {
    static let pool: [String] = [
        "Anna Virtanen", "<script>alert(1)</script>", "Robert'); DROP TABLE customers;--", "Åsa Öberg-Ängström",
        "\u{600}<a href=\"x\">", "e\u{301}mile \"quoted\" & co", "李小龍", "👩‍👩‍👧 family", "name\u{600}", "x\u{301}",
        "Tab\there", "line\r\nbreak", "  spaced   out  ", "=?utf-8?q?x?=", "F", "From me", ".", "\u{202E}evil",
        String(repeating: "long ", count: 40), "'", "&amp;", "\u{E000}0\u{E001}", "",
    ]

    static func content(_ random: inout SystemRandomNumberGenerator, language: Language) -> NoticeContent {
        let name: String? = Bool.random(using: &random) ? pool.randomElement(using: &random) : nil
        let california = Int.random(in: 0..<4, using: &random) == 0
        let categories = DataCategory.catalogue.map(\.id).filter { _ in Bool.random(using: &random) }
        let day = Date(timeIntervalSince1970: Double.random(in: 1_700_000_000...1_900_000_000, using: &random))
        return NoticeContent.build(
            company: NoticeCompany(
                name: "Aurora & Co",
                contactEmail: "privacy@aurora.example",
                contactURL: Bool.random(using: &random) ? "https://aurora.example/incident" : nil,
                trustCenterURL: "https://aurora.example/verify"
            ),
            customer: Customer(
                id: 1,
                externalID: "C",
                name: name,
                email: "c@example.com",
                phone: nil,
                language: language.rawValue,
                country: california ? "US" : "FI",
                region: california ? "CA" : "",
                createdAt: day
            ),
            language: language,
            incident: Incident(
                id: 1,
                title: "Breach <b>",
                summary: "Copied.\nAll of it.",
                kinds: [.dataBreach, .phishing],
                severity: .sev2,
                status: .contained,
                times: KeyTimes(occurredAt: day.addingTimeInterval(-9_000)),
                roles: [.commander: 1],
                declaredAt: day,
                declaredBy: "a"
            ),
            categoryIDs: categories,
            referenceCode: .generate(),
            supportToken: Bool.random(using: &random) ? SecureRandom.token(byteCount: 16) : nil,
            date: day
        )
    }

    static func values(_ prepared: PreparedNotice, _ content: NoticeContent) -> [String] {
        let value = content.mustacheValue
        return prepared.slots.map { value[$0] as! String }
    }

    static let custom = NoticeTemplateText(
        subject: "{{#customer_name}}{{customer_name}}: {{/customer_name}}{{reference_code}} {{notice_date}}",
        text: "Hi {{customer_name}} \n{{#support_url}}{{support_url}}\t\n{{/support_url}}\n\n\n{{reference_code}}\n",
        html:
            "<a title=\"{{customer_name}}\">{{support_url}}</a>{{#customer_name}}<b>{{customer_name}}</b>{{/customer_name}}\r\n"
    )

    @Test(arguments: Language.allCases)
    func putInValuesEqualTheFullRender(language: Language) throws {
        var random = SystemRandomNumberGenerator()
        for source in [NoticeTemplates.shipped(language), Self.custom] {
            let template = try NoticeTemplates.compile(source)
            var placed = 0
            for _ in 0..<300 {
                let content = Self.content(&random, language: language)
                let full = template.render(content)
                let prepared = try #require(PreparedNotice.prepare(template, value: content.mustacheValue))
                let values = Self.values(prepared, content)
                guard PreparedNotice.isPlaced(values) else { continue }
                placed += 1
                #expect(prepared.render(values) == full)
                let encoded = prepared.encoded(values)
                #expect(encoded.text == QuotedPrintable.encode(full.text))
                #expect(encoded.html == QuotedPrintable.encode(full.html))
            }
            #expect(placed > 200)
        }
    }

    /// A variant whose own text holds the stand-ins' characters is not prepared (it renders the full way).
    @Test func aVariantThatFailsTheProofIsNotPrepared() throws {
        let template = try NoticeTemplates.compile(
            NoticeTemplateText(
                subject: "{{reference_code}}",
                text: "{{incident_title}} {{reference_code}}\n",
                html: "{{incident_title}}"
            )
        )
        var value = NoticeContent.sample(.en, full: true).mustacheValue
        #expect(PreparedNotice.prepare(template, value: value) != nil)
        value["incident_title"] = "\u{E000}0\u{E001}"
        #expect(PreparedNotice.prepare(template, value: value) == nil)
    }
}

import Foundation
import Testing

@testable import KilpiCore

/// What a notice template may show one customer: built from the customer, the incident and their exposed
/// categories, in the notice's language, cleaned for one line or several.
@Suite struct NoticeContentTests {
    @Test func plainASCIIMarkupTakesTheFastPathAndMarkupBesideNonASCIIDoesNot() {
        // Quotes and ampersands in ordinary names need no cleaning; only markup next to a multi-byte character
        // (which swift-mustache could escape as part of one cluster) does.
        for clean in ["O'Brien", "Smith & Sons", "\"Ace\" <shop>"] {
            #expect(NoticeText.isClean(clean, allowingNewlines: false), "\(clean)")
        }
        for suspect in ["\u{600}<a>", "é\"", "\"\u{301}"] {
            #expect(!NoticeText.isClean(suspect, allowingNewlines: false), "\(suspect)")
        }
    }

    static let company = NoticeCompany(
        name: "Aurora Verkkokauppa Oy",
        contactEmail: "tietosuoja@aurora.example",
        contactURL: nil,
        trustCenterURL: "https://aurora.example/trust/check"
    )

    static func customer(name: String? = "Anna Virtanen", country: String = "FI", region: String = "") -> Customer {
        Customer(
            id: 7,
            externalID: "C-7",
            name: name,
            email: "anna@example.com",
            phone: nil,
            language: "fi",
            country: country,
            region: region,
            createdAt: Date(timeIntervalSince1970: 0)
        )
    }

    static func incident(kinds: [ThreatKind] = [.dataBreach], times: KeyTimes = KeyTimes()) -> Incident {
        Incident(
            id: 1,
            title: "Web shop breach",
            summary: "Line one\r\nLine two\rLine three",
            kinds: kinds,
            severity: .sev1,
            status: .contained,
            times: times,
            roles: [.commander: 1],
            declaredAt: Date(timeIntervalSince1970: 0),
            declaredBy: "alice"
        )
    }

    static func content(
        _ language: Language = .en,
        customer: Customer = customer(),
        incident: Incident = incident(),
        categories: [String] = ["email", "payment_card"]
    ) -> NoticeContent {
        NoticeContent.build(
            company: company,
            customer: customer,
            language: language,
            incident: incident,
            categoryIDs: categories,
            referenceCode: NoticeReferenceCode(typed: "K7M4-Q2XD")!,
            date: Date(timeIntervalSince1970: 1_796_000_000)
        )
    }

    // MARK: - Variables

    /// Every variable of the documented list is in the value the templates see (with everything optional present),
    /// and nothing else is: the list, the checker and the content cannot drift apart.
    @Test(arguments: Language.allCases)
    func theValueHasExactlyTheDocumentedVariables(language: Language) throws {
        let value = NoticeContent.sample(language, full: true).mustacheValue
        #expect(Set(value.keys) == Set(NoticeVariable.all.map(\.name)))
        for variable in NoticeVariable.all where variable.kind == .list {
            let items = try #require(value[variable.name] as? [[String: Any]], "\(variable.name)")
            #expect(!items.isEmpty, "\(variable.name)")
            for item in items {
                let required = Set(variable.fields.filter { $0.kind != .optionalText }.map(\.name))
                #expect(required.isSubset(of: Set(item.keys)), "\(variable.name): \(item.keys.sorted())")
                #expect(Set(item.keys).isSubset(of: Set(variable.fields.map(\.name))), "\(variable.name)")
            }
        }
        for variable in NoticeVariable.all where variable.kind == .text || variable.kind == .optionalText {
            let text = try #require(value[variable.name] as? String, "\(variable.name)")
            #expect(!text.isEmpty, "\(variable.name)")
        }
        #expect(value["california"] as? Bool == true)
    }

    @Test func optionalValuesAreLeftOutWhenAbsent() {
        let value = NoticeContent.sample(.fi, full: false).mustacheValue
        for name in ["customer_name", "contact_url", "occurred_at", "aware_at", "contained_at"] {
            #expect(value[name] == nil, "\(name)")
        }
        #expect(value["california"] as? Bool == false)
    }

    @Test func namesAdviceAndDatesAreInTheNoticesLanguage() throws {
        let times = KeyTimes(
            occurredAt: Date(timeIntervalSince1970: 1_796_000_000),  // 2026-11-30 00:53:20 UTC
            awareAt: Date(timeIntervalSince1970: 1_796_000_000 + 86_400)
        )
        let fi = Self.content(.fi, incident: Self.incident(times: times)).mustacheValue
        let sv = Self.content(.sv, incident: Self.incident(times: times)).mustacheValue
        let en = Self.content(.en, incident: Self.incident(times: times)).mustacheValue
        #expect(fi["occurred_at"] as? String == "30.11.2026 klo 00.53 UTC")
        #expect(sv["occurred_at"] as? String == "30 november 2026 kl. 00.53 UTC")
        #expect(en["occurred_at"] as? String == "30 November 2026 at 00:53 UTC")
        #expect(en["aware_at"] as? String == "1 December 2026 at 00:53 UTC")
        #expect(en["notice_date"] as? String == "30 November 2026")
        let fiCategories = try #require(fi["categories"] as? [[String: Any]])
        // The card is more harmful than the email address, so it comes first.
        #expect(
            fiCategories.map { $0["name"] as? String } == [
                "Maksukortin tiedot (koko kortinnumero)", "Sähköpostiosoite",
            ]
        )
        #expect((fiCategories[0]["advice"] as? String)?.hasPrefix("Tarkista korttitapahtumasi") == true)
        #expect(fiCategories[0]["sensitive"] as? Bool == true)
        #expect(fiCategories[1]["sensitive"] as? Bool == false)
        let svCategories = try #require(sv["categories"] as? [[String: Any]])
        #expect(svCategories[1]["name"] as? String == "E-postadress")
        #expect(svCategories[1]["advice_lang"] as? String == "sv")
        #expect(sv["category_names"] as? String == "Betalkortsuppgifter (hela kortnumret) och E-postadress")
        #expect(fi["incident_kinds_text"] as? String == "Tietomurto")
        #expect((fi["actions"] as? [[String: Any]])?.first?["text"] as? String == NoticeActions.card.fi)
        #expect((sv["actions"] as? [[String: Any]])?.first?["text"] as? String == NoticeActions.card.text(.sv))
        #expect(NoticeActions.card.text(.sv) != NoticeActions.card.en)
    }

    @Test func datesAreRightAcrossCalendarEdges() {
        let cases: [(TimeInterval, String)] = [
            (0, "1 January 1970 at 00:00 UTC"),
            (951_782_400, "29 February 2000 at 00:00 UTC"),
            (1_709_164_799, "28 February 2024 at 23:59 UTC"),
            (1_798_761_599, "31 December 2026 at 23:59 UTC"),
            (-1, "31 December 1969 at 23:59 UTC"),
        ]
        for (seconds, expected) in cases {
            #expect(NoticeDate.time(Date(timeIntervalSince1970: seconds), .en) == expected)
        }
        #expect(NoticeDate.day(Date(timeIntervalSince1970: 951_782_400), .fi) == "29.2.2000")
        #expect(NoticeDate.day(Date(timeIntervalSince1970: 951_782_400), .sv) == "29 februari 2000")
    }

    @Test func aCategoryTheInstallationAddedIsShownByItsID() throws {
        let value = Self.content(categories: ["loyalty_points"]).mustacheValue
        let categories = try #require(value["categories"] as? [[String: Any]])
        #expect(categories.count == 1)
        #expect(categories[0]["name"] as? String == "loyalty_points")
        #expect(categories[0]["advice"] == nil)
    }

    @Test func duplicateCategoriesAreShownOnce() throws {
        let value = Self.content(categories: ["email", "email", "name"]).mustacheValue
        #expect((value["categories"] as? [[String: Any]])?.count == 2)
    }

    // MARK: - Cleaning

    @Test func oneLineValuesLoseLineBreaksAndControls() {
        let customer = Self.customer(name: "Eve\r\nBcc: victim@example.net\u{0}\u{202E}")
        let value = Self.content(customer: customer).mustacheValue
        #expect(value["customer_name"] as? String == "Eve Bcc: victim@example.net")
        #expect(NoticeText.line("  a\t\tb \u{2028} c  ") == "a b c")
        #expect(NoticeText.line("\r\n") == "")
    }

    @Test func severalLineValuesKeepOnlyNewlines() {
        let value = Self.content().mustacheValue
        #expect(value["incident_summary"] as? String == "Line one\nLine two\nLine three")
        #expect(NoticeText.paragraphs("a\u{0}b\u{1B}[31m\n\n c\u{202E}") == "ab[31m\n\n c")
    }

    /// Clean text takes a fast path; it must give what the slow path gives, and dirty text must not take it.
    @Test func theFastPathAgreesWithTheSlowOne() {
        let samples =
            DataCategory.catalogue.flatMap { [$0.adviceEN, $0.adviceFI, $0.nameEN] }
            + DataCategory.swedishAdvice.values + [
                "Anna Virtanen", "a  b", " a", "a ", "a\nb", "a\tb", "ä\u{85}b", "a\u{A0}b", "x\u{2028}y", "x\u{202E}y",
                "x\u{61C}y", "Ünïcödé – ok", "a\n\nb", "a \n b", "\u{7F}", "",
            ]
        for sample in samples {
            if NoticeText.isClean(sample, allowingNewlines: false) {
                #expect(NoticeText.line(sample) == sample, "\(sample)")
            }
            if NoticeText.isClean(sample, allowingNewlines: true) {
                #expect(NoticeText.paragraphs(sample) == sample, "\(sample)")
            }
        }
        #expect(NoticeText.line("a\u{85}b") == "a b")
        #expect(NoticeText.line("a  b") == "a b")
        #expect(NoticeText.line("x\u{202E}y") == "x y")
        #expect(NoticeText.paragraphs("x\u{2028}y") == "x\ny")
        #expect(NoticeText.isClean(DataCategory.catalogue[0].adviceFI, allowingNewlines: false))
    }

    @Test func anEmptyOrErasedNameIsNoName() {
        #expect(Self.content(customer: Self.customer(name: " \r\n ")).mustacheValue["customer_name"] == nil)
        var erased = Self.customer()
        erased.erasedAt = Date(timeIntervalSince1970: 1)
        #expect(Self.content(customer: erased).mustacheValue["customer_name"] == nil)
    }

    // MARK: - California

    @Test(arguments: [
        ("US", "CA", true), ("us", "ca", true), (" US ", "CA", true), ("US", "NY", false), ("US", "", false),
        ("CA", "", false), ("FI", "CA", false), ("", "", false),
    ])
    func californiaIsUSAndCA(country: String, region: String, expected: Bool) {
        let content = Self.content(customer: Self.customer(country: country, region: region))
        #expect(content.california == expected)
        #expect(content.mustacheValue["california"] as? Bool == expected)
    }
}

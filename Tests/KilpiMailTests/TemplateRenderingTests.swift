import Foundation
import KilpiCore
import Testing

@testable import KilpiMail

/// The shipped notices and the renderer: every variable shows in every language, hostile values stay text, the
/// California headings only for US-CA, and nothing in the HTML tracks or asks anyone to sign in.
@Suite struct TemplateRenderingTests {
    static let company = NoticeCompany(
        name: "Aurora & Co Oy",
        contactEmail: "privacy@aurora.example",
        contactURL: "https://aurora.example/incident",
        trustCenterURL: "https://aurora.example/trust/check"
    )

    static func content(
        _ language: Language,
        name: String? = "Anna Virtanen",
        country: String = "FI",
        region: String = "",
        categories: [String] = ["email", "payment_card", "credentials"],
        kinds: [ThreatKind] = [.dataBreach],
        contained: Bool = true
    ) -> NoticeContent {
        let day = Date(timeIntervalSince1970: 1_796_000_000)
        return NoticeContent.build(
            company: company,
            customer: Customer(
                id: 1,
                externalID: "C-1",
                name: name,
                email: "anna@example.com",
                phone: nil,
                language: language.rawValue,
                country: country,
                region: region,
                createdAt: day
            ),
            language: language,
            incident: Incident(
                id: 1,
                title: "Web shop breach",
                summary: "Someone copied customer records.\nWe found out from our logs.",
                kinds: kinds,
                severity: .sev1,
                status: .contained,
                times: KeyTimes(
                    occurredAt: day.addingTimeInterval(-86_400),
                    awareAt: day.addingTimeInterval(-3_600),
                    containedAt: contained ? day.addingTimeInterval(-1_800) : nil
                ),
                roles: [.commander: 1],
                declaredAt: day,
                declaredBy: "alice"
            ),
            categoryIDs: categories,
            referenceCode: NoticeReferenceCode(typed: "K7M4-Q2XD")!,
            supportToken: "qafzxr9pypvjensxwkg5qw",
            date: day
        )
    }

    static func shipped(_ language: Language) throws -> CompiledNoticeTemplate {
        try NoticeTemplates.compile(NoticeTemplates.shipped(language))
    }

    static func htmlEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&#39;")
    }

    // MARK: - Every variable, every language

    @Test(arguments: Language.allCases)
    func theShippedTemplatePassesTheChecker(language: Language) throws {
        let problems = MustacheTemplateChecker().problems(NoticeTemplates.shipped(language), language: language)
        #expect(problems.isEmpty, "\(problems.map(\.description))")
        _ = try Self.shipped(language)
    }

    /// A template naming every variable (and every list field) renders each one's value in both parts.
    @Test(arguments: Language.allCases)
    func everyVariableRendersInBothParts(language: Language) throws {
        var body = ""
        for variable in NoticeVariable.all {
            if variable.kind == .list {
                body += "{{#\(variable.name)}}"
                for field in variable.fields { body += "[\(variable.name).\(field.name)={{\(field.name)}}]\n" }
                body += "{{/\(variable.name)}}\n"
            } else {
                body += "[\(variable.name)={{\(variable.name)}}]\n"
            }
        }
        let text = NoticeTemplateText(subject: "{{company_name}} {{reference_code}}", text: body, html: body)
        #expect(MustacheTemplateChecker().problems(text, language: language).isEmpty)
        let compiled = try NoticeTemplates.compile(text)
        let content = NoticeContent.sample(language, full: true)
        let rendered = compiled.render(content)
        let value = content.mustacheValue
        for variable in NoticeVariable.all {
            if variable.kind == .list {
                let items = try #require(value[variable.name] as? [[String: Any]])
                for item in items {
                    for field in variable.fields {
                        guard let shown = item[field.name] else { continue }
                        let line = "[\(variable.name).\(field.name)=\(shown)]"
                        #expect(rendered.text.contains(line), "\(language) text: \(line)")
                        #expect(rendered.html.contains(Self.htmlEscaped(line)), "\(language) html: \(line)")
                    }
                }
            } else {
                let shown = try #require(value[variable.name], "\(variable.name)")
                let line = "[\(variable.name)=\(shown)]"
                #expect(rendered.text.contains(line), "\(language) text: \(line)")
                #expect(rendered.html.contains(Self.htmlEscaped(line)), "\(language) html: \(line)")
            }
        }
        #expect(rendered.subject == "Example Oy K7M4-Q2XD")
    }

    /// The shipped notice shows what the issue lists, in the customer's language: name, times, each category
    /// with its advice, the steps, the code and where to check it, where to ask.
    @Test(arguments: Language.allCases)
    func theShippedNoticeSaysWhatTheIssueLists(language: Language) throws {
        let content = Self.content(language)
        let rendered = try Self.shipped(language).render(content)
        let value = content.mustacheValue
        var expected = [
            "Anna Virtanen", "K7M4-Q2XD", "https://aurora.example/trust/check", "privacy@aurora.example",
            "https://aurora.example/incident", "Someone copied customer records.",
        ]
        for name in ["occurred_at", "aware_at", "contained_at", "notice_date"] {
            expected.append(try #require(value[name] as? String))
        }
        for category in content.categories {
            expected.append(category.name.text)
            expected.append(category.advice.text)
        }
        expected += content.actions.map { $0.text(language) }
        for text in expected {
            #expect(rendered.text.contains(text), "\(language) text lacks \(text)")
            #expect(rendered.html.contains(Self.htmlEscaped(text)), "\(language) html lacks \(text)")
        }
        // The company name with its "&": as written in the subject and text, escaped in the HTML.
        #expect(rendered.subject.hasPrefix("Aurora & Co Oy: "))
        #expect(rendered.text.contains("Aurora & Co Oy"))
        #expect(rendered.html.contains("Aurora &amp; Co Oy"))
        #expect(!rendered.text.contains("&amp;"))
        #expect(rendered.html.contains("<html lang=\"\(language.tag)\">"))
        #expect(rendered.html.contains("lang=\"\(language.tag)\""))
    }

    @Test(arguments: Language.allCases)
    func theTextPartReadsAsPlainText(language: Language) throws {
        for content in [Self.content(language), Self.content(language, name: nil, contained: false)] {
            let text = try Self.shipped(language).render(content).text
            #expect(!text.contains("{{") && !text.contains("<") && !text.contains("&amp;"))
            #expect(!text.contains("\n\n\n"))
            #expect(!text.contains("\r"))
            #expect(text.hasSuffix("\n") && !text.hasSuffix("\n\n"))
            #expect(!text.hasPrefix("\n"))
            for line in text.split(separator: "\n") { #expect(line.last != " ", "\(line)") }
        }
    }

    @Test func withoutANameTheGreetingIsGeneral() throws {
        let en = try Self.shipped(.en).render(Self.content(.en, name: nil))
        #expect(en.text.hasPrefix("Dear customer,\n"))
        let fi = try Self.shipped(.fi).render(Self.content(.fi, name: nil))
        #expect(fi.text.hasPrefix("Hyvä asiakkaamme,\n"))
        let sv = try Self.shipped(.sv).render(Self.content(.sv))
        #expect(sv.text.hasPrefix("Hej Anna Virtanen,\n"))
    }

    @Test(arguments: Language.allCases)
    func notYetContainedSaysSo(language: Language) throws {
        let content = Self.content(language, contained: false)
        let text = try Self.shipped(language).render(content).text
        #expect(text.contains(ShippedNoticeTemplate.phrases(language).notContained))
    }

    // MARK: - California

    static let californiaHeadings = [
        "Notice of Data Breach", "What Happened", "What Information Was Involved", "What We Are Doing",
        "What You Can Do", "For More Information",
    ]

    @Test(arguments: Language.allCases)
    func theCaliforniaHeadingsAppearOnlyForUSCA(language: Language) throws {
        let template = try Self.shipped(language)
        let california = template.render(Self.content(language, country: "US", region: "CA"))
        for heading in Self.californiaHeadings {
            #expect(california.text.contains(heading), "\(language) text: \(heading)")
            #expect(california.html.contains(heading), "\(language) html: \(heading)")
        }
        #expect(california.text.hasPrefix("Notice of Data Breach"))
        #expect(california.html.contains("<h1"))
        for (country, region) in [("FI", ""), ("US", "NY"), ("CA", "")] {
            let other = template.render(Self.content(language, country: country, region: region))
            for heading in Self.californiaHeadings {
                #expect(!other.text.contains(heading), "\(language) \(country)-\(region): \(heading)")
                #expect(!other.html.contains(heading), "\(language) \(country)-\(region): \(heading)")
            }
            #expect(!other.html.contains("<h1"))
        }
    }

    // MARK: - Hostile values

    static let hostileNames = [
        "<script>alert(1)</script>", "Robert'); DROP TABLE students;--", "=HYPERLINK(\"http://x\")",
        "Eve\r\nBcc: victim@example.net", "Eve\n\nClick http://evil.example", "{{reference_code}}",
        "\"><img src=x onerror=alert(1)>",
    ]

    @Test(arguments: Language.allCases)
    func hostileNamesStayText(language: Language) throws {
        let template = try Self.shipped(language)
        for name in Self.hostileNames {
            let rendered = template.render(Self.content(language, name: name))
            let shown = NoticeText.line(name)
            // HTML: escaped, never markup.
            #expect(rendered.html.contains(Self.htmlEscaped(shown)), "\(name)")
            #expect(!rendered.html.contains("<script"), "\(name)")
            #expect(!rendered.html.contains("<img"), "\(name)")
            // Text: as written, on one line, no line of its own.
            #expect(rendered.text.contains(shown), "\(name)")
            #expect(!rendered.text.contains("\r"))
            #expect(!rendered.text.split(separator: "\n").contains { $0.hasPrefix("Bcc:") || $0.hasPrefix("Click") })
            // A value is never read as a template.
            if name == "{{reference_code}}" { #expect(rendered.text.contains("{{reference_code}}")) }
        }
    }

    @Test func hostileValuesDoNotBreakTheSubject() throws {
        let template = try NoticeTemplates.compile(
            NoticeTemplateText(
                subject: "Notice for {{customer_name}} from {{company_name}}",
                text: "{{customer_name}}",
                html: "<p>{{customer_name}}</p>"
            )
        )
        for name in Self.hostileNames {
            let rendered = template.render(Self.content(.en, name: name))
            #expect(!rendered.subject.contains { $0.isNewline || $0.asciiValue.map { $0 < 0x20 } == true }, "\(name)")
            #expect(rendered.subject == "Notice for \(NoticeText.line(name)) from Aurora & Co Oy")
            #expect(rendered.text == NoticeText.line(name) + "\n")
            #expect(rendered.html == "<p>\(Self.htmlEscaped(NoticeText.line(name)))</p>")
            // The MIME builder takes the subject without complaint: nothing is left to inject a header.
            let message = MailMessage(
                from: MailAddress("notices@aurora.example", displayName: "Aurora"),
                to: MailAddress("anna@example.com"),
                subject: rendered.subject,
                text: rendered.text,
                html: rendered.html,
                outboxID: OutboxID(UUID())
            )
            _ = try message.rendered()
        }
    }

    // MARK: - No tracking, no sign-in links

    @Test(arguments: Language.allCases)
    func theShippedHTMLHasNoTrackingAndNoLinks(language: Language) throws {
        let source = NoticeTemplates.shipped(language).html.lowercased()
        let rendered = try Self.shipped(language).render(Self.content(language, country: "US", region: "CA")).html
            .lowercased()
        for html in [source, rendered] {
            for forbidden in ["<img", "<a ", "href", "src=", "<script", "<link", "url(", "<iframe", "<form", "@import"]
            {
                #expect(!html.contains(forbidden), "\(language): \(forbidden)")
            }
        }
        // Every web address in the notice is printed as text (no href): the trust center, the company's page, the support
        // site and the customer's own page.
        var rest = Substring(rendered)
        while let range = rest.range(of: "http") {
            var trimmed = rest[range.lowerBound...].prefix { !$0.isWhitespace && $0 != "<" }
            while trimmed.hasSuffix(".") { trimmed = trimmed.dropLast() }
            #expect(
                [
                    "https://aurora.example/trust/check", "https://aurora.example/incident",
                    "https://aurora.example/support", "https://aurora.example/support/qafzxr9pypvjensxwkg5qw",
                ].contains(String(trimmed)),
                "\(language): \(trimmed)"
            )
            rest = rest[range.upperBound...]
        }
        // No sign-in wording next to an address: the only mention of signing in says we will never ask for it.
        let signIn = ["sign in", "log in", "login", "kirjaudu", "logga in"]
        for paragraph in rendered.components(separatedBy: "<p") where paragraph.contains("http") {
            for word in signIn where paragraph.contains(word) {
                #expect(
                    paragraph.contains("never") || paragraph.contains("koskaan") || paragraph.contains("aldrig"),
                    "\(language): \(paragraph)"
                )
            }
        }
    }
}

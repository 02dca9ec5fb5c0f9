import KilpiCore
import Testing

@testable import KilpiMail

/// A template with a mistake is refused before it is saved, with a message that names the part and the line, in
/// the reader's language.
@Suite struct TemplateCheckerTests {
    static let good = NoticeTemplateText(
        subject: "{{company_name}}: notice",
        text: "Hello {{customer_name}}\n{{#categories}}- {{name}}\n{{/categories}}",
        html: "<p>{{company_name}}</p>"
    )

    static func problems(subject: String? = nil, text: String? = nil, html: String? = nil) -> [FieldProblem] {
        MustacheTemplateChecker().problems(
            NoticeTemplateText(subject: subject ?? good.subject, text: text ?? good.text, html: html ?? good.html),
            language: .en
        )
    }

    static func only(_ problems: [FieldProblem]) throws -> FieldProblem {
        #expect(problems.count == 1, "\(problems.map(\.description))")
        return try #require(problems.first)
    }

    @Test func aGoodTemplateHasNoProblems() throws {
        #expect(Self.problems().isEmpty)
        _ = try NoticeTemplates.compile(Self.good)
    }

    @Test func anUnknownVariableIsNamedWithItsPartAndLine() throws {
        let problem = try Self.only(Self.problems(text: "Hello\n\n  {{ customer_nmae }} and more"))
        #expect(problem.field == "text")
        #expect(problem.reason == "line 3: unknown variable “customer_nmae”")
        #expect(problem.reason(in: .fi) == "rivi 3: tuntematon muuttuja ”customer_nmae”")
        #expect(problem.reason(in: .sv) == "rad 3: okänd variabel ”customer_nmae”")
    }

    @Test func unknownVariablesInEveryPartAreAllNamed() {
        let problems = Self.problems(
            subject: "{{nope}}",
            text: "ok\n{{#nolist}}x{{/nolist}}",
            html: "<p>\n\n\n{{^gone}}x{{/gone}}</p>"
        )
        #expect(
            problems.map(\.description) == [
                "subject: line 1: unknown variable “nope”", "text: line 2: unknown variable “nolist”",
                "html: line 4: unknown variable “gone”",
            ]
        )
    }

    @Test func aListFieldOutsideItsListIsNamed() throws {
        let problem = try Self.only(Self.problems(html: "<p>{{advice}}</p>"))
        #expect(problem.field == "html")
        #expect(problem.reason == "line 1: “advice” exists only inside {{#categories}} … {{/categories}}")
        #expect(problem.reason(in: .sv) == "rad 1: ”advice” finns bara inuti {{#categories}} … {{/categories}}")
        // Inside the list it is fine, and so are the top-level names.
        #expect(Self.problems(html: "{{#categories}}{{advice}} {{company_name}}{{/categories}}").isEmpty)
        // A list's fields are not another list's.
        #expect(!Self.problems(html: "{{#actions}}{{advice}}{{/actions}}").isEmpty)
    }

    @Test func aListUsedAsAValueIsNamed() throws {
        let problem = try Self.only(Self.problems(text: "{{categories}}"))
        #expect(problem.reason == "line 1: “categories” is a list: use {{#categories}} … {{/categories}}")
    }

    @Test func anUnclosedSectionIsNamedAtTheLineItOpens() throws {
        let problem = try Self.only(Self.problems(html: "<p>\n{{#categories}}\n<li>{{name}}</li>\n</p>"))
        #expect(problem.field == "html")
        #expect(problem.reason == "line 2: section {{#categories}} is never closed: add {{/categories}}")
        #expect(problem.reason(in: .fi) == "rivi 2: lohkoa {{#categories}} ei suljeta: lisää {{/categories}}")
    }

    @Test func aWrongCloseIsNamed() throws {
        let problem = try Self.only(Self.problems(text: "{{#california}}\nx\n{{/categories}}"))
        #expect(problem.field == "text")
        #expect(
            problem.reason == "line 3: {{/categories}} does not close the open section {{#california}} from line 1"
        )
        let nothing = try Self.only(Self.problems(text: "a\n{{/categories}}"))
        #expect(nothing.reason == "line 2: {{/categories}} closes no open section")
    }

    @Test func aSyntaxErrorIsNamedWithItsLine() throws {
        let unfinished = try Self.only(Self.problems(text: "one\ntwo {{customer_name\nthree"))
        #expect(unfinished.field == "text")
        #expect(unfinished.reason.hasPrefix("line 2: a tag is not finished"))
        #expect(unfinished.reason(in: .sv).hasPrefix("rad 2: en tagg är inte avslutad"))
        let badName = try Self.only(Self.problems(html: "<p>\n{{customer name}}</p>"))
        #expect(badName.field == "html")
        #expect(badName.reason.hasPrefix("line 2: "))
    }

    @Test func unescapedOutputIsRefusedInTheHTMLPartOnly() throws {
        for tag in ["{{{customer_name}}}", "{{& customer_name}}"] {
            let problem = try Self.only(Self.problems(html: "<p>\n\(tag)</p>"))
            #expect(problem.field == "html")
            #expect(
                problem.reason
                    == "line 2: the HTML part must not write “customer_name” unescaped: write {{customer_name}}"
            )
            // The text part is never escaped, so the form makes no difference there.
            #expect(Self.problems(text: tag).isEmpty)
        }
    }

    @Test func featuresANoticeHasNoUseForAreRefused() throws {
        #expect(
            try Self.only(Self.problems(html: "{{% CONTENT_TYPE: TEXT}}\n{{company_name}}")).reason
                == "line 1: pragmas are not supported"
        )
        #expect(
            try Self.only(Self.problems(text: "x\n{{> footer}}")).reason
                == "line 2: partials and blocks are not supported"
        )
        #expect(
            try Self.only(Self.problems(text: "{{=<% %>=}}\n<% company_name %>")).reason
                == "line 1: changing the delimiters is not supported"
        )
        #expect(
            try Self.only(Self.problems(text: "{{uppercased(company_name)}}")).reason
                == "line 1: functions such as “uppercased(company_name)” are not supported"
        )
        // Comments are fine and may say anything.
        #expect(Self.problems(text: "{{! uses {{nothing}} }}\n{{company_name}}").isEmpty)
    }

    @Test func theSubjectIsOneLine() throws {
        let problem = try Self.only(Self.problems(subject: "Hello\n{{company_name}}"))
        #expect(problem.field == "subject")
        #expect(problem.reason == "line 2: the subject must be one line")
        #expect(Self.problems(subject: "Hello {{company_name}}\n").isEmpty)
        #expect(Self.problems(subject: "   ").map(\.field) == ["subject"])
    }

    @Test func compileRefusesWhatTheCheckerRefuses() {
        let bad = NoticeTemplateText(subject: "{{nope}}", text: "{{#categories}}", html: "{{{customer_name}}}")
        #expect(throws: NoticeTemplateError.self) { try NoticeTemplates.compile(bad) }
        do {
            _ = try NoticeTemplates.compile(bad)
        } catch {
            #expect(error.problems == MustacheTemplateChecker.structuralProblems(bad))
            #expect(error.problems.map(\.field) == ["subject", "text", "html"])
        }
    }

    @Test func theTagScanCountsLinesInsideTags() {
        let tags = TemplateTag.scan("a\n{{!\ncomment\n}}\n{{customer_name}}\n{{{x}}}")
        #expect(tags.map(\.line) == [2, 5, 6])
        #expect(tags.map(\.kind) == [.comment, .variable, .unescaped])
        #expect(tags.map(\.name) == ["comment", "customer_name", "x"])
    }
}

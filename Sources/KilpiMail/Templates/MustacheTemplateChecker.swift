import Foundation
import KilpiCore
import Mustache

/// Checks a notice template before it is saved: each part parses as Mustache, uses only the variables of
/// `NoticeVariable.all` (list fields only inside their list), writes nothing unescaped into the HTML part, uses none
/// of the features a notice has no use for (partials, blocks, pragmas, other delimiters, functions), the subject is
/// one line, and the template renders with sample content in its language. Each problem is a `FieldProblem` whose
/// field is the part (`subject`, `text`, `html`) and whose message starts with the line.
public struct MustacheTemplateChecker: NoticeTemplateChecker {
    public init() {}

    public func problems(_ template: NoticeTemplateText, language: Language) -> [FieldProblem] {
        let problems = Self.structuralProblems(template)
        guard problems.isEmpty else { return problems }
        return Self.renderProblems(template, language: language)
    }

    /// The parts by field name, in the order problems are reported.
    static func parts(_ template: NoticeTemplateText) -> [(field: String, source: String, html: Bool)] {
        [("subject", template.subject, false), ("text", template.text, false), ("html", template.html, true)]
    }

    /// Everything that can be told without rendering.
    static func structuralProblems(_ template: NoticeTemplateText) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        for part in parts(template) {
            problems += partProblems(part.source, field: part.field, html: part.html)
        }
        if !template.subject.contains("\n"), template.subject.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append(FieldProblem("subject", TemplateMessage.emptySubject()))
        }
        return problems
    }

    static func partProblems(_ source: String, field: String, html: Bool) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        func problem(_ message: LocalizedMessage) { problems.append(FieldProblem(field, message)) }
        if field == "subject", let newline = source.firstIndex(of: "\n"),
            !source[newline...].trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        {
            problem(TemplateMessage.subjectLines())
        }
        let tags = TemplateTag.scan(source)
        // Open sections, innermost last, with the list fields each brings into scope.
        var open: [(tag: TemplateTag, fields: [NoticeVariable])] = []
        func lookup(_ name: String) -> NoticeVariable? {
            for section in open.reversed() {
                if let field = section.fields.first(where: { $0.name == name }) { return field }
            }
            return NoticeVariable.named(name)
        }
        func checkName(_ tag: TemplateTag) -> NoticeVariable? {
            if tag.name.contains("(") {
                problem(TemplateMessage.function(tag.line, tag.name))
                return nil
            }
            guard let variable = lookup(tag.name) else {
                if let list = NoticeVariable.all.first(where: { $0.fields.contains { $0.name == tag.name } }) {
                    problem(TemplateMessage.outsideList(tag.line, tag.name, list.name))
                } else {
                    problem(TemplateMessage.unknown(tag.line, tag.name))
                }
                return nil
            }
            return variable
        }
        for tag in tags {
            switch tag.kind {
            case .comment:
                continue
            case .delimiters:
                problem(TemplateMessage.delimiters(tag.line))
            case .unterminated:
                problem(TemplateMessage.syntax(tag.line, MustacheTemplate.Error.unfinishedName))
            case .pragma:
                problem(TemplateMessage.pragma(tag.line))
            case .partialOrBlock:
                problem(TemplateMessage.partial(tag.line))
            case .unescaped, .variable:
                if html, tag.kind == .unescaped { problem(TemplateMessage.unescaped(tag.line, tag.name)) }
                if let variable = checkName(tag), variable.kind == .list {
                    problem(TemplateMessage.listAsValue(tag.line, tag.name))
                }
            case .section, .invertedSection:
                let variable = checkName(tag)
                open.append((tag, tag.kind == .section && variable?.kind == .list ? variable?.fields ?? [] : []))
            case .close:
                guard let last = open.last, last.tag.name == tag.name else {
                    problem(
                        open.last.map { TemplateMessage.wrongClose(tag.line, tag.name, $0.tag.name, $0.tag.line) }
                            ?? TemplateMessage.closesNothing(tag.line, tag.name)
                    )
                    return problems
                }
                open.removeLast()
            }
        }
        for section in open.reversed() {
            problem(TemplateMessage.neverClosed(section.tag.line, section.tag.name))
        }
        // The engine's own reading: anything the scan above let through that it still refuses.
        if problems.isEmpty {
            do {
                _ = try MustacheTemplate(string: source)
            } catch let error as MustacheTemplate.ParserError {
                problem(TemplateMessage.syntax(error.context.lineNumber, error.error))
            } catch {
                problem(TemplateMessage.syntax(1, error))
            }
        }
        return problems
    }

    /// Renders the template with sample content in `language` (once with every optional value present, once with
    /// none) and names any variable the template uses that rendered nothing in both: proof that the variables the
    /// checker accepts are the ones the content gives.
    static func renderProblems(_ template: NoticeTemplateText, language: Language) -> [FieldProblem] {
        let compiled: CompiledNoticeTemplate
        do { compiled = try NoticeTemplates.compile(template) } catch { return error.problems }
        var problems: [FieldProblem] = []
        for (index, part) in parts(template).enumerated() {
            var resolved: Set<String> = []
            for content in [NoticeContent.sample(language, full: true), NoticeContent.sample(language, full: false)] {
                let recorder = RenderRecorder()
                _ = compiled.templates[index].render(RecordingValue.wrap(content.mustacheValue, recorder))
                resolved.formUnion(recorder.names)
            }
            var reported: Set<String> = []
            for tag in TemplateTag.scan(part.source)
            where [.variable, .unescaped, .section, .invertedSection].contains(tag.kind) && !resolved.contains(tag.name)
                && reported.insert(tag.name).inserted
            {
                problems.append(FieldProblem(part.field, TemplateMessage.didNotRender(tag.line, tag.name)))
            }
        }
        return problems
    }
}

/// The names a render looked up and found.
final class RenderRecorder {
    var names: Set<String> = []
}

/// A dictionary that tells a `RenderRecorder` which of its names a render found.
struct RecordingValue: MustacheParent {
    let values: [String: Any]
    let recorder: RenderRecorder

    func child(named name: String) -> Any? {
        guard let value = values[name] else { return nil }
        recorder.names.insert(name)
        return value
    }

    static func wrap(_ value: Any, _ recorder: RenderRecorder) -> Any {
        if let dictionary = value as? [String: Any] {
            return RecordingValue(values: dictionary.mapValues { wrap($0, recorder) }, recorder: recorder)
        }
        if let list = value as? [Any] { return list.map { wrap($0, recorder) } }
        return value
    }
}

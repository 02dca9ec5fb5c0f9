import Foundation
import KilpiCore
import KilpiStore

/// The fields of declaring and editing an incident, and the severity definitions beside them.
extension IncidentViews {
    static func severityHelp(_ view: ViewContext) -> HTML {
        let items: [HTML] = Severity.allCases.map {
            "<dt>\($0.rawValue)</dt><dd>\(view.l($0.definitionEN, $0.definitionFI))</dd>"
        }
        return
            "<details><summary>\(view.l("Severity definitions", "Vakavuustasojen määritelmät"))</summary><dl class=\"facts\">\(items)</dl></details>"
    }

    static func declareForm(
        _ view: ViewContext,
        staff: [StaffUser],
        draft: IncidentDraft?,
        problems: [FieldProblem]
    ) -> HTML {
        let commanderOptions: [HTML] = staff.map {
            "<option value=\"\($0.id)\"\($0.id == view.user?.id ? " selected" as HTML : .empty)>\($0.displayName) (\($0.role.rawValue))</option>"
        }
        return """
            <h2 id="declare">\(view.l("Declare an incident", "Julista tapaus"))</h2>
            \(Layout.errors(problems.map { $0.description(in: view.language) }))
            <form method="post" action="\(Routes.incidentCreate.path())">\(view.csrfField)
            \(detailFields(view, draft: draft ?? IncidentDraft(title: "", kinds: [], severity: .sev3)))
            <label for="commander">\(roleName(.commander, view))</label>
            <select id="commander" name="commander">\(commanderOptions)</select>
            <button type="submit">\(view.l("Declare", "Julista"))</button>
            </form>
            """
    }

    /// Title, summary, threat kinds, severity and key times: shared by the declare and edit forms.
    static func detailFields(_ view: ViewContext, draft: IncidentDraft) -> HTML {
        let kinds: [HTML] = ThreatKind.allCases.map { kind in
            "<label class=\"check\"><input type=\"checkbox\" name=\"kinds\" value=\"\(kind.rawValue)\"\(draft.kinds.contains(kind) ? " checked" as HTML : .empty)> \(kindName(kind, view))</label>"
        }
        let severities: [HTML] = Severity.allCases.map {
            "<option value=\"\($0.rawValue)\"\($0 == draft.severity ? " selected" as HTML : .empty)>\($0.rawValue)</option>"
        }
        let timeLabels: [(String, String, String)] = [
            ("occurred_at", "Occurred", "Tapahtui"), ("detected_at", "Detected", "Havaittu"),
            ("aware_at", "Became aware (GDPR clock starts)", "Tietoon tulo (GDPR-määräaika alkaa)"),
            ("contained_at", "Contained", "Rajattu"), ("resolved_at", "Resolved", "Ratkaistu"),
        ]
        let times: [HTML] = zip(timeLabels, draft.times.fields).map { label, field in
            "<label for=\"\(label.0)\">\(view.l(label.1, label.2))</label><input id=\"\(label.0)\" name=\"\(label.0)\" type=\"datetime-local\" value=\"\(FormTime.inputValue(field.value))\">"
        }
        return """
            <label for="title">\(view.l("Title", "Otsikko"))</label>
            <input id="title" name="title" value="\(draft.title)" required maxlength="200">
            <label for="summary">\(view.l("Summary", "Yhteenveto"))</label>
            <textarea id="summary" name="summary" rows="3">\(draft.summary)</textarea>
            <fieldset><legend>\(view.l("Threat kinds", "Uhkatyypit"))</legend>\(kinds)</fieldset>
            <label for="severity">\(view.l("Severity", "Vakavuus"))</label>
            <select id="severity" name="severity">\(severities)</select>
            \(severityHelp(view))
            <fieldset><legend>\(view.l("Key times (UTC)", "Keskeiset ajat (UTC)"))</legend>\(times)</fieldset>
            """
    }
}

import Foundation
import KilpiCore
import KilpiStore

/// Console pages of customer notices: what the pages share. Each page is an extension in its own file: the
/// templates (`NoticeViews+Templates`), one template's editor (`+TemplateEdit`), the preview as a customer
/// (`+Preview`), an incident's campaigns (`+Campaigns`), one campaign (`+Campaign`) and its recipients
/// (`+Recipients`). The views are pure functions of their page models; the controllers load them.
enum NoticeViews {
    /// A template key (`general` or a threat kind's raw value) as people read it.
    static func keyName(_ key: String, _ view: ViewContext) -> String {
        if key == NoticeTemplateVersion.generalKey {
            return view.l("General (any threat kind)", "Yleinen (mikä tahansa uhkatyyppi)")
        }
        return ThreatKind(rawValue: key)?.name(view.language) ?? key
    }

    static func stateName(_ state: OutboxState, _ view: ViewContext) -> String {
        switch state {
        case .queued: view.l("Queued", "Jonossa")
        case .sending: view.l("Sending", "Lähetetään")
        case .sent: view.l("Sent", "Lähetetty")
        case .deferred: view.l("Deferred (will retry)", "Lykätty (yritetään uudelleen)")
        case .bounced: view.l("Bounced", "Palautunut")
        case .failed: view.l("Failed", "Epäonnistunut")
        case .skipped: view.l("Skipped (no email)", "Ohitettu (ei sähköpostia)")
        }
    }

    static func skipReasonName(_ reason: NoticeSkipReason, _ view: ViewContext) -> String {
        switch reason {
        case .noEmail: view.l("no usable email address", "ei käyttökelpoista sähköpostiosoitetta")
        case .erased: view.l("erased", "poistettu")
        }
    }

    static func campaignBadge(_ state: NoticeCampaignState, _ view: ViewContext) -> HTML {
        "<span class=\"badge status\">\(state.name(view.language))</span>"
    }

    /// Who did something, as the audit records actors (`user:3`): their name when known.
    static func actorName(_ actor: String?, _ names: [String: String]) -> String {
        guard let actor else { return "–" }
        return names[actor] ?? actor
    }

    /// A duration for reading: `45 s`, `12 min`, `3 h 05 min`, `2 d 4 h`.
    static func duration(_ seconds: TimeInterval?) -> String {
        guard let seconds, seconds.isFinite, seconds >= 0 else { return "–" }
        let total = Int(seconds.rounded())
        if total < 60 { return "\(total) s" }
        if total < 3600 { return "\(total / 60) min" }
        if total < 86_400 {
            let minutes = total % 3600 / 60
            return "\(total / 3600) h \(minutes < 10 ? "0" : "")\(minutes) min"
        }
        return "\(total / 86_400) d \(total % 86_400 / 3600) h"
    }

    /// Field problems grouped by the field they name, for showing each beside its input.
    static func problems(_ problems: [FieldProblem], for field: String, _ view: ViewContext) -> HTML {
        let mine = problems.filter { $0.field == field }
        guard !mine.isEmpty else { return .empty }
        let items: [HTML] = mine.map { "<li>\($0.reason(in: view.language))</li>" }
        return "<div class=\"notice error\" role=\"alert\" id=\"\(field)-problems\"><ul>\(items)</ul></div>"
    }

    /// A text input's `aria-describedby` when it has problems.
    static func describedBy(_ problems: [FieldProblem], _ field: String) -> HTML {
        problems.contains { $0.field == field }
            ? " aria-invalid=\"true\" aria-describedby=\"\(field)-problems\"" : .empty
    }
}

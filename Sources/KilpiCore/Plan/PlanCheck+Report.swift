/// The plan check as text for a terminal (`kilpi plan check`): a count, then each finding with why and how to fix.
extension PlanCheck {
    public static func report(_ findings: [PlanFinding], in language: Language) -> String {
        guard !findings.isEmpty else {
            switch language {
            case .en: return "Plan check: no findings."
            case .fi: return "Suunnitelmasta ei löytynyt huomautettavaa."
            case .sv: return "Kontroll av planen: inga anmärkningar."
            }
        }
        let (heading, why, fix): (String, String, String) =
            switch language {
            case .en: ("Plan check: \(findings.count) finding(s).", "Why", "Fix")
            case .fi: ("Suunnitelman tarkistus: \(findings.count) huomautusta.", "Miksi", "Korjaus")
            case .sv: ("Kontroll av planen: \(findings.count) anmärkning(ar).", "Varför", "Åtgärd")
            }
        var lines = [heading]
        for (index, finding) in findings.enumerated() {
            lines.append("")
            lines.append("\(index + 1). [\(finding.code.rawValue)] \(finding.problem.text(in: language))")
            lines.append("   \(why): \(finding.why.text(in: language))")
            lines.append("   \(fix): \(finding.fix.text(in: language))")
        }
        return lines.joined(separator: "\n")
    }
}

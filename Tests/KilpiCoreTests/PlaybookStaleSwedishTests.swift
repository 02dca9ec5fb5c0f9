import Foundation
import KilpiCore
import Testing

/// An edit that changes a text's English but keeps its shipped Swedish drops that Swedish, so a Swedish reader is
/// never given an instruction the English no longer says.
@Suite struct PlaybookStaleSwedishTests {
    static func text(_ en: String, sv: String?) -> LocalizedText {
        LocalizedText(en: en, fi: "fi: \(en)", sv: sv)
    }

    static func playbook(title: LocalizedText, steps: [[LocalizedText]]) -> Playbook {
        Playbook(
            id: "phishing",
            threatKind: .phishing,
            title: title,
            reviewedOn: Date(timeIntervalSince1970: 0),
            steps: steps.map {
                PlaybookStep(
                    title: $0[0],
                    phase: .analysis,
                    owner: .commander,
                    dueAfterHours: 1,
                    checklist: Array($0.dropFirst())
                )
            }
        )
    }

    @Test func onlySwedishCarriedOverFromADifferentEnglishIsDropped() {
        let old = Self.playbook(
            title: Self.text("Phishing", sv: "Nätfiske"),
            steps: [
                [
                    Self.text("Block the sender", sv: "Blockera avsändaren"),
                    Self.text("Warn staff", sv: "Varna personalen"),
                ]
            ]
        )
        let edited = Self.playbook(
            title: Self.text("Phishing", sv: "Nätfiske"),  // unchanged: kept
            steps: [
                [
                    Self.text("Block the sender's domain", sv: "Blockera avsändaren"),  // English changed, Swedish not
                    Self.text("Warn staff and customers", sv: "Varna personal och kunder"),  // both changed: kept
                    Self.text("Report to the registrar", sv: nil),  // new, no Swedish
                ],
                // A step moved, text unchanged: kept.
                [Self.text("Warn staff", sv: "Varna personalen")],
            ]
        )
        let saved = edited.droppingStaleSwedish(comparedTo: old)
        #expect(saved.title.sv == "Nätfiske")
        #expect(saved.steps[0].title.sv == nil)
        #expect(saved.steps[0].title.text(in: .sv) == "Block the sender's domain")
        #expect(saved.steps[0].checklist[0].sv == "Varna personal och kunder")
        #expect(saved.steps[0].checklist[1].sv == nil)
        #expect(saved.steps[1].title.sv == "Varna personalen")
        // Nothing but the stale Swedish changed.
        #expect(saved.steps[0].title.en == "Block the sender's domain")
        #expect(edited.droppingStaleSwedish(comparedTo: edited) == edited)
    }
}

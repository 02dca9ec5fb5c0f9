/// Swedish that no longer says what the English says.
///
/// A company that edits a shipped playbook's English and leaves its `sv` as it was would give Swedish readers the
/// old instruction in the middle of an incident. On saving, a Swedish text that was carried over unchanged from a
/// text whose English was different is dropped, so Swedish readers see the new English (marked as English) until
/// someone writes the Swedish; Swedish the editor wrote or changed is kept.
extension Playbook {
    public func droppingStaleSwedish(comparedTo old: Playbook) -> Playbook {
        var before: [String: Set<String>] = [:]  // Swedish → the English it stood beside
        for text in old.texts { if let sv = text.sv { before[sv, default: []].insert(text.en) } }
        func fresh(_ text: LocalizedText) -> LocalizedText {
            guard let sv = text.sv, let englishes = before[sv], !englishes.contains(text.en) else { return text }
            var dropped = text
            dropped.sv = nil
            return dropped
        }
        var playbook = self
        playbook.title = fresh(title)
        playbook.steps = steps.map { step in
            var step = step
            step.title = fresh(step.title)
            step.checklist = step.checklist.map(fresh)
            return step
        }
        return playbook
    }

    /// Every text of the playbook: its title, and each step's title and checklist.
    var texts: [LocalizedText] {
        [title] + steps.flatMap { [$0.title] + $0.checklist }
    }
}

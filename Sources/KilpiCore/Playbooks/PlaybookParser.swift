import Foundation

/// A hand-edited JSON document (a playbook, the response plan) that cannot be used, with where and why.
public struct DocumentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `steps[2].owner`, or `line 7` for a syntax error.
    public let location: String
    public let reason: String
    public var description: String { "\(location): \(reason)" }
}

/// Reads playbook JSON strictly: unknown keys, unknown roles, phases or purposes, and impossible values are
/// errors that name the field, so an edited playbook never half-works.
public enum PlaybookParser {
    public static let maximumBytes = 512 * 1024
    public static let maximumSteps = 100

    public static func parse(_ data: Data) throws(DocumentError) -> Playbook {
        guard data.count <= maximumBytes else {
            throw DocumentError(location: "file", reason: "larger than \(maximumBytes / 1024) KB")
        }
        guard String(data: data, encoding: .utf8) != nil else {
            throw DocumentError(location: "file", reason: "not UTF-8 text")
        }
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw DocumentError(location: syntaxLocation(error, data), reason: "not valid JSON")
        }
        return try Reader().playbook(root)
    }

    public static func parse(_ text: String) throws(DocumentError) -> Playbook {
        try parse(Data(text.utf8))
    }

    /// Foundation reports a syntax error's place as a byte offset ("around character 11"); people want a line.
    static func syntaxLocation(_ error: any Error, _ data: Data) -> String {
        guard !data.isEmpty else { return "file" }
        let text = "\((error as NSError).userInfo)"
        guard let range = text.range(of: #"character \d+"#, options: .regularExpression),
            let offset = Int(text[range].dropFirst("character ".count))
        else { return "file" }
        let before = data.prefix(offset)
        let line = before.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
        let column = offset - (before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0) + 1
        return "line \(line), column \(column)"
    }

    private struct Reader {
        let fields = JSONFields()
        func playbook(_ value: Any) throws(DocumentError) -> Playbook {
            let object = try fields.object(value, at: "playbook")
            try fields.known(object, ["id", "threat_kind", "title", "reviewed_on", "steps"], at: "")
            let id = try fields.string(object["id"], at: "id")
            guard id.range(of: #"^[a-z0-9][a-z0-9-]{0,62}$"#, options: .regularExpression) != nil else {
                throw DocumentError(location: "id", reason: "use 1 to 63 lowercase letters, digits and hyphens")
            }
            let kindText = try fields.string(object["threat_kind"], at: "threat_kind")
            guard let kind = ThreatKind(rawValue: kindText) else {
                throw DocumentError(
                    location: "threat_kind",
                    reason:
                        "unknown threat kind \"\(kindText)\"; use one of \(ThreatKind.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            let title = try fields.localized(object["title"], at: "title")
            let reviewedText = try fields.string(object["reviewed_on"], at: "reviewed_on")
            guard let reviewed = UTCDay.parse(reviewedText) else {
                throw DocumentError(location: "reviewed_on", reason: "\"\(reviewedText)\" is not a date (YYYY-MM-DD)")
            }
            guard let stepValues = object["steps"] as? [Any] else {
                throw DocumentError(location: "steps", reason: "must be a list of steps")
            }
            guard !stepValues.isEmpty else {
                throw DocumentError(location: "steps", reason: "a playbook needs at least one step")
            }
            guard stepValues.count <= PlaybookParser.maximumSteps else {
                throw DocumentError(location: "steps", reason: "at most \(PlaybookParser.maximumSteps) steps")
            }
            var steps: [PlaybookStep] = []
            for (index, value) in stepValues.enumerated() {
                steps.append(try step(value, at: "steps[\(index)]"))
            }
            return Playbook(id: id, threatKind: kind, title: title, reviewedOn: reviewed, steps: steps)
        }

        func step(_ value: Any, at path: String) throws(DocumentError) -> PlaybookStep {
            let object = try fields.object(value, at: path)
            try fields.known(
                object,
                ["title", "phase", "owner", "due_after_hours", "purpose", "checklist"],
                at: path + "."
            )
            let title = try fields.localized(object["title"], at: "\(path).title")
            let phaseText = try fields.string(object["phase"], at: "\(path).phase")
            guard let phase = PlaybookPhase(rawValue: phaseText) else {
                throw DocumentError(
                    location: "\(path).phase",
                    reason:
                        "unknown phase \"\(phaseText)\"; use one of \(PlaybookPhase.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            let ownerText = try fields.string(object["owner"], at: "\(path).owner")
            guard let owner = IncidentRole(rawValue: ownerText) else {
                throw DocumentError(
                    location: "\(path).owner",
                    reason:
                        "unknown role \"\(ownerText)\"; use one of \(IncidentRole.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            // JSON booleans arrive as NSNumber too (type "c"); `true` is not an hour count.
            guard let number = object["due_after_hours"] as? NSNumber, String(cString: number.objCType) != "c",
                let hours = object["due_after_hours"] as? Int, (0...24 * 365).contains(hours)
            else {
                throw DocumentError(
                    location: "\(path).due_after_hours",
                    reason: "must be a whole number of hours from 0 to 8760"
                )
            }
            var purpose: StepPurpose?
            if let purposeValue = object["purpose"], !(purposeValue is NSNull) {
                let text = try fields.string(purposeValue, at: "\(path).purpose")
                guard let known = StepPurpose(rawValue: text) else {
                    throw DocumentError(
                        location: "\(path).purpose",
                        reason:
                            "unknown purpose \"\(text)\"; use one of \(StepPurpose.allCases.map(\.rawValue).joined(separator: ", "))"
                    )
                }
                purpose = known
            }
            guard let items = object["checklist"] as? [Any] else {
                throw DocumentError(location: "\(path).checklist", reason: "must be a list (it may be empty)")
            }
            var checklist: [LocalizedText] = []
            for (index, item) in items.enumerated() {
                checklist.append(try fields.localized(item, at: "\(path).checklist[\(index)]"))
            }
            return PlaybookStep(
                title: title,
                phase: phase,
                owner: owner,
                dueAfterHours: hours,
                purpose: purpose,
                checklist: checklist
            )
        }
    }
}

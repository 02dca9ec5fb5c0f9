import Foundation

/// A hand-edited JSON document (a playbook, the response plan) that cannot be used, with where and why: in English
/// for the command line (`description`, `location`, `reason`), in the reader's language for the console
/// (`description(in:)`, `fieldProblem`).
public struct DocumentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Where in the document the problem is.
    public enum Place: Sendable, Equatable {
        /// The document as a whole (too large, not text, not JSON with no place to point at).
        case document
        /// Where a JSON syntax error is: a position is always a syntax error ("not valid JSON").
        case position(line: Int, column: Int)
        /// A field by its path, as written in the document: `steps[2].owner`, `roles.commander.name`.
        case field(String)
    }

    public let place: Place
    public let message: LocalizedMessage
    /// The file the document was read from (a shipped playbook's `phishing.json`), when it matters.
    public let file: String?

    init(_ place: Place, _ message: LocalizedMessage, file: String? = nil) {
        self.place = place
        self.message = message
        self.file = file
    }

    /// A problem with the field at `path`.
    init(at path: String, _ message: LocalizedMessage) { self.init(.field(path), message) }

    /// A JSON syntax error at `place` (a position when Foundation gave one).
    static func syntax(at place: Place) -> DocumentError {
        DocumentError(place, .l("not valid JSON", "ei kelvollista JSONia"))
    }

    /// `steps[2].owner`, `line 7, column 3` for a syntax error, `file` for the whole document (in English).
    public var location: String {
        let place =
            switch place {
            case .document: "file"
            case .position(let line, let column): "line \(line), column \(column)"
            case .field(let path): path
            }
        return file.map { "\($0): \(place)" } ?? place
    }

    /// The reason in English.
    public var reason: String { message.en }
    /// The reason for a reader of `language`.
    public func reason(in language: Language) -> String { message.text(language) }

    /// `location: reason`, in English (as the command line prints it).
    public var description: String { "\(location): \(reason)" }

    /// `location: reason` for a reader of `language`: a field's path stays as written (it is what the document
    /// says); a line and column (`rivi 7, sarake 3:`) and the whole file (`tiedosto:`) are said in the language.
    public func description(in language: Language) -> String {
        let prefix =
            switch place {
            case .document: LocalizedMessage.l("file:", "tiedosto:").text(language)
            case .position(let line, let column):
                LocalizedMessage.location(line: line, column: String(column)).text(language)
            case .field(let path): "\(path):"
            }
        return (file.map { "\($0): " } ?? "") + "\(prefix) \(reason(in: language))"
    }

    /// The problem as a form's: named by the field's path, or for the document as a whole and for a syntax error by
    /// the form field that holds the document (`document`), with the line and column in the message.
    public func fieldProblem(document: String = "document") -> FieldProblem {
        switch place {
        case .field(let path): FieldProblem(path, message)
        case .document: FieldProblem(document, message)
        case .position(let line, let column):
            FieldProblem(
                document,
                .l(
                    "line \(line), column \(column): not valid JSON",
                    "rivi \(line), sarake \(column): ei kelvollista JSONia"
                )
            )
        }
    }
}

/// Reads playbook JSON strictly: unknown keys, unknown roles, phases or purposes, and impossible values are
/// errors that name the field, so an edited playbook never half-works.
public enum PlaybookParser {
    public static let maximumBytes = 512 * 1024
    public static let maximumSteps = 100

    public static func parse(_ data: Data) throws(DocumentError) -> Playbook {
        guard data.count <= maximumBytes else {
            let kilobytes = maximumBytes / 1024
            throw DocumentError(.document, .l("larger than \(kilobytes) KB", "suurempi kuin \(kilobytes) kt"))
        }
        guard String(data: data, encoding: .utf8) != nil else {
            throw DocumentError(.document, .l("not UTF-8 text", "ei UTF-8-tekstiä"))
        }
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw .syntax(at: syntaxPlace(error, data))
        }
        return try Reader().playbook(root)
    }

    public static func parse(_ text: String) throws(DocumentError) -> Playbook {
        try parse(Data(text.utf8))
    }

    /// Foundation reports a syntax error's place as a byte offset ("around character 11"); people want a line.
    static func syntaxPlace(_ error: any Error, _ data: Data) -> DocumentError.Place {
        guard !data.isEmpty else { return .document }
        let text = "\((error as NSError).userInfo)"
        guard let range = text.range(of: #"character \d+"#, options: .regularExpression),
            let offset = Int(text[range].dropFirst("character ".count))
        else { return .document }
        let before = data.prefix(offset)
        let line = before.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
        let column = offset - (before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0) + 1
        return .position(line: line, column: column)
    }

    private struct Reader {
        let fields = JSONFields()
        func playbook(_ value: Any) throws(DocumentError) -> Playbook {
            let object = try fields.object(value, at: "playbook")
            try fields.known(object, ["id", "threat_kind", "title", "reviewed_on", "steps"], at: "")
            let id = try fields.string(object["id"], at: "id")
            guard id.range(of: #"^[a-z0-9][a-z0-9-]{0,62}$"#, options: .regularExpression) != nil else {
                throw DocumentError(
                    at: "id",
                    .l(
                        "use 1 to 63 lowercase letters, digits and hyphens",
                        "käytä 1–63 pientä kirjainta, numeroa ja yhdysmerkkiä"
                    )
                )
            }
            let kindText = try fields.string(object["threat_kind"], at: "threat_kind")
            guard let kind = ThreatKind(rawValue: kindText) else {
                let choices = ThreatKind.allCases.map(\.rawValue).joined(separator: ", ")
                throw DocumentError(
                    at: "threat_kind",
                    .l(
                        "unknown threat kind \"\(kindText)\"; use one of \(choices)",
                        "tuntematon uhkatyyppi \"\(kindText)\"; käytä jotakin näistä: \(choices)"
                    )
                )
            }
            let title = try fields.localized(object["title"], at: "title")
            let reviewedText = try fields.string(object["reviewed_on"], at: "reviewed_on")
            guard let reviewed = UTCDay.parse(reviewedText) else {
                throw DocumentError(at: "reviewed_on", .notADate(reviewedText))
            }
            guard let stepValues = object["steps"] as? [Any] else {
                throw DocumentError(at: "steps", .l("must be a list of steps", "on oltava luettelo vaiheista"))
            }
            guard !stepValues.isEmpty else {
                throw DocumentError(
                    at: "steps",
                    .l("a playbook needs at least one step", "toimintaohjeessa on oltava vähintään yksi vaihe")
                )
            }
            guard stepValues.count <= PlaybookParser.maximumSteps else {
                let maximum = PlaybookParser.maximumSteps
                throw DocumentError(at: "steps", .l("at most \(maximum) steps", "enintään \(maximum) vaihetta"))
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
                let choices = PlaybookPhase.allCases.map(\.rawValue).joined(separator: ", ")
                throw DocumentError(
                    at: "\(path).phase",
                    .l(
                        "unknown phase \"\(phaseText)\"; use one of \(choices)",
                        "tuntematon vaihe \"\(phaseText)\"; käytä jotakin näistä: \(choices)"
                    )
                )
            }
            let ownerText = try fields.string(object["owner"], at: "\(path).owner")
            guard let owner = IncidentRole(rawValue: ownerText) else {
                let choices = IncidentRole.allCases.map(\.rawValue).joined(separator: ", ")
                throw DocumentError(
                    at: "\(path).owner",
                    .l(
                        "unknown role \"\(ownerText)\"; use one of \(choices)",
                        "tuntematon rooli \"\(ownerText)\"; käytä jotakin näistä: \(choices)"
                    )
                )
            }
            // JSON booleans arrive as NSNumber too (type "c"); `true` is not an hour count.
            guard let number = object["due_after_hours"] as? NSNumber, String(cString: number.objCType) != "c",
                let hours = object["due_after_hours"] as? Int, (0...24 * 365).contains(hours)
            else {
                throw DocumentError(
                    at: "\(path).due_after_hours",
                    .l("must be a whole number of hours from 0 to 8760", "on oltava kokonainen tuntimäärä 0–8760")
                )
            }
            var purpose: StepPurpose?
            if let purposeValue = object["purpose"], !(purposeValue is NSNull) {
                let text = try fields.string(purposeValue, at: "\(path).purpose")
                guard let known = StepPurpose(rawValue: text) else {
                    let choices = StepPurpose.allCases.map(\.rawValue).joined(separator: ", ")
                    throw DocumentError(
                        at: "\(path).purpose",
                        .l(
                            "unknown purpose \"\(text)\"; use one of \(choices)",
                            "tuntematon tarkoitus \"\(text)\"; käytä jotakin näistä: \(choices)"
                        )
                    )
                }
                purpose = known
            }
            guard let items = object["checklist"] as? [Any] else {
                throw DocumentError(
                    at: "\(path).checklist",
                    .l("must be a list (it may be empty)", "on oltava luettelo (se voi olla tyhjä)")
                )
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

import Foundation
import KilpiCore

/// The subset of JSON Schema (2020-12, as OpenAPI 3.1 uses it) that Kilpi's API bodies need. Built from the
/// Codable types by `SchemaProbe`, rendered into the OpenAPI document, and checked by `validate` against every
/// request body before it is decoded, so the document and the check cannot disagree.
indirect enum JSONSchema: Sendable, Equatable {
    case string(format: String? = nil, minLength: Int? = nil, maxLength: Int? = nil)
    /// A string from a fixed list (a String-raw-value `CaseIterable` enum).
    case enumeration([String])
    case integer(format: String = "int64", minimum: Int64? = nil, maximum: Int64? = nil)
    case number
    case boolean
    case array(JSONSchema)
    /// A struct: its keys, which must be present, and no others. `name` makes it a reusable component.
    case object(name: String?, properties: [Property], required: [String])
    /// A dictionary keyed by any string.
    case map(JSONSchema)
    /// The value or `null`.
    case nullable(JSONSchema)
    /// Anything (a value whose shape is not described).
    case any

    struct Property: Sendable, Equatable {
        let name: String
        let schema: JSONSchema
        var description: String?
    }

    /// The schema with `null` also allowed.
    var orNull: JSONSchema {
        if case .nullable = self { return self }
        return .nullable(self)
    }

    // MARK: - Rendering

    /// The schema as a JSON Schema object; named objects become `$ref`s into `components` (filled by the caller).
    func rendered(components: inout [String: Any]) -> [String: Any] {
        switch self {
        case .string(let format, let minLength, let maxLength):
            var result: [String: Any] = ["type": "string"]
            if let format { result["format"] = format }
            if let minLength { result["minLength"] = minLength }
            if let maxLength { result["maxLength"] = maxLength }
            return result
        case .enumeration(let values):
            return ["type": "string", "enum": values]
        case .integer(let format, let minimum, let maximum):
            var result: [String: Any] = ["type": "integer", "format": format]
            if let minimum { result["minimum"] = minimum }
            if let maximum { result["maximum"] = maximum }
            return result
        case .number:
            return ["type": "number"]
        case .boolean:
            return ["type": "boolean"]
        case .array(let items):
            return ["type": "array", "items": items.rendered(components: &components)]
        case .map(let values):
            return ["type": "object", "additionalProperties": values.rendered(components: &components)]
        case .any:
            return [:]
        case .nullable(let inner):
            var result = inner.rendered(components: &components)
            if result["$ref"] != nil || result.isEmpty {
                return result.isEmpty ? [:] : ["anyOf": [result, ["type": "null"]]]
            }
            if let type = result["type"] as? String { result["type"] = [type, "null"] }
            if let values = result["enum"] as? [String] { result["enum"] = values + [NSNull()] as [Any] }
            return result
        case .object(let name, let properties, let required):
            var body: [String: Any] = ["type": "object", "additionalProperties": false]
            var rendered: [String: Any] = [:]
            for property in properties {
                var schema = property.schema.rendered(components: &components)
                if let description = property.description {
                    // A `$ref` with siblings is allowed in 3.1; keep the description beside it.
                    schema["description"] = description
                }
                rendered[property.name] = schema
            }
            body["properties"] = rendered
            if !required.isEmpty { body["required"] = required }
            guard let name else { return body }
            if let existing = components[name] as? [String: Any] {
                // Two types with one name would silently describe one of them wrongly.
                precondition(NSDictionary(dictionary: existing).isEqual(to: body), "two schemas named \(name)")
            }
            components[name] = body
            return ["$ref": "#/components/schemas/\(name)"]
        }
    }

    // MARK: - Validation

    /// One way a value breaks its schema: where (`times.occurredAt`, `kinds[1]`; empty for the whole body) and why,
    /// in the reader's language.
    struct Violation: Sendable, Equatable, CustomStringConvertible {
        let path: String
        let message: LocalizedMessage
        var reason: String { message.en }
        /// In English.
        var description: String { path.isEmpty ? reason : "\(path): \(reason)" }
        func description(in language: Language) -> String {
            path.isEmpty ? message.text(language) : "\(path): \(message.text(language))"
        }
    }

    /// Every way `value` breaks this schema (empty: it conforms).
    func violations(of value: JSONValue, at path: String = "") -> [Violation] {
        func fail(_ message: LocalizedMessage) -> [Violation] { [Violation(path: path, message: message)] }
        switch (self, value) {
        case (.any, _):
            return []
        case (.nullable, .null):
            return []
        case (.nullable(let inner), _):
            return inner.violations(of: value, at: path)
        case (_, .null):
            return fail(.l("must not be null", "ei saa olla null"))
        case (.string(let format, let minLength, let maxLength), .string(let text)):
            if let minLength, text.count < minLength {
                return fail(.l("must be at least \(minLength) characters", "oltava vähintään \(minLength) merkkiä"))
            }
            if let maxLength, text.count > maxLength {
                return fail(.l("must be at most \(maxLength) characters", "saa olla enintään \(maxLength) merkkiä"))
            }
            if let format, !Self.matches(format: format, text) { return fail(Self.formatHint(format)) }
            return []
        case (.enumeration(let values), .string(let text)):
            return values.contains(text) ? [] : fail(Self.oneOf(values))
        case (.integer(_, let minimum, let maximum), .integer(let number)):
            if let minimum, number < minimum {
                return fail(.l("must be at least \(minimum)", "oltava vähintään \(minimum)"))
            }
            if let maximum, number > maximum {
                return fail(.l("must be at most \(maximum)", "saa olla enintään \(maximum)"))
            }
            return []
        case (.number, .integer), (.number, .double), (.boolean, .bool):
            return []
        case (.array(let items), .array(let elements)):
            return elements.enumerated().flatMap { items.violations(of: $0.element, at: "\(path)[\($0.offset)]") }
        case (.map(let values), .object(let members)):
            return members.keys.sorted().flatMap { key in
                values.violations(of: members[key]!, at: Self.join(path, key))
            }
        case (.object(_, let properties, let required), .object(let members)):
            var found: [Violation] = []
            for name in required where members[name] == nil {
                found.append(Violation(path: Self.join(path, name), message: .l("is required", "on pakollinen")))
            }
            let known = Dictionary(uniqueKeysWithValues: properties.map { ($0.name, $0.schema) })
            for key in members.keys.sorted() {
                guard let schema = known[key] else {
                    let names = properties.map(\.name).joined(separator: ", ")
                    found.append(
                        Violation(
                            path: Self.join(path, key),
                            message: .l(
                                "is not a field here; use \(names)",
                                "ei ole tässä sallittu kenttä; käytä: \(names)"
                            )
                        )
                    )
                    continue
                }
                found += schema.violations(of: members[key]!, at: Self.join(path, key))
            }
            return found
        default:
            return fail(expectation)
        }
    }

    /// What a value of this schema must be, for messages.
    var expectation: LocalizedMessage {
        switch self {
        case .string(let format, _, _): format.map(Self.formatHint) ?? .l("must be a string", "oltava merkkijono")
        case .enumeration(let values): Self.oneOf(values)
        case .integer: .l("must be an integer", "oltava kokonaisluku")
        case .number: .l("must be a number", "oltava luku")
        case .boolean: .l("must be true or false", "oltava true tai false")
        case .array: .l("must be an array", "oltava taulukko")
        case .object, .map: .l("must be an object", "oltava olio")
        case .nullable(let inner): inner.expectation
        case .any: .l("is not valid", "ei kelpaa")
        }
    }

    private static func oneOf(_ values: [String]) -> LocalizedMessage {
        let list = values.joined(separator: ", ")
        return .l("must be one of \(list)", "oltava jokin näistä: \(list)")
    }

    private static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    private static func formatHint(_ format: String) -> LocalizedMessage {
        switch format {
        case "date-time":
            .l(
                "must be an ISO 8601 time with a zone, e.g. 2026-11-25T08:00:00Z",
                "oltava ISO 8601 -aika aikavyöhykkeineen, esim. 2026-11-25T08:00:00Z"
            )
        case "date": .l("must be a day, YYYY-MM-DD", "oltava päivä muodossa VVVV-KK-PP")
        case "email": .l("must be an email address", "oltava sähköpostiosoite")
        case "uri": .l("must be a URI", "oltava URI")
        default: .l("must be a string", "oltava merkkijono")
        }
    }

    /// RFC 3339 `date-time` and `full-date`, as JSON Schema means them; other formats are not checked here.
    static func matches(format: String, _ text: String) -> Bool {
        switch format {
        case "date-time": DateTimeFormat.parse(text) != nil
        case "date": DateTimeFormat.day(text) != nil
        case "email": text.contains("@") && !text.hasPrefix("@") && !text.hasSuffix("@")
        default: true
        }
    }
}

/// RFC 3339 times and days exactly as the API reads them.
enum DateTimeFormat {
    /// `2026-11-25T08:00:00Z`, `2026-11-25T08:00:00.5+02:00`: a time with a zone, read by the same parser as the
    /// console's (`IncidentInput.parseTime`), with nothing around it.
    static func parse(_ text: String) -> Date? {
        guard text == text.trimmingCharacters(in: .whitespacesAndNewlines) else { return nil }
        // Any year: this is the schema's format only (console forms also keep to `IncidentInput.timeRange`).
        return IncidentInput.parseTime(text, form: .zoned, anyYear: true)
    }

    /// `2026-11-25` (a real day of the proleptic Gregorian calendar), as UTC midnight.
    static func day(_ text: String) -> Date? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.utf8.allSatisfy { (48...57).contains($0) } }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let date = calendar.date(from: DateComponents(year: year, month: month, day: day)) else { return nil }
        let back = calendar.dateComponents([.year, .month, .day], from: date)
        guard back.year == year, back.month == month, back.day == day else { return nil }
        return date
    }
}

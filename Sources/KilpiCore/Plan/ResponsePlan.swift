import Foundation

/// The company's incident-response plan, apart from its playbooks: who fills each role, whom to call, and
/// when the plan was last exercised. Stored as one JSON document that admins and responders edit.
public struct ResponsePlan: Sendable, Equatable, Codable {
    public struct Person: Sendable, Equatable, Codable {
        public var name: String
        public var phone: String
        public var email: String
        public init(name: String, phone: String = "", email: String = "") {
            self.name = name
            self.phone = phone
            self.email = email
        }
    }

    /// Outside parties a response needs within hours.
    public enum ContactKind: String, Sendable, CaseIterable, Codable {
        case legal, pr, insurer, authority, forensics, other

        /// The kinds every plan must list (the plan check asks for each).
        public static let required: [ContactKind] = [.legal, .pr, .insurer, .authority]

        public var nameEN: String {
            switch self {
            case .legal: "legal counsel"
            case .pr: "public relations"
            case .insurer: "cyber insurer"
            case .authority: "authorities (data protection authority, national CSIRT, police)"
            case .forensics: "forensics firm"
            case .other: "other"
            }
        }

        public var nameFI: String {
            switch self {
            case .legal: "lakineuvonta"
            case .pr: "viestintä- ja mediasuhteet"
            case .insurer: "kybervakuuttaja"
            case .authority: "viranomaiset (tietosuojavaltuutettu, Kyberturvallisuuskeskus, poliisi)"
            case .forensics: "forensiikkayritys"
            case .other: "muu"
            }
        }

        /// Swedish (a first translation, awaiting native review like the Finnish).
        public var nameSV: String {
            switch self {
            case .legal: "juridisk rådgivning"
            case .pr: "kommunikation och mediekontakter"
            case .insurer: "cyberförsäkringsbolag"
            case .authority: "myndigheter (Dataombudsmannens byrå, Cybersäkerhetscentret, polisen)"
            case .forensics: "forensikföretag"
            case .other: "annat"
            }
        }

        /// The display name in `language`.
        public func name(_ language: Language) -> String {
            switch language {
            case .en: nameEN
            case .fi: nameFI
            case .sv: nameSV
            }
        }
    }

    public struct Contact: Sendable, Equatable, Codable {
        public var kind: ContactKind
        public var name: String
        public var phone: String
        public var email: String
        public init(kind: ContactKind, name: String, phone: String = "", email: String = "") {
            self.kind = kind
            self.name = name
            self.phone = phone
            self.email = email
        }
    }

    public struct Exercise: Sendable, Equatable, Codable {
        public var date: Date
        public var description: String
        public init(date: Date, description: String) {
            self.date = date
            self.description = description
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(UTCDay.format(date), forKey: .date)
            try container.encode(description, forKey: .description)
        }
    }

    public var roles: [IncidentRole: Person]
    public var contacts: [Contact]
    public var exercises: [Exercise]

    public init(roles: [IncidentRole: Person] = [:], contacts: [Contact] = [], exercises: [Exercise] = []) {
        self.roles = roles
        self.contacts = contacts
        self.exercises = exercises
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(
            Dictionary(uniqueKeysWithValues: roles.map { ($0.key.rawValue, $0.value) }),
            forKey: .roles
        )
        try container.encode(contacts, forKey: .contacts)
        try container.encode(exercises, forKey: .exercises)
    }

    /// The plan as the JSON document people edit.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: encoder.encode(self), as: UTF8.self)) ?? "{}"
    }

    /// Reads the plan document strictly; errors name the field (or the line of a syntax error).
    public static func parse(_ text: String) throws(DocumentError) -> ResponsePlan {
        let data = Data(text.utf8)
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw .syntax(at: PlaybookParser.syntaxPlace(error, data))
        }
        guard let object = root as? [String: Any] else {
            throw DocumentError(at: "plan", .l("must be an object", "on oltava olio"))
        }
        let fields = JSONFields()
        try fields.known(object, ["roles", "contacts", "exercises"], at: "")
        var plan = ResponsePlan()
        if let roles = object["roles"] {
            let roleObject = try fields.object(roles, at: "roles")
            for key in roleObject.keys.sorted() {
                guard let role = IncidentRole(rawValue: key) else {
                    let choices = IncidentRole.allCases.map(\.rawValue).joined(separator: ", ")
                    throw DocumentError(
                        at: "roles.\(key)",
                        .l("unknown role; use one of \(choices)", "tuntematon rooli; käytä jotakin näistä: \(choices)")
                    )
                }
                let person = try fields.object(roleObject[key]!, at: "roles.\(key)")
                try fields.known(person, ["name", "phone", "email"], at: "roles.\(key).")
                plan.roles[role] = Person(
                    name: try fields.string(person["name"], at: "roles.\(key).name"),
                    phone: try fields.optionalString(person["phone"], at: "roles.\(key).phone"),
                    email: try fields.optionalString(person["email"], at: "roles.\(key).email")
                )
            }
        }
        if let contacts = object["contacts"] {
            guard let list = contacts as? [Any] else {
                throw DocumentError(at: "contacts", .mustBeAList)
            }
            for (index, value) in list.enumerated() {
                let path = "contacts[\(index)]"
                let contact = try fields.object(value, at: path)
                try fields.known(contact, ["kind", "name", "phone", "email"], at: path + ".")
                let kindText = try fields.string(contact["kind"], at: "\(path).kind")
                guard let kind = ContactKind(rawValue: kindText) else {
                    let choices = ContactKind.allCases.map(\.rawValue).joined(separator: ", ")
                    throw DocumentError(
                        at: "\(path).kind",
                        .l(
                            "unknown kind \"\(kindText)\"; use one of \(choices)",
                            "tuntematon laji \"\(kindText)\"; käytä jotakin näistä: \(choices)"
                        )
                    )
                }
                let phone = try fields.optionalString(contact["phone"], at: "\(path).phone")
                let email = try fields.optionalString(contact["email"], at: "\(path).email")
                if phone.isEmpty && email.isEmpty {
                    throw DocumentError(
                        at: path,
                        .l("give a phone number or an email address", "anna puhelinnumero tai sähköpostiosoite")
                    )
                }
                plan.contacts.append(
                    Contact(
                        kind: kind,
                        name: try fields.string(contact["name"], at: "\(path).name"),
                        phone: phone,
                        email: email
                    )
                )
            }
        }
        if let exercises = object["exercises"] {
            guard let list = exercises as? [Any] else {
                throw DocumentError(at: "exercises", .mustBeAList)
            }
            for (index, value) in list.enumerated() {
                let path = "exercises[\(index)]"
                let exercise = try fields.object(value, at: path)
                try fields.known(exercise, ["date", "description"], at: path + ".")
                let dateText = try fields.string(exercise["date"], at: "\(path).date")
                guard let date = UTCDay.parse(dateText) else {
                    throw DocumentError(at: "\(path).date", .notADate(dateText))
                }
                plan.exercises.append(
                    Exercise(
                        date: date,
                        description: try fields.string(exercise["description"], at: "\(path).description")
                    )
                )
            }
        }
        return plan
    }
}

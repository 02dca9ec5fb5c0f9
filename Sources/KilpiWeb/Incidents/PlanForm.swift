import Foundation
import KilpiCore
import KilpiStore

/// The response plan as a form: a row per role, contact and exercise, as typed. Blank rows are left out; what is
/// left becomes the plan document and goes through the same strict reader as the JSON editor, so both name their
/// problems alike, and a refused form comes back with everything that was typed.
struct PlanForm: Sendable, Equatable {
    struct Person: Sendable, Equatable {
        var name = "", phone = "", email = ""
        var isBlank: Bool { name.isEmpty && phone.isEmpty && email.isEmpty }
    }
    struct Contact: Sendable, Equatable {
        var kind = ResponsePlan.ContactKind.other.rawValue
        var person = Person()
    }
    struct Exercise: Sendable, Equatable {
        var date = "", description = ""
        var isBlank: Bool { date.isEmpty && description.isEmpty }
    }

    var roles: [IncidentRole: Person] = [:]
    var contacts: [Contact] = []
    var exercises: [Exercise] = []

    /// Blank rows offered for new contacts and exercises.
    static let blankContacts = 2
    static let blankExercises = 1

    init(plan: ResponsePlan) {
        roles = plan.roles.mapValues { Person(name: $0.name, phone: $0.phone, email: $0.email) }
        contacts = plan.contacts.map {
            Contact(kind: $0.kind.rawValue, person: Person(name: $0.name, phone: $0.phone, email: $0.email))
        }
        exercises = plan.exercises.map { Exercise(date: UTCDay.format($0.date), description: $0.description) }
    }

    /// Reads the submitted rows. Each column of a table arrives as a list in row order; lists of different
    /// lengths mean a tampered or broken form, refused whole.
    init(form: FormData) throws(IncidentError) {
        for role in IncidentRole.allCases {
            let person = Person(
                name: form["role.\(role.rawValue).name"] ?? "",
                phone: form["role.\(role.rawValue).phone"] ?? "",
                email: form["role.\(role.rawValue).email"] ?? ""
            )
            if !person.isBlank { roles[role] = person }
        }
        let kinds = form.values("contact.kind")
        let names = form.values("contact.name")
        let phones = form.values("contact.phone")
        let emails = form.values("contact.email")
        guard Set([kinds.count, names.count, phones.count, emails.count]).count == 1 else {
            throw IncidentError.invalid([
                FieldProblem(
                    "contacts",
                    .l(
                        "the contact rows arrived incomplete; reload the page and try again",
                        "yhteystietorivit saapuivat vajaina; lataa sivu uudelleen ja yritä uudestaan"
                    )
                )
            ])
        }
        contacts = kinds.indices.map {
            Contact(
                kind: Self.trim(kinds[$0]),
                person: Person(name: Self.trim(names[$0]), phone: Self.trim(phones[$0]), email: Self.trim(emails[$0]))
            )
        }
        .filter { !$0.person.isBlank }
        let dates = form.values("exercise.date")
        let descriptions = form.values("exercise.description")
        guard dates.count == descriptions.count else {
            throw IncidentError.invalid([
                FieldProblem(
                    "exercises",
                    .l(
                        "the exercise rows arrived incomplete; reload the page and try again",
                        "harjoitusrivit saapuivat vajaina; lataa sivu uudelleen ja yritä uudestaan"
                    )
                )
            ])
        }
        exercises = dates.indices.map { Exercise(date: Self.trim(dates[$0]), description: Self.trim(descriptions[$0])) }
            .filter { !$0.isBlank }
    }

    /// The plan document these rows make (JSON, as the JSON editor shows it).
    func document() -> String {
        func person(_ p: Person) -> [String: String] { ["name": p.name, "phone": p.phone, "email": p.email] }
        let object: [String: Any] = [
            "roles": Dictionary(uniqueKeysWithValues: roles.map { ($0.key.rawValue, person($0.value)) }),
            "contacts": contacts.map { person($0.person).merging(["kind": $0.kind]) { a, _ in a } },
            "exercises": exercises.map { ["date": $0.date, "description": $0.description] },
        ]
        let data =
            (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]))
            ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    private static func trim(_ text: String) -> String { text.trimmingCharacters(in: .whitespacesAndNewlines) }
}

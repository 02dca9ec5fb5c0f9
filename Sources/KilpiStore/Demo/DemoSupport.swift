import Foundation
import KilpiCore

/// The demo's support channel: an update for the Aurora incident's customers (written by the communicator,
/// published by the admin), and questions from three customers in Finnish, Swedish and English through the
/// public contact form (the real flow: a code for the address, then the question), one of them answered by the
/// agent. Seeds once (skipped when any inquiry exists or the demo incident is missing).
public enum DemoSupport {
    struct Question {
        let language: Language
        let text: String
        let reply: String?
    }

    static let questions: [Question] = [
        Question(
            language: .fi,
            text: "Sain ilmoituksen tietomurrosta. Pitääkö minun vaihtaa myös pankkitunnukseni?",
            reply:
                "Hei, kiitos kysymyksestä. Pankkitunnuksesi eivät olleet tiedoissa, joita murto koski, joten niitä ei tarvitse vaihtaa. Vaihda kuitenkin verkkokaupan salasana ja sama salasana muualta, jos olet käyttänyt sitä."
        ),
        Question(
            language: .sv,
            text: "Hur vet jag att mejlet om dataintrånget verkligen kommer från er?",
            reply: nil
        ),
        Question(
            language: .en,
            text: "Was my card number part of the breach? I shop with you every month.",
            reply: nil
        ),
    ]

    /// Returns how many inquiries were made.
    @discardableResult
    public static func seed(store: Store, now: Date) async throws -> Int {
        guard try await store.inquiries.count(InquiryFilter()) == 0,
            let incident = try await store.incidents.list(now: now, limit: 1).first?.incident
        else { return 0 }
        let staff = Dictionary(uniqueKeysWithValues: try await store.users.all().map { ($0.email, $0) })
        func caller(_ role: Role) -> Caller? {
            DemoData.staff.first { $0.role == role }.flatMap { staff[$0.email] }.map {
                Caller(.user($0.id), ip: "local")
            }
        }
        guard let admin = caller(.admin), let communicator = caller(.communicator), let agent = caller(.agent) else {
            return 0
        }
        if try await store.posts.all(incidentID: incident.id).isEmpty {
            let update = try await store.posts.draft(
                incidentID: incident.id,
                language: .en,
                title: "Every customer password has been reset",
                body:
                    "We closed the way in that the attacker used and reset every customer's password.\n\nWhen you next sign in, choose a new password. We will never ask for your password by email or phone.",
                by: communicator,
                now: now
            )
            _ = try await store.posts.publish(id: update.id, seen: update.writtenAt, by: admin, now: now)
        }
        let form = ContactFormService(store: store)
        let inquiries = InquiryService(store: store)
        var made = 0
        var remaining = questions
        for index in 1...200 where !remaining.isEmpty {
            guard let customer = try await store.customers.find(externalID: String(format: "AUR-%06d", index)),
                let email = customer.email,
                let position = remaining.firstIndex(where: { $0.language.rawValue == customer.language })
            else { continue }
            let question = remaining.remove(at: position)
            let verification = try await form.start(
                email: email,
                incidentID: incident.id,
                language: question.language,
                ip: "local",
                now: now
            )
            let receipt = try await form.submit(
                challenge: verification.challenge,
                code: verification.code,
                text: question.text,
                language: question.language,
                ip: "local",
                now: now
            )
            made += 1
            if let reply = question.reply {
                _ = try await inquiries.reply(inquiryID: receipt.inquiryID, text: reply, by: agent, now: now)
            }
        }
        return made
    }
}

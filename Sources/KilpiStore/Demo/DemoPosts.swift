import Foundation
import KilpiCore

/// The demo trust center's posts: two more updates on the demo incident (one in Finnish, and the investigation's
/// findings held until the demo campaign has reached 95 % of its recipients, or two days at the latest), a new
/// protection, and an advisory warning of fake notices. Written by the demo communicator and approved by the demo
/// admin (four eyes). Seeds once: skipped when any post other than the support demo's first update exists.
public enum DemoPosts {
    /// Returns how many posts were published.
    @discardableResult
    public static func seed(store: Store, now: Date) async throws -> Int {
        guard try await store.posts.all().count <= 1,
            let incident = try await store.incidents.list(now: now, limit: 1).first?.incident
        else { return 0 }
        let staff = Dictionary(uniqueKeysWithValues: try await store.users.all().map { ($0.email, $0) })
        func caller(_ role: Role) -> Caller? {
            DemoData.staff.first { $0.role == role }.flatMap { staff[$0.email] }.map {
                Caller(.user($0.id), ip: "local")
            }
        }
        guard let writer = caller(.communicator), let approver = caller(.admin) else { return 0 }
        let campaign = try await store.campaigns.list(incidentID: incident.id).first
        var inputs = [
            PostInput(
                kind: .incidentUpdate,
                incidentID: incident.id,
                language: .fi,
                title: "Kaikkien asiakkaiden salasanat on vaihdettu",
                body: """
                    Suljimme reitin, jota hyökkääjä käytti, ja vaihdoimme jokaisen asiakkaan salasanan.

                    Kun kirjaudut seuraavan kerran, valitse uusi salasana. **Emme koskaan kysy salasanaasi \
                    sähköpostilla tai puhelimessa.** Ohjeet huijausviestien tunnistamiseen löydät \
                    [oppaistamme](/guides/fake_breach_notices).
                    """
            ),
            PostInput(
                kind: .update,
                language: .en,
                title: "Two-step verification for every staff account",
                body: """
                    Every member of our staff now signs in with a second factor, and access to customer data is \
                    logged and reviewed weekly.

                    - Authenticator apps for all staff accounts
                    - Customer data access limited to the roles that need it
                    - An outside penetration test is booked for next month
                    """
            ),
            PostInput(
                kind: .advisory,
                language: .en,
                title: "Fake breach notices in our name",
                body: """
                    Criminals send fake notices after a breach is in the news. Ours never ask you to sign in and \
                    never contain a sign-in link. Check any notice's reference code on the page \
                    [Is this message from us?](/verify).
                    """,
                severity: .medium,
                products: "Email and text messages sent in the name of the web shop"
            ),
        ]
        if let campaign {
            inputs.append(
                PostInput(
                    kind: .incidentUpdate,
                    incidentID: incident.id,
                    language: .en,
                    title: "What our investigation found",
                    body: """
                        The attacker copied names, email addresses and order histories. Card numbers were not \
                        stored in the copied database. Each affected customer receives a personal notice listing \
                        exactly which of their data were involved.
                        """,
                    hold: PublicPost.Hold(campaignID: campaign.id, share: 95, until: now.addingTimeInterval(2 * 86_400))
                )
            )
        }
        for input in inputs {
            let draft = try await store.posts.draft(input, by: writer, now: now)
            _ = try await store.posts.publish(id: draft.id, seen: draft.writtenAt, by: approver, now: now)
        }
        return inputs.count
    }
}

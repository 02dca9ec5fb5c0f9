import Foundation
import KilpiCore

/// The trust center's front page at `/`: what a customer can do here after news of an incident (check that a
/// message is ours, ask about their notice), the certificates the company holds, and where to report a
/// vulnerability. Public, no JavaScript.
enum TrustCenterHomeViews {
    static func page(
        _ view: ViewContext,
        company: String,
        certificates: [Certificate],
        securityContacts: [String],
        incidents: [Incident] = [],
        latest: [PublicPost] = [],
        measures: [SecurityMeasure] = [],
        now: Date
    ) -> HTML {
        let current = certificates.filter { $0.status(now: now).isCurrent }
        let held: [HTML] = current.map { "<li>\($0.standard) <span class=\"muted\">(\($0.issuer))</span></li>" }
        // Checked at start already; checked again here because it becomes a link.
        let contacts: [HTML] = securityContacts.filter { SecurityTxt.problem(contact: $0) == nil }.map { contact in
            let shown = contact.lowercased().hasPrefix("mailto:") ? String(contact.dropFirst(7)) : contact
            return "<li><a href=\"\(contact)\" rel=\"nofollow\">\(shown)</a></li>"
        }
        let incidentItems: [HTML] = incidents.map { incident in
            """
            <li><a href="\(Routes.publicIncident.path(id: incident.id))">\(PostPublicViews.incidentTitle(incident, view))</a>: \(PostPublicViews.statusText(incident.status, view))</li>
            """
        }
        let body: HTML = """
            <h1>\(view.l("Trust center", "Luottamuskeskus"))</h1>
            <p>\(view.l(
                "How \(company) protects your data, and how you can check that a message is really from us.",
                "Miten \(company) suojaa tietojasi ja miten voit tarkistaa, että viesti on todella meiltä."))</p>
            \(measures.isEmpty ? .empty : MeasurePublicViews.posture(measures, view))
            \(incidentItems.isEmpty ? .empty : """
                <section aria-labelledby="incidents" class="notice">
                <h2 id="incidents">\(view.l("Current incidents", "Ajankohtaiset poikkeamat"))</h2>
                <ul>\(incidentItems)</ul>
                </section>
                """ as HTML)
            <section aria-labelledby="latest">
            <h2 id="latest"><a href="\(Routes.publicUpdates.path())">\(view.l("Latest updates", "Uusimmat päivitykset"))</a></h2>
            \(PostPublicViews.list(latest, view, empty: view.l("Nothing has been published yet.", "Mitään ei ole vielä julkaistu."), level: 3))
            <p><a href="\(Routes.publicAdvisories.path())">\(view.l("Security advisories", "Tietoturvatiedotteet"))</a> · <a href="\(Routes.publicGuides.path())">\(view.l("Guides", "Oppaat"))</a> · <a href="\(Routes.feedUpdates.path())">Atom</a></p>
            </section>
            <section aria-labelledby="check">
            <h2 id="check"><a href="\(Routes.verifyNotice.path())">\(view.l("Is this message from us?", "Onko tämä viesti meiltä?"))</a></h2>
            <p>\(view.l(
                "Every notice we send carries its own reference code. Type it here to see whether we sent it, and learn how to recognise a fake.",
                "Jokaisessa lähettämässämme ilmoituksessa on oma viitekoodinsa. Kirjoita se tänne, niin näet, lähetimmekö sen, ja opi tunnistamaan väärennös."))</p>
            </section>
            <section aria-labelledby="support">
            <h2 id="support"><a href="\(Routes.supportHome.path())">\(view.l("Questions about our notice", "Kysymyksiä ilmoituksestamme"))</a></h2>
            <p>\(view.l(
                "Open your own page with the code and your email address: what happened, which of your data were involved, what you can do, and a way to ask us.",
                "Avaa oma sivusi koodilla ja sähköpostiosoitteellasi: mitä tapahtui, mitä tietojasi asia koski, mitä voit tehdä ja miten voit kysyä meiltä."))</p>
            </section>
            <section aria-labelledby="certificates">
            <h2 id="certificates"><a href="\(Routes.publicCertificates.path())">\(view.t(.certificates))</a></h2>
            \(held.isEmpty ? "<p>\(view.l("No certificate is listed yet.", "Sertifikaatteja ei ole vielä lueteltu."))</p>" as HTML : "<ul>\(held)</ul>")
            </section>
            \(contacts.isEmpty ? .empty : """
                <section aria-labelledby="report">
                <h2 id="report">\(view.l("Report a vulnerability", "Ilmoita haavoittuvuudesta"))</h2>
                <ul>\(contacts)</ul>
                <p class="muted"><a href="\(Routes.securityTxt.path())">security.txt</a></p>
                </section>
                """ as HTML)
            """
        return PublicLayout.page(
            view.l("Trust center", "Luottamuskeskus"),
            view,
            company: company,
            section: view.l("Trust center", "Luottamuskeskus"),
            home: Routes.root.path(),
            bodyClass: "trust",
            feed: Routes.feedUpdates.path(),
            body: body
        )
    }
}

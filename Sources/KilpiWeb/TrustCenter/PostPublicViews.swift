import Foundation
import KilpiCore
import KilpiMarkdown
import KilpiStore

/// The trust center's posts for the public: the updates list, one post with its correction history, the
/// advisories, an incident's public page (its status and update timeline) and the guides. Public, no
/// JavaScript; each page links its Atom feed in `<head>`.
enum PostPublicViews {
    struct Frame {
        let view: ViewContext
        let company: String
    }

    // MARK: Updates

    static func updates(_ frame: Frame, _ posts: [PublicPost]) -> HTML {
        let view = frame.view
        let (own, other) = split(posts, view.language)
        var body: HTML = """
            <h1>\(view.l("Updates", "Päivitykset"))</h1>
            <p>\(view.l(
                "What we have done to protect your data, and what we say about incidents, newest first.",
                "Mitä olemme tehneet tietojesi suojaamiseksi ja mitä kerromme poikkeamista, uusimmat ensin."))
            <a href="\(Routes.feedUpdates.path())">\(view.l("Follow with a feed reader (Atom)", "Seuraa syötteenlukijalla (Atom)"))</a></p>
            \(list(own, view, empty: view.l("Nothing has been published yet.", "Mitään ei ole vielä julkaistu.")))
            """
        if !other.isEmpty {
            body = """
                \(body)
                <h2>\(view.l("In other languages", "Muilla kielillä"))</h2>
                \(list(other, view, empty: ""))
                """
        }
        return page(view.l("Updates", "Päivitykset"), frame, feed: Routes.feedUpdates.path(), body: body)
    }

    static func post(_ frame: Frame, _ post: PublicPost, history: [PostRevision], incident: Incident?) -> HTML {
        let view = frame.view
        var meta: [HTML] = [
            "<span class=\"badge\">\(kindName(post.kind, view))</span>",
            "<time datetime=\"\(iso(post.releasedAt))\">\(day(post.releasedAt, view))</time>",
        ]
        if let severity = post.severity {
            meta.append("<span class=\"badge severity-\(severity.rawValue)\">\(severityName(severity, view))</span>")
        }
        var notes: [HTML] = []
        if let products = post.products {
            notes.append("<p><strong>\(view.l("Affects", "Koskee"))</strong>: \(products)</p>")
        }
        if let incident {
            notes.append(
                "<p><a href=\"\(Routes.publicIncident.path(id: incident.id))\">\(view.l("All updates on this incident", "Kaikki tämän poikkeaman päivitykset"))</a></p>"
            )
        }
        if let at = post.correctedAt {
            notes.append(
                """
                <p class="notice" role="note"><strong>\(view.l("Corrected", "Korjattu")) \(NoticeDate.day(at, view.language))</strong>: \(post.correctionNote ?? "")</p>
                """
            )
        }
        let earlier: [HTML] = history.map { revision in
            """
            <details><summary>\(view.l("Version", "Versio")) \(revision.revision): \(revision.title) (\(NoticeDate.day(revision.publishedAt, view.language)) – \(NoticeDate.day(revision.replacedAt, view.language)))</summary>
            <div class="markdown">\(HTML(unsafeRaw: PublicMarkdown.html(revision.body)))</div></details>
            """
        }
        let body: HTML = """
            <article lang="\(post.language.rawValue)">
            <h1>\(post.title)</h1>
            <p class="muted">\(HTML(unsafeRaw: meta.map(\.rendered).joined(separator: " · ")))</p>
            \(notes)
            <div class="markdown">\(HTML(unsafeRaw: PublicMarkdown.html(post.body)))</div>
            </article>
            \(earlier.isEmpty ? .empty : "<section aria-labelledby=\"history\"><h2 id=\"history\">\(view.l("Earlier versions", "Aiemmat versiot"))</h2>\(earlier)</section>" as HTML)
            """
        let feed = post.kind == .advisory ? Routes.feedAdvisories.path() : Routes.feedUpdates.path()
        return page(post.title, frame, feed: feed, body: body)
    }

    // MARK: Advisories

    static func advisories(_ frame: Frame, _ posts: [PublicPost]) -> HTML {
        let view = frame.view
        let (own, other) = split(posts, view.language)
        let body: HTML = """
            <h1>\(view.l("Security advisories", "Tietoturvatiedotteet"))</h1>
            <p>\(view.l(
                "Short notes on security problems in what we offer, how serious they are and what to do.",
                "Lyhyitä tiedotteita palvelujemme tietoturvaongelmista, niiden vakavuudesta ja siitä, mitä tehdä."))
            <a href="\(Routes.feedAdvisories.path())">\(view.l("Follow with a feed reader (Atom)", "Seuraa syötteenlukijalla (Atom)"))</a></p>
            \(list(own + other, view, empty: view.l("No advisory has been published.", "Tiedotteita ei ole julkaistu.")))
            """
        return page(
            view.l("Security advisories", "Tietoturvatiedotteet"),
            frame,
            feed: Routes.feedAdvisories.path(),
            body: body
        )
    }

    // MARK: An incident

    static func incident(_ frame: Frame, _ incident: Incident, _ posts: [PublicPost]) -> HTML {
        let view = frame.view
        let title = incidentTitle(incident, view)
        let timeline: [HTML] = posts.map { post in
            """
            <li lang="\(post.language.rawValue)"><article>
            <h2><a href="\(Routes.publicUpdate.path(id: post.id))">\(post.title)</a></h2>
            <p class="muted"><span class="badge">\(kindName(post.kind, view))</span> · <time datetime="\(iso(post.releasedAt))">\(day(post.releasedAt, view))</time>\(post.correctedAt == nil ? .empty : " · \(view.l("corrected", "korjattu"))" as HTML)</p>
            <div class="markdown">\(HTML(unsafeRaw: PublicMarkdown.html(post.body)))</div>
            </article></li>
            """
        }
        let guide = incident.kinds.compactMap(GuideTopic.init(threat:)).first
        let body: HTML = """
            <h1>\(title)</h1>
            <p class="status"><strong>\(view.l("Status", "Tila"))</strong>: \(statusText(incident.status, view))</p>
            \(guide.map { "<p><a href=\"\(Routes.publicGuide.path(["id": $0.rawValue]))\">\(view.l("Guide", "Opas")): \(ShippedGuides.guide($0, view.language).title)</a></p>" as HTML } ?? .empty)
            <p><a href="\(Routes.feedIncident.path(id: incident.id))">\(view.l("Follow this incident with a feed reader (Atom)", "Seuraa tätä poikkeamaa syötteenlukijalla (Atom)"))</a></p>
            <ol class="posts timeline">\(timeline)</ol>
            """
        return page(title, frame, feed: Routes.feedIncident.path(id: incident.id), body: body)
    }

    /// An incident's public name: its kinds and the day it was declared, never its internal title.
    static func incidentTitle(_ incident: Incident, _ view: ViewContext) -> String {
        let kinds = NoticeText.list(incident.kinds.map { $0.name(view.language) }, view.language)
        return "\(kinds), \(NoticeDate.day(incident.declaredAt, view.language))"
    }

    /// The status in plain words for customers.
    static func statusText(_ status: IncidentStatus, _ view: ViewContext) -> String {
        switch status {
        case .detected, .analysing:
            view.l("We are investigating what happened.", "Selvitämme, mitä tapahtui.")
        case .contained:
            view.l(
                "Contained: the attack has been stopped; we are removing its cause.",
                "Rajattu: hyökkäys on pysäytetty, ja poistamme sen syytä."
            )
        case .eradicated:
            view.l(
                "The cause has been removed; we are restoring our services.",
                "Syy on poistettu, ja palautamme palvelujamme."
            )
        case .recovered:
            view.l(
                "Our services are restored; we keep watching closely.",
                "Palvelumme on palautettu, ja seuraamme tilannetta tarkasti."
            )
        case .closed:
            view.l(
                "Closed: the response is over and its lessons are being put into practice.",
                "Päättynyt: käsittely on ohi, ja sen opit otetaan käyttöön."
            )
        case .falsePositive:
            view.l(
                "After investigation, this was not an incident.",
                "Selvityksen jälkeen tämä ei ollut tietoturvapoikkeama."
            )
        }
    }

    // MARK: Guides

    struct GuideEntry {
        let topic: GuideTopic
        let title: String
        let summary: String
        let language: Language
    }

    static func guides(_ frame: Frame, _ entries: [GuideEntry]) -> HTML {
        let view = frame.view
        let items: [HTML] = entries.map { entry in
            """
            <li lang="\(entry.language.rawValue)"><h2><a href="\(Routes.publicGuide.path(["id": entry.topic.rawValue]))">\(entry.title)</a></h2>
            <p>\(entry.summary)</p></li>
            """
        }
        let body: HTML = """
            <h1>\(view.l("Guides", "Oppaat"))</h1>
            <p>\(view.l(
                "How to recognise attacks and what to do if one reaches you.",
                "Miten tunnistat hyökkäykset ja mitä teet, jos sellainen osuu kohdallesi."))</p>
            <ul class="guides">\(items)</ul>
            """
        return page(view.l("Guides", "Oppaat"), frame, feed: nil, body: body)
    }

    static func guide(_ frame: Frame, title: String, markdown: String, language: Language, updated: Date?) -> HTML {
        let view = frame.view
        let body: HTML = """
            <article lang="\(language.rawValue)">
            <h1>\(title)</h1>
            \(updated.map { "<p class=\"muted\">\(view.l("Updated", "Päivitetty")) <time datetime=\"\(iso($0))\">\(NoticeDate.day($0, view.language))</time></p>" as HTML } ?? .empty)
            <div class="markdown">\(HTML(unsafeRaw: PublicMarkdown.html(markdown)))</div>
            </article>
            <p><a href="\(Routes.publicGuides.path())">\(view.l("All guides", "Kaikki oppaat"))</a> · <a href="\(Routes.verifyNotice.path())">\(view.l("Is this message from us?", "Onko tämä viesti meiltä?"))</a></p>
            """
        return page(title, frame, feed: nil, body: body)
    }

    // MARK: Parts

    /// Posts in the reader's language, and the rest.
    static func split(_ posts: [PublicPost], _ language: Language) -> ([PublicPost], [PublicPost]) {
        (posts.filter { $0.language == language }, posts.filter { $0.language != language })
    }

    /// Each post's title is a heading of `level` (3 under a section's h2).
    static func list(_ posts: [PublicPost], _ view: ViewContext, empty: String, level: Int = 2) -> HTML {
        guard !posts.isEmpty else { return empty.isEmpty ? .empty : "<p>\(empty)</p>" }
        let items: [HTML] = posts.map { post in
            var badges: [HTML] = ["<span class=\"badge\">\(kindName(post.kind, view))</span>"]
            if let severity = post.severity {
                badges.append(
                    "<span class=\"badge severity-\(severity.rawValue)\">\(severityName(severity, view))</span>"
                )
            }
            return """
                <li lang="\(post.language.rawValue)"><article>
                <h\(level)><a href="\(Routes.publicUpdate.path(id: post.id))">\(post.title)</a></h\(level)>
                <p class="muted">\(HTML(unsafeRaw: badges.map(\.rendered).joined(separator: " "))) <time datetime="\(iso(post.releasedAt))">\(day(post.releasedAt, view))</time>\(post.correctedAt == nil ? .empty : " · \(view.l("corrected", "korjattu"))" as HTML)</p>
                <p>\(PublicMarkdown.excerpt(post.body))</p>
                </article></li>
                """
        }
        return "<ol class=\"posts\">\(items)</ol>"
    }

    static func kindName(_ kind: PublicPost.Kind, _ view: ViewContext) -> String {
        switch kind {
        case .update: view.l("Update", "Päivitys")
        case .incidentUpdate: view.l("Incident update", "Poikkeamatiedote")
        case .advisory: view.l("Advisory", "Tietoturvatiedote")
        case .publicCommunication: view.l("Public notice", "Julkinen ilmoitus")
        case .guide: view.l("Guide", "Opas")
        }
    }

    static func severityName(_ severity: PublicPost.Severity, _ view: ViewContext) -> String {
        switch severity {
        case .low: view.l("Low", "Matala")
        case .medium: view.l("Medium", "Keskitaso")
        case .high: view.l("High", "Korkea")
        case .critical: view.l("Critical", "Kriittinen")
        }
    }

    static func day(_ date: Date?, _ view: ViewContext) -> String {
        date.map { NoticeDate.day($0, view.language) } ?? ""
    }

    static func iso(_ date: Date?) -> String {
        date.map { NoticeDate.minute($0) + "Z" } ?? ""
    }

    static func page(_ title: String, _ frame: Frame, feed: String?, body: HTML) -> HTML {
        PublicLayout.page(
            title,
            frame.view,
            company: frame.company,
            section: frame.view.l("Trust center", "Luottamuskeskus"),
            home: Routes.root.path(),
            bodyClass: "trust",
            feed: feed,
            body: body
        )
    }
}

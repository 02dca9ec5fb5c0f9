import Foundation
import KilpiCore
import KilpiStore

/// The public security measures register: what the company does, by area, each with its status and when it was
/// last reviewed; assessments and tests with the day they were carried out and how many findings are closed.
/// Owners, due days and evidence stay in the console.
enum MeasurePublicViews {
    static func page(_ frame: PostPublicViews.Frame, _ measures: [SecurityMeasure]) -> HTML {
        let view = frame.view
        let sections: [HTML] = SecurityMeasure.Area.allCases.compactMap { area in
            let entries = measures.filter { $0.area == area }
            guard !entries.isEmpty else { return nil }
            let items: [HTML] = entries.map { entry($0, view) }
            return """
                <section aria-labelledby="area-\(area.rawValue)">
                <h2 id="area-\(area.rawValue)">\(area.name(view.language))</h2>
                <ul class="measures">\(items)</ul>
                </section>
                """
        }
        return PostPublicViews.page(
            view.t(.securityMeasures),
            frame,
            feed: nil,
            body: """
                <h1>\(view.t(.securityMeasures))</h1>
                <p>\(view.l(
                    "What \(frame.company) does to protect your data, and where each measure stands.",
                    "Mitä \(frame.company) tekee tietojesi suojaamiseksi ja missä vaiheessa kukin toimi on."
                ))</p>
                \(sections.isEmpty ? "<p>\(view.l("No measure is listed yet.", "Toimia ei ole vielä lueteltu."))</p>" as HTML : sections.joined())
                <p class="muted"><a href="\(Routes.publicCertificates.path())">\(view.t(.certificates))</a> · <a href="\(Routes.publicMeasuresAPI.path())">JSON</a></p>
                """
        )
    }

    static func entry(_ measure: SecurityMeasure, _ view: ViewContext) -> HTML {
        let lang: HTML = measure.language == view.language ? .empty : " lang=\"\(measure.language.tag)\""
        var facts: [HTML] = [
            "<span class=\"badge \(badgeClass(measure.status))\">\(measure.status.name(view.language))</span>"
        ]
        if let reviewed = measure.lastReviewedOn {
            facts.append("\(view.l("last reviewed", "tarkistettu viimeksi")) \(PostPublicViews.day(reviewed, view))")
        }
        if let performed = measure.performedOn {
            facts.append("\(view.l("last carried out", "tehty viimeksi")) \(PostPublicViews.day(performed, view))")
        }
        if let findings = measure.findings {
            facts.append(
                "\(view.l("findings closed", "havainnoista suljettu")) \(findings.closed) / \(findings.total)"
            )
        }
        return """
            <li id="measure-\(measure.id)"><h3\(lang)>\(measure.title)</h3>
            <p\(lang)>\(SupportLayout.text(measure.summary))</p>
            <p class="meta">\(HTML(unsafeRaw: facts.map(\.rendered).joined(separator: " · ")))</p></li>
            """
    }

    static func badgeClass(_ status: SecurityMeasure.Status) -> String {
        switch status {
        case .inPlace: "ok"
        case .inProgress: "warn"
        case .planned: ""
        }
    }

    /// The home page's one line on the register: how many measures are in place and how many under way.
    static func posture(_ measures: [SecurityMeasure], _ view: ViewContext) -> HTML {
        let inPlace = measures.filter { $0.status == .inPlace }.count
        let underWay = measures.count - inPlace
        return """
            <p>\(view.l(
                "Security measures: \(inPlace) in place, \(underWay) planned or in progress.",
                "Suojaustoimet: \(inPlace) käytössä, \(underWay) suunnitteilla tai käynnissä."
            )) <a href="\(Routes.publicMeasures.path())">\(view.l("See what we do", "Katso, mitä teemme"))</a></p>
            """
    }
}

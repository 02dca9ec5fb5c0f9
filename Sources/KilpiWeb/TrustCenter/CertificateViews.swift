import Foundation
import KilpiCore

/// The certificates register: the console's list with a form per certificate, the public list, and the
/// dashboard's reminder of those about to expire.
enum CertificateViews {
    /// What a form holds: the typed text, so a refused form comes back as it was sent.
    struct Form: Sendable, Equatable {
        var standard = ""
        var issuer = ""
        var scope = ""
        var validFrom = ""
        var validUntil = ""
        var published = false

        init() {}

        init(_ certificate: Certificate) {
            standard = certificate.standard
            issuer = certificate.issuer
            scope = certificate.scope
            validFrom = day(certificate.validFrom)
            validUntil = day(certificate.validUntil)
            published = certificate.published
        }

        init(_ form: FormData) {
            standard = String((form["standard"] ?? "").prefix(CertificateInput.textLimit * 2))
            issuer = String((form["issuer"] ?? "").prefix(CertificateInput.textLimit * 2))
            scope = String((form["scope"] ?? "").prefix(CertificateInput.scopeLimit * 2))
            validFrom = String((form["valid_from"] ?? "").prefix(40))
            validUntil = String((form["valid_until"] ?? "").prefix(40))
            published = form["published"] == "on"
        }

        var checked: (input: CertificateInput?, problems: [FieldProblem]) {
            CertificateInput.checked(
                standard: standard,
                issuer: issuer,
                scope: scope,
                validFrom: validFrom,
                validUntil: validUntil,
                published: published
            )
        }
    }

    static func day(_ date: Date) -> String { String(NoticeDate.minute(date).prefix(10)) }

    // MARK: Console

    static func register(
        _ view: ViewContext,
        _ certificates: [Certificate],
        now: Date,
        editing: (id: Int64?, form: Form, problems: [FieldProblem])? = nil
    ) -> HTML {
        let rows: [HTML] = certificates.map { certificate in
            let form = editing?.id == certificate.id ? editing!.form : Form(certificate)
            let problems = editing?.id == certificate.id ? editing!.problems : []
            return """
                <li id="certificate-\(certificate.id)"><article>
                <h3>\(certificate.standard) \(badge(certificate.status(now: now), view))\(certificate.published ? " <span class=\"badge\">\(view.l("public", "julkinen"))</span>" as HTML : .empty)</h3>
                <p>\(certificate.issuer) · \(day(certificate.validFrom)) – \(day(certificate.validUntil))</p>
                <details\(problems.isEmpty ? .empty : " open" as HTML)><summary>\(view.l("Edit", "Muokkaa"))</summary>
                \(fields(view, form, problems, action: Routes.certificateUpdate.path(id: certificate.id), button: view.l("Save", "Tallenna")))
                <form method="post" action="\(Routes.certificateRemove.path(id: certificate.id))" class="inline">\(view.csrfField)<button type="submit">\(view.l("Remove from the register", "Poista rekisteristä"))</button></form>
                </details>
                </article></li>
                """
        }
        let newForm = editing?.id == nil ? editing?.form ?? Form() : Form()
        let newProblems = editing?.id == nil ? editing?.problems ?? [] : []
        return Layout.page(
            view.t(.certificates),
            view,
            body: """
                <h1>\(view.t(.certificates))</h1>
                <p class="muted">\(view.l(
                    "What the company is certified for. Those marked public are listed on the trust center's certificates page, expired ones marked as such; admins are reminded on the dashboard 30 days before a certificate's last valid day.",
                    "Mitä varten yrityksellä on sertifikaatti. Julkisiksi merkityt näkyvät luottamuskeskuksen sertifikaattisivulla, vanhentuneet sellaisiksi merkittyinä; ylläpitäjiä muistutetaan etusivulla 30 päivää ennen sertifikaatin viimeistä voimassaolopäivää."
                ))</p>
                \(rows.isEmpty ? "<p>\(view.l("No certificate yet.", "Sertifikaatteja ei vielä ole."))</p>" as HTML : "<ol class=\"posts\">\(rows)</ol>")
                <h2>\(view.l("Add a certificate", "Lisää sertifikaatti"))</h2>
                \(fields(view, newForm, newProblems, action: Routes.certificateCreate.path(), button: view.l("Add", "Lisää")))
                """
        )
    }

    static func fields(
        _ view: ViewContext,
        _ form: Form,
        _ problems: [FieldProblem],
        action: String,
        button: String
    )
        -> HTML
    {
        """
        \(Layout.errors(problems.map { $0.description(in: view.language) }))
        <form method="post" action="\(action)" class="stack">\(view.csrfField)
        <label>\(view.l("Standard", "Standardi"))<input name="standard" value="\(form.standard)" required maxlength="\(CertificateInput.textLimit)" placeholder="ISO/IEC 27001:2022"></label>
        <label>\(view.l("Issued by", "Myöntäjä"))<input name="issuer" value="\(form.issuer)" required maxlength="\(CertificateInput.textLimit)"></label>
        <label>\(view.l("Scope", "Soveltamisala"))<textarea name="scope" required maxlength="\(CertificateInput.scopeLimit)" rows="2">\(form.scope)</textarea></label>
        <label>\(view.l("Valid from", "Voimassa alkaen"))<input name="valid_from" type="date" value="\(form.validFrom)" required></label>
        <label>\(view.l("Valid until (last day)", "Voimassa asti (viimeinen päivä)"))<input name="valid_until" type="date" value="\(form.validUntil)" required></label>
        <label><input name="published" type="checkbox"\(form.published ? " checked" as HTML : .empty)> \(view.l("Show on the trust center", "Näytä luottamuskeskuksessa"))</label>
        <button type="submit">\(button)</button>
        </form>
        """
    }

    static func badge(_ status: Certificate.Status, _ view: ViewContext) -> HTML {
        switch status {
        case .valid: "<span class=\"badge ok\">\(view.l("valid", "voimassa"))</span>"
        case .expiringSoon(let days):
            "<span class=\"badge warn\">\(expiry(days, view))</span>"
        case .expired: "<span class=\"badge bad\">\(view.l("expired", "vanhentunut"))</span>"
        case .notYetValid: "<span class=\"badge\">\(view.l("not yet valid", "ei vielä voimassa"))</span>"
        }
    }

    static func expiry(_ days: Int, _ view: ViewContext) -> String {
        switch days {
        case 0: view.l("last valid day today", "viimeinen voimassaolopäivä tänään")
        case 1: view.l("expires after tomorrow", "vanhenee huomisen jälkeen")
        default: view.l("expires in \(days) days", "vanhenee \(days) päivän kuluttua")
        }
    }

    /// The dashboard's reminder: certificates whose last valid day is near, for those who keep the register.
    static func reminder(_ view: ViewContext, _ expiring: [Certificate], now: Date) -> HTML {
        guard !expiring.isEmpty, view.may(Routes.certificates) else { return .empty }
        let items: [HTML] = expiring.map { certificate in
            "<li><a href=\"\(Routes.certificates.path())#certificate-\(certificate.id)\">\(certificate.standard)</a> · \(certificate.issuer) · \(view.l("last valid day", "viimeinen voimassaolopäivä")) \(day(certificate.validUntil)) \(badge(certificate.status(now: now), view))</li>"
        }
        return """
            <section class="notice warn" role="status"><h2>\(view.l("Certificates about to expire", "Pian vanhenevat sertifikaatit"))</h2><ul>\(items)</ul></section>
            """
    }

    // MARK: Public

    static func publicPage(_ view: ViewContext, company: String, _ certificates: [Certificate], now: Date) -> HTML {
        let items: [HTML] = certificates.map { certificate in
            let status = certificate.status(now: now)
            let state: HTML =
                switch status {
                case .valid, .expiringSoon: "<span class=\"badge ok\">\(view.l("valid", "voimassa"))</span>"
                case .expired: "<span class=\"badge bad\">\(view.l("expired", "vanhentunut"))</span>"
                case .notYetValid: "<span class=\"badge\">\(view.l("not yet valid", "ei vielä voimassa"))</span>"
                }
            return """
                <li><article>
                <h2>\(certificate.standard) \(state)</h2>
                <dl>
                <dt>\(view.l("Issued by", "Myöntäjä"))</dt><dd>\(certificate.issuer)</dd>
                <dt>\(view.l("Scope", "Soveltamisala"))</dt><dd>\(certificate.scope)</dd>
                <dt>\(view.l("Valid", "Voimassa"))</dt><dd><time datetime="\(day(certificate.validFrom))">\(day(certificate.validFrom))</time> – <time datetime="\(day(certificate.validUntil))">\(day(certificate.validUntil))</time></dd>
                </dl>
                </article></li>
                """
        }
        let body: HTML = """
            <h1>\(view.t(.certificates))</h1>
            <p>\(view.l(
                "The certificates and attestations we hold: who issued each, what it covers and for how long.",
                "Sertifikaatit ja todistukset, jotka meillä on: kuka kunkin myönsi, mitä se kattaa ja kuinka pitkään."
            ))</p>
            \(items.isEmpty ? "<p>\(view.l("No certificate is listed yet.", "Sertifikaatteja ei ole vielä lueteltu."))</p>" as HTML : "<ul class=\"posts\">\(items)</ul>")
            """
        return PublicLayout.page(
            view.t(.certificates),
            view,
            company: company,
            section: view.l("Trust center", "Luottamuskeskus"),
            home: Routes.root.path(),
            bodyClass: "trust",
            body: body
        )
    }
}

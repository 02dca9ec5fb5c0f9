import Foundation
import KilpiCore
import KilpiStore

/// The notice templates: one row per template key × language, with its versions, who wrote and who approved each.
extension NoticeViews {
    struct TemplateListPage {
        struct Row {
            let key: String
            let language: Language
            /// Newest first; empty when nothing was saved for this key and language.
            let versions: [NoticeTemplateVersion]
        }
        let rows: [Row]
        /// Actor (`user:3`) → display name.
        let names: [String: String]
    }

    /// Every key × language, with what is saved for each, in the order people look for them.
    static func templateRows(_ versions: [NoticeTemplateVersion]) -> [TemplateListPage.Row] {
        NoticeTemplateVersion.keys.flatMap { key in
            Language.allCases.map { language in
                TemplateListPage.Row(
                    key: key,
                    language: language,
                    versions: versions.filter { $0.key == key && $0.language == language }.sorted {
                        $0.version > $1.version
                    }
                )
            }
        }
    }

    static func editLink(key: String, language: Language, version: Int? = nil) -> String {
        var query = "?key=\(key)&language=\(language.rawValue)"
        if let version { query += "&version=\(version)" }
        return Routes.noticeTemplateEdit.path() + query
    }

    static func templates(_ view: ViewContext, _ page: TemplateListPage) -> HTML {
        let rows: [HTML] = page.rows.map { row in
            let latest = row.versions.first
            let approved = row.versions.first { $0.isApproved }
            let history: [HTML] = row.versions.map { version in
                let approval: HTML =
                    version.isApproved
                    ? "\(view.l("approved by", "hyväksyjä")) \(actorName(version.approvedBy, page.names)) \(FormTime.show(version.approvedAt))"
                    : "<strong>\(view.l("draft", "luonnos"))</strong>"
                return
                    "<li><a href=\"\(editLink(key: row.key, language: row.language, version: version.version))\">v\(version.version)</a> · \(view.l("written by", "kirjoittaja")) \(actorName(version.createdBy, page.names)) \(FormTime.show(version.createdAt)) · \(approval)</li>"
            }
            let state: HTML =
                latest == nil
                ? "<span class=\"muted\">\(view.l("none yet", "ei vielä"))</span>"
                : approved == nil
                    ? "<span class=\"bad\">\(view.l("not approved", "ei hyväksytty"))</span>"
                    : "v\(approved!.version) \(view.l("approved", "hyväksytty"))\(latest!.isApproved ? .empty : " · v\(latest!.version) \(view.l("awaits approval", "odottaa hyväksyntää"))" as HTML)"
            return """
                <tr><td>\(keyName(row.key, view))</td><td lang="\(row.language.tag)">\(row.language.name)</td><td>\(state)</td>
                <td>\(row.versions.isEmpty ? .empty : "<details><summary>\(row.versions.count) \(view.l("version(s)", "versio(ta)"))</summary><ul class=\"compact\">\(history)</ul></details>" as HTML)</td>
                <td><a href="\(editLink(key: row.key, language: row.language))">\(view.may(Routes.noticeTemplateSave) ? view.l("Edit", "Muokkaa") : view.l("Open", "Avaa"))</a></td></tr>
                """
        }
        return Layout.page(
            view.l("Notice templates", "Ilmoituspohjat"),
            view,
            wide: true,
            body: """
                <h1>\(view.l("Notice templates", "Ilmoituspohjat"))</h1>
                <p>\(view.l("A campaign sends each customer the newest approved version for the incident's threat kind in their language, else the general one; a customer whose language has none gets English. Every saved version is a draft until someone other than its writer approves it.", "Kampanja lähettää kullekin asiakkaalle uusimman hyväksytyn version tapauksen uhkatyypin pohjasta hänen kielellään, muuten yleisestä pohjasta; asiakas, jonka kielellä pohjaa ei ole, saa englanninkielisen. Jokainen tallennettu versio on luonnos, kunnes joku muu kuin sen kirjoittaja hyväksyy sen."))</p>
                <table><thead><tr><th>\(view.l("Template", "Pohja"))</th><th>\(view.t(.language))</th><th>\(view.t(.status))</th><th>\(view.l("Versions", "Versiot"))</th><th></th></tr></thead>
                <tbody>\(rows)</tbody></table>
                """
        )
    }
}

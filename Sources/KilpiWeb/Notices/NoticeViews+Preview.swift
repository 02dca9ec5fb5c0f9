import Foundation
import KilpiCore
import KilpiStore

/// A template version rendered as one affected customer would get it. The HTML part is company-edited markup: it is
/// never put into the console page itself, only into a sandboxed frame (`sandbox` with no permissions: no scripts,
/// no forms, no top navigation, an origin of its own) and shown as escaped source.
extension NoticeViews {
    struct PreviewPage {
        let version: NoticeTemplateVersion
        let incident: Incident
        let externalID: String
        /// The customer's own language (the preview is in the version's).
        let language: Language
        let subject: String
        let text: String
        let html: String
        /// The reference code shown is a sample: each real notice gets its own.
        let sampleCode: String
    }

    static func preview(_ view: ViewContext, _ page: PreviewPage) -> HTML {
        let title = "\(view.l("Preview", "Esikatselu")) · \(keyName(page.version.key, view)) v\(page.version.version)"
        return Layout.page(
            title,
            view,
            wide: true,
            body: """
                <p class="muted"><a href="\(Routes.noticeTemplates.path())">\(view.l("Notice templates", "Ilmoituspohjat"))</a> › <a href="\(editLink(key: page.version.key, language: page.version.language, version: page.version.version))">\(keyName(page.version.key, view)) · \(page.version.language.name) v\(page.version.version)</a></p>
                <h1>\(title)</h1>
                <p>\(view.l("As customer", "Asiakkaana")) <strong>\(page.externalID)</strong> · \(page.incident.reference) · <span lang="\(page.version.language.tag)">\(page.version.language.name)</span> · \(view.l("sample reference code", "esimerkkiviitekoodi")) \(page.sampleCode)</p>
                \(page.language != page.version.language ? Layout.notice("info", view.l("This customer's language is \(page.language.name): a campaign sends them this version only when no approved template exists in their own language.", "Tämän asiakkaan kieli on \(page.language.name): kampanja lähettää hänelle tämän version vain, jos hänen omalla kielellään ei ole hyväksyttyä pohjaa.")) : .empty)
                <h2>\(view.l("Subject", "Aihe"))</h2>
                <p lang="\(page.version.language.tag)"><strong>\(page.subject)</strong></p>
                <h2>\(view.l("Plain text", "Pelkkä teksti"))</h2>
                <pre class="code prewrap" lang="\(page.version.language.tag)">\(page.text)</pre>
                <h2>HTML</h2>
                <iframe sandbox srcdoc="\(page.html)" title="\(view.l("The HTML part, sandboxed", "HTML-osa eristettynä"))" width="100%" height="640" referrerpolicy="no-referrer"></iframe>
                <details><summary>\(view.l("HTML source", "HTML-lähdekoodi"))</summary><pre class="code prewrap">\(page.html)</pre></details>
                """
        )
    }
}

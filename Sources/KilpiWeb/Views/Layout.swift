import Foundation
import KilpiCore

/// The page frame shared by every console page.
enum Layout {
    static func page(_ title: String, _ view: ViewContext, wide: Bool = false, body: HTML) -> HTML {
        """
        <!doctype html>
        <html lang="\(view.language.rawValue)">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(title) · Kilpi</title>
        <link rel="stylesheet" href="\(Routes.stylesheet.path())">
        </head>
        <body>
        <a class="skip" href="#main">\(view.t(.skipToContent))</a>
        \(view.demo ? "<div class=\"demo\" role=\"note\">\(view.t(.demoBanner))</div>" as HTML : .empty)
        <header class="top">
          <a class="brand" href="\(Routes.dashboard.path())">Kilpi</a>
          \(navigation(view))
          \(languageSwitch(view))
          \(signOut(view))
        </header>
        <main id="main" class="\(wide ? "wide" : "")">
        \(body)
        </main>
        </body>
        </html>
        """
    }

    /// The links to this page in the other languages (`hreflang` on public pages, for search engines).
    static func languageSwitch(_ view: ViewContext, hreflang: Bool = false) -> HTML {
        let links: [HTML] = Language.allCases.map { language in
            let code = language.rawValue
            return language == view.language
                ? "<strong lang=\"\(code)\">\(language.name)</strong>"
                : "<a lang=\"\(code)\"\(hreflang ? " hreflang=\"\(code)\"" as HTML : .empty) href=\"\(view.path)?lang=\(code)\">\(language.name)</a>"
        }
        return "<div class=\"langs\" aria-label=\"\(view.t(.language))\">\(links)</div>"
    }

    private static func navigation(_ view: ViewContext) -> HTML {
        guard view.user != nil else { return .empty }
        let items: [(Route, UIText)] = [
            (Routes.dashboard, .dashboard), (Routes.incidents, .incidents), (Routes.plan, .responsePlan),
            (Routes.noticeTemplates, .noticeTemplates), (Routes.supportInbox, .supportInbox),
            (Routes.posts, .trustPosts), (Routes.measures, .securityMeasures), (Routes.certificates, .certificates),
            (Routes.systems, .systems), (Routes.customers, .customers),
            (Routes.users, .users), (Routes.tokens, .tokens),
            (Routes.audit, .auditLog), (Routes.account, .account),
        ]
        let links: [HTML] = items.filter { view.may($0.0) }.map { route, text in
            let current = view.path == route.path()
            return
                "<li><a href=\"\(route.path())\"\(current ? " aria-current=\"page\"" as HTML : .empty)>\(view.t(text))</a></li>"
        }
        return "<nav aria-label=\"Kilpi\"><ul>\(links)</ul></nav>"
    }

    private static func signOut(_ view: ViewContext) -> HTML {
        guard let user = view.user else { return .empty }
        return """
            <form method="post" action="\(Routes.logout.path())" class="signout">\(view.csrfField)
            <span class="who">\(user.displayName) · \(user.role.rawValue)</span>
            <button type="submit" class="link">\(view.t(.signOut))</button></form>
            """
    }

    /// A short message box; `kind` is `error`, `ok` or `info`.
    static func notice(_ kind: String, _ text: String) -> HTML {
        "<p class=\"notice \(kind)\" role=\"\(kind == "error" ? "alert" : "status")\">\(text)</p>"
    }

    static func errors(_ messages: [String]) -> HTML {
        guard !messages.isEmpty else { return .empty }
        let items: [HTML] = messages.map { "<li>\($0)</li>" }
        return "<div class=\"notice error\" role=\"alert\"><ul>\(items)</ul></div>"
    }

    static func time(_ date: Date?) -> String {
        guard let date else { return "–" }
        return timeFormatter.string(from: date)
    }

    nonisolated(unsafe) private static let timeFormatter: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withSpaceBetweenDateAndTime]
        return formatter
    }()
}

import KilpiCore

/// The frame of the pages anyone may open (the support pages, the trust center): the company's name and the
/// section, the language switch, no console navigation and no sign-out (a reader has no account). `view.path` is
/// the page's own path (for a POST's answer, the page it came from), so the language links lead back to the same
/// page in another language. `feed` is the page's Atom feed, linked in `<head>` for feed readers.
enum PublicLayout {
    static func page(
        _ title: String,
        _ view: ViewContext,
        company: String,
        section: String,
        home: String,
        bodyClass: String,
        feed: String? = nil,
        body: HTML
    ) -> HTML {
        """
        <!doctype html>
        <html lang="\(view.language.rawValue)">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>\(title) · \(company)</title>
        <link rel="stylesheet" href="\(Routes.stylesheet.path())">
        \(feed.map { "<link rel=\"alternate\" type=\"application/atom+xml\" href=\"\($0)\">" as HTML } ?? .empty)
        </head>
        <body class="\(bodyClass)">
        <a class="skip" href="#main">\(view.t(.skipToContent))</a>
        \(view.demo ? "<div class=\"demo\" role=\"note\">\(view.t(.demoBanner))</div>" as HTML : .empty)
        <header class="top">
          <a class="brand" href="\(home)">\(company) · \(section)</a>
          \(Layout.languageSwitch(view, hreflang: true))
        </header>
        <main id="main">
        \(body)
        </main>
        </body>
        </html>
        """
    }
}

import KilpiCore

/// The frame of the customers' support pages (see `PublicLayout`), its brand leading to the way in by code.
enum SupportLayout {
    static func page(_ title: String, _ view: ViewContext, company: String, body: HTML) -> HTML {
        PublicLayout.page(
            title,
            view,
            company: company,
            section: view.l("Support", "Tuki"),
            home: Routes.supportHome.path(),
            bodyClass: "support",
            body: body
        )
    }

    /// Customer or staff text as text: escaped, its line breaks kept as `<br>`.
    static func text(_ text: String) -> HTML {
        HTML(unsafeRaw: MarkupEscaping.escape(text, beforeEachLineFeed: "<br>"))
    }
}

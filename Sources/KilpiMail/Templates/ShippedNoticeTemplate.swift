import KilpiCore

/// The wording of a shipped notice in one language, and how it becomes the subject, plain-text and HTML parts.
///
/// Both parts are built from the same phrases so that they say the same thing in the same order, as the issue
/// lists it: what happened and when; exactly which of the customer's data, each category with its advice; what we
/// have done and are doing; a plain apology that takes responsibility; what to do now; where to ask; the reference
/// code and how to check it on the trust center. A customer in California (US-CA) gets the title "Notice of Data
/// Breach" and the headings Cal. Civ. Code § 1798.82(d)(1) prescribes. There are no `<a href>` links (no tracking,
/// no sign-in): addresses are printed as text, so the reader sees exactly where each goes. "Where to ask" names
/// the customer's personal support page (on a line of its own in the plain text) and, for anyone wary of links in
/// mail, the support site where the reference code and their email address open the same page.
///
/// Phrases may use the variables of `NoticeVariable.all`; they contain no `<`, `>` or `&`, so they are valid as
/// HTML text too.
struct ShippedNoticeTemplate {
    struct Heading {
        let plain: String
        /// The California heading (in English, the statute's words; other languages add their own after it).
        let california: String
    }

    var subject: String
    var californiaTitle: String
    var greetingNamed: String
    var greetingAnonymous: String
    var opening: String
    var happened: Heading
    var occurred: String
    var aware: String
    var involved: Heading
    var involvedIntro: String
    var involvedUnknown: String
    var doing: Heading
    var contained: String
    var notContained: String
    var doingMore: String
    var youCan: Heading
    var checkHeading: String
    var check: String
    var moreInfo: Heading
    var ask: String
    var askPage: String
    /// Before the personal page's address: what the page shows and that it never asks for a password.
    var askLink: String
    /// The way in without the link: the support site, the reference code and the email address.
    var askCode: String
    var closing: String
    var regards: String

    static func phrases(_ language: Language) -> ShippedNoticeTemplate {
        switch language {
        case .en: english
        case .fi: finnish
        case .sv: swedish
        }
    }

    var template: NoticeTemplateText {
        NoticeTemplateText(subject: subject, text: text, html: html)
    }

    /// `{{#california}}ca{{/california}}{{^california}}plain{{/california}}`.
    private func heading(_ heading: Heading) -> String {
        "{{#california}}\(heading.california){{/california}}{{^california}}\(heading.plain){{/california}}"
    }

    var text: String {
        """
        {{#california}}
        \(californiaTitle)

        {{/california}}
        {{#customer_name}}
        \(greetingNamed)
        {{/customer_name}}
        {{^customer_name}}
        \(greetingAnonymous)
        {{/customer_name}}

        \(opening)

        \(heading(happened))

        {{incident_summary}}

        {{#occurred_at}}
        \(occurred)
        {{/occurred_at}}
        {{#aware_at}}
        \(aware)
        {{/aware_at}}

        \(heading(involved))

        \(involvedIntro)

        {{#categories}}
        - {{name}}
        {{#advice}}
          {{advice}}
        {{/advice}}

        {{/categories}}
        {{^categories}}
        \(involvedUnknown)
        {{/categories}}

        \(heading(doing))

        {{#contained_at}}\(contained) {{/contained_at}}{{^contained_at}}\(notContained) {{/contained_at}}\(doingMore)

        \(heading(youCan))

        {{#actions}}
        - {{text}}
        {{/actions}}

        \(checkHeading)

        \(check)

        \(heading(moreInfo))

        \(ask)
        {{#contact_url}}
        \(askPage)
        {{/contact_url}}

        {{#support_url}}
        \(askLink)
        {{support_url}}

        {{/support_url}}
        \(askCode)

        \(closing)

        \(regards)
        {{company_name}}
        {{notice_date}}

        """
    }

    var html: String {
        let h1 = "font-size:22px;line-height:1.3;margin:0 0 16px;"
        let h2 = "font-size:18px;line-height:1.3;margin:24px 0 8px;"
        let p = "margin:0 0 12px;"
        return """
            <!DOCTYPE html>
            <html lang="{{language}}">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(subject)</title>
            </head>
            <body style="margin:0;padding:0;background-color:#ffffff;">
            <div style="max-width:640px;margin:0 auto;padding:24px;font-family:Arial,Helvetica,sans-serif;\
            font-size:16px;line-height:1.5;color:#1a1a1a;">
            {{#california}}
            <h1 style="\(h1)">\(californiaTitle)</h1>
            {{/california}}
            <p style="\(p)">{{#customer_name}}\(greetingNamed){{/customer_name}}\
            {{^customer_name}}\(greetingAnonymous){{/customer_name}}</p>
            <p style="\(p)">\(opening)</p>
            <h2 style="\(h2)">\(heading(happened))</h2>
            <p style="\(p)white-space:pre-line;">{{incident_summary}}</p>
            {{#occurred_at}}
            <p style="\(p)">\(occurred)</p>
            {{/occurred_at}}
            {{#aware_at}}
            <p style="\(p)">\(aware)</p>
            {{/aware_at}}
            <h2 style="\(h2)">\(heading(involved))</h2>
            <p style="\(p)">\(involvedIntro)</p>
            <ul style="margin:0 0 12px;padding-left:24px;">
            {{#categories}}
            <li style="margin:0 0 12px;"><strong lang="{{name_lang}}">{{name}}</strong>\
            {{#advice}}<br><span lang="{{advice_lang}}">{{advice}}</span>{{/advice}}</li>
            {{/categories}}
            </ul>
            {{^categories}}
            <p style="\(p)">\(involvedUnknown)</p>
            {{/categories}}
            <h2 style="\(h2)">\(heading(doing))</h2>
            <p style="\(p)">{{#contained_at}}\(contained){{/contained_at}}\
            {{^contained_at}}\(notContained){{/contained_at}} \(doingMore)</p>
            <h2 style="\(h2)">\(heading(youCan))</h2>
            <ul style="margin:0 0 12px;padding-left:24px;">
            {{#actions}}
            <li style="margin:0 0 8px;">{{text}}</li>
            {{/actions}}
            </ul>
            <h2 style="\(h2)">\(checkHeading)</h2>
            <p style="\(p)">\(check)</p>
            <h2 style="\(h2)">\(heading(moreInfo))</h2>
            <p style="\(p)">\(ask){{#contact_url}} \(askPage){{/contact_url}}</p>
            {{#support_url}}
            <p style="\(p)">\(askLink)<br><strong style="word-break:break-all;">{{support_url}}</strong></p>
            {{/support_url}}
            <p style="\(p)">\(askCode)</p>
            <p style="\(p)">\(closing)</p>
            <p style="\(p)">\(regards)<br>{{company_name}}<br>{{notice_date}}</p>
            </div>
            </body>
            </html>

            """
    }
}

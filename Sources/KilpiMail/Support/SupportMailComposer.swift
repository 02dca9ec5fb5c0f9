import Foundation
import KilpiCore
import KilpiStore
import Mustache

/// Turns claimed support mails into signed messages: a staff reply (with the customer's notice reference code
/// when the inquiry came through their notice, and where to read the whole thread) or a contact-form code, in
/// the inquiry's or the form's language, from the same sender and with the same DKIM signer as the notices.
///
/// The mail names the support site (`<public URL>/support`), where the customer types their reference code and
/// address: never a sign-in or personal link, nothing that tracks opening. Every value goes through the Mustache
/// templates' HTML escaping; header values through `HeaderWriter`'s checks.
public struct SupportMailComposer: Sendable {
    let companyName: String
    let supportSiteURL: String
    let from: MailAddress
    let bounceDomain: String?
    let dkim: DKIMSigner?

    /// `supportSiteURL` is the public support page (`<public URL>/support`).
    public init(
        companyName: String,
        supportSiteURL: String,
        from: MailAddress,
        bounceDomain: String? = nil,
        dkim: DKIMSigner? = nil
    ) {
        self.companyName = NoticeText.line(companyName)
        self.supportSiteURL = NoticeText.line(supportSiteURL)
        self.from = from
        self.bounceDomain = bounceDomain
        self.dkim = dkim
    }

    /// What a claim becomes; a failure says why without personal data (for the row's last error).
    public enum Composed: Sendable {
        case mail(RenderedMail)
        case failure(String)
    }

    /// The message's parts before MIME: what tests and previews read.
    public struct Content: Sendable, Equatable {
        public let subject: String
        public let text: String
        public let html: String
    }

    public func compose(_ claim: SupportMailClaim, now: Date) -> Composed {
        let content = content(claim, now: now)
        // A name that cannot go into a header as it is (control characters, say) is left out of it, not the mail.
        let name = claim.recipientName.map(NoticeText.line).flatMap { $0.isEmpty ? nil : $0 }
        do {
            var message = MailMessage(
                from: from,
                to: MailAddress(claim.recipient, displayName: name),
                subject: content.subject,
                text: content.text,
                html: content.html,
                outboxID: try OutboxID("s-" + claim.mailKey),
                date: now,
                bounceDomain: bounceDomain
            )
            if (try? message.to.validated(field: MailMessage.Header.to)) == nil {
                message.to = MailAddress(claim.recipient)
            }
            var mail = try message.rendered()
            if let dkim { mail.bytes = try dkim.sign(mail.bytes, at: now) }
            return .mail(mail)
        } catch let error as MailMessageError {
            return .failure("unbuildable \(error.field)")
        } catch {
            return .failure("unsignable")
        }
    }

    /// The subject, text and HTML of `claim`'s mail.
    public func content(_ claim: SupportMailClaim, now: Date) -> Content {
        let words = SupportMailTexts.texts(claim.language)
        var values = ["company": companyName, "url": supportSiteURL]
        let lines: [String]
        var paragraphs: [String] = []
        let subject: String
        let greeting: String
        let intro: String
        switch claim.kind {
        case .reply:
            let code = claim.referenceCode.map(NoticeText.line).flatMap { $0.isEmpty ? nil : $0 }
            values["code"] = code
            let first = claim.recipientName.map(NoticeText.line)?.split(separator: " ").first.map(String.init)
            values["name"] = first
            subject = (code == nil ? words.replySubject : words.replySubjectWithCode).filled(values)
            greeting = (first == nil ? words.greeting : words.greetingWithName).filled(values)
            intro = words.replyIntro
            lines = Self.lines(claim.replyText ?? "")
            paragraphs.append((code == nil ? words.threadWithoutCode : words.threadWithCode).filled(values))
        case .verification:
            let remaining = claim.codeExpiresAt.map { $0.timeIntervalSince(now) } ?? 0
            values["minutes"] = String(max(1, Int((remaining / 60).rounded(.down))))
            subject = words.codeSubject.filled(values)
            greeting = words.greeting
            intro = words.codeIntro.filled(values)
            lines = [claim.code ?? ""]
            paragraphs.append(words.codeLifetime.filled(values))
            paragraphs.append(words.codeIgnore)
        }
        paragraphs.append(words.safety)
        let value: [String: Any] = [
            "language": claim.language.rawValue, "subject": subject, "greeting": greeting, "intro": intro,
            "lines": lines, "paragraphs": paragraphs, "signature": words.signature.filled(values),
            "code": claim.kind == .verification,
        ]
        return Content(
            subject: NoticeText.line(subject),
            text: Self.templates.text.render(value),
            html: Self.templates.html.render(value)
        )
    }

    /// The text as lines: line ends of any kind made one, control characters and bidi overrides dropped, and every
    /// `<>&"'` made a character of its own (the template engine escapes whole grapheme clusters, so a prepended or
    /// combining mark would carry one past its escaping).
    static func lines(_ text: String) -> [String] {
        let cleaned = NoticeText.paragraphs(text)
        guard !cleaned.isEmpty else { return [] }
        return cleaned.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    static let templates: (text: MustacheTemplate, html: MustacheTemplate) = {
        // Written here, not edited by companies: a failure to parse is a programming error caught by every test.
        let text = try! MustacheTemplate(
            string: """
                {{% CONTENT_TYPE: TEXT}}
                {{greeting}}

                {{intro}}

                {{#lines}}
                {{#code}}    {{/code}}{{.}}
                {{/lines}}

                {{#paragraphs}}
                {{.}}

                {{/paragraphs}}
                {{signature}}

                """
        )
        let html = try! MustacheTemplate(
            string: """
                <!DOCTYPE html>
                <html lang="{{language}}"><head><meta charset="utf-8"><title>{{subject}}</title></head>
                <body style="font-family: sans-serif; line-height: 1.5; color: #1a1a1a;">
                <p>{{greeting}}</p>
                <p>{{intro}}</p>
                {{#code}}<p style="font-size: 1.6em; letter-spacing: 0.2em; font-family: monospace;">{{#lines}}{{.}}{{/lines}}</p>{{/code}}
                {{^code}}<blockquote style="margin: 1em 0; padding-left: 1em; border-left: 3px solid #999; white-space: pre-wrap;">{{#lines}}{{.}}<br>
                {{/lines}}</blockquote>{{/code}}
                {{#paragraphs}}<p>{{.}}</p>
                {{/paragraphs}}
                <p>{{signature}}</p>
                </body></html>

                """
        )
        return (text, html)
    }()
}

import Foundation

/// A post as typed in the console, checked field by field: what each kind needs (an incident for incident posts,
/// a severity for advisories, a topic for guides), real times within 1970–9999, a hold that names a share of
/// 1–100 % and a latest time, and nothing a kind does not take.
public struct PostInput: Sendable, Equatable {
    public var kind: PublicPost.Kind
    public var incidentID: Int64?
    public var language: Language
    public var title: String
    public var body: String
    public var severity: PublicPost.Severity?
    public var products: String?
    public var topic: GuideTopic?
    public var publishAt: Date?
    public var hold: PublicPost.Hold?

    public init(
        kind: PublicPost.Kind,
        incidentID: Int64? = nil,
        language: Language,
        title: String,
        body: String,
        severity: PublicPost.Severity? = nil,
        products: String? = nil,
        topic: GuideTopic? = nil,
        publishAt: Date? = nil,
        hold: PublicPost.Hold? = nil
    ) {
        self.kind = kind
        self.incidentID = incidentID
        self.language = language
        self.title = title
        self.body = body
        self.severity = severity
        self.products = products
        self.topic = topic
        self.publishAt = publishAt
        self.hold = hold
    }

    /// The input cleaned (trimmed title, body with `\n` line breaks) or every problem with it. `fields` are the
    /// form's values by name: kind, incident, language, title, body, severity, products, topic, publish_at,
    /// hold_campaign, hold_share, hold_until.
    public static func checked(_ fields: [String: String]) -> (input: PostInput?, problems: [FieldProblem]) {
        var form = FormFields(fields)
        func value(_ name: String) -> String? { form.value(name) }
        let kind = form.choice("kind", PublicPost.Kind.self)
        if value("kind") == nil { form.required("kind") }
        let language = form.choice("language", Language.self)
        if value("language") == nil { form.required("language") }
        let text = PublicPost.checked(title: fields["title"] ?? "", body: fields["body"] ?? "")
        for problem in text.problems { form.problem(problem.field, problem.message) }
        let incidentID = form.number("incident")
        let severity = form.choice("severity", PublicPost.Severity.self)
        let topic = form.choice("topic", GuideTopic.self)
        let products = value("products").map(NoticeText.line)
        if let products, products.count > PublicPost.productsLimit {
            form.problem(
                "products",
                .l(
                    "at most \(PublicPost.productsLimit) characters",
                    "enintään \(PublicPost.productsLimit) merkkiä"
                )
            )
        }
        let publishAt = form.time("publish_at", .utcOrZoned)
        let holdCampaign = form.number("hold_campaign")
        var holdShare: Int?
        if let text = value("hold_share") {
            if let share = Int(text.hasSuffix("%") ? String(text.dropLast()) : text), (1...100).contains(share) {
                holdShare = share
            } else {
                form.problem(
                    "hold_share",
                    .l("a share from 1 to 100 (per cent)", "osuus 1–100 (prosenttia)")
                )
            }
        }
        let holdUntil = form.time("hold_until", .utcOrZoned)

        if let kind {
            if kind.needsIncident, incidentID == nil, value("incident") == nil {
                form.problem(
                    "incident",
                    .l("choose the incident this is about", "valitse tapaus, jota tämä koskee")
                )
            }
            if kind == .advisory, severity == nil, value("severity") == nil {
                form.problem("severity", .l("choose a severity", "valitse vakavuus"))
            }
            if kind == .guide, topic == nil, value("topic") == nil {
                form.problem("topic", .l("choose the guide's topic", "valitse oppaan aihe"))
            }
            let holding = holdCampaign != nil || value("hold_share") != nil || value("hold_until") != nil
            if holding {
                if kind != .incidentUpdate {
                    form.problem(
                        "hold_campaign",
                        .l(
                            "only an incident update waits for its notices (a public communication is the notice)",
                            "vain tapauksen päivitys odottaa ilmoituksia (julkinen tiedote on itse ilmoitus)"
                        )
                    )
                } else {
                    if value("hold_campaign") == nil { form.required("hold_campaign") }
                    if value("hold_share") == nil { form.required("hold_share") }
                    if value("hold_until") == nil {
                        form.problem(
                            "hold_until",
                            .l(
                                "give the latest time, so the post goes out even if the campaign stalls",
                                "anna viimeisin aika, jotta julkaisu lähtee, vaikka kampanja pysähtyisi"
                            )
                        )
                    }
                    if publishAt != nil {
                        form.problem(
                            "publish_at",
                            .l(
                                "a held post goes out when its customers have heard: leave the time empty",
                                "odottava julkaisu lähtee, kun asiakkaat ovat saaneet tiedon: jätä aika tyhjäksi"
                            )
                        )
                    }
                }
            }
        }
        guard form.problems.isEmpty, let kind, let language else { return (nil, form.problems) }
        var hold: PublicPost.Hold?
        if let holdCampaign, let holdShare, let holdUntil {
            hold = PublicPost.Hold(campaignID: holdCampaign, share: holdShare, until: holdUntil)
        }
        return (
            PostInput(
                kind: kind,
                // Only incident posts name an incident: another kind would open its public page early.
                incidentID: kind.needsIncident ? incidentID : nil,
                language: language,
                title: text.title,
                body: text.body,
                severity: kind == .advisory ? severity : nil,
                products: kind == .advisory ? products : nil,
                topic: kind == .guide ? topic : nil,
                publishAt: publishAt,
                hold: hold
            ),
            []
        )
    }
}

import Foundation
import KilpiCore
import KilpiStore
import Synchronization

/// Turns claimed outbox rows into signed messages ready for SMTP: the customer's name and address from the vault,
/// the incident as the campaign froze it, the exposed categories with their advice, the pinned template version,
/// the reference code.
///
/// Incidents, categories and compiled templates are cached for the life of the composer: a campaign sends one
/// template version per language to thousands of customers, and parsing it once matters at 10,000 messages/s.
public final class NoticeComposer: Sendable {
    let store: Store
    let company: NoticeCompany
    let from: MailAddress
    let bounceDomain: String?
    let dkim: DKIMSigner?
    private let cache = Mutex(Cache())

    struct Cache {
        var templates: [Int64: CompiledNoticeTemplate] = [:]
        var campaigns: [Int64: NoticeCampaign] = [:]
        var incidents: [Int64: Incident] = [:]
        var categories: [DataCategory]?
        /// Prepared variants (nil: the variant failed `PreparedNotice.prepare`'s proof and renders the full way).
        var prepared: [Variant: PreparedNotice?] = [:]
        /// Variants met once: a variant is prepared when its second customer comes, so that a variant of one
        /// customer costs one render, not three.
        var seen: Set<Variant> = []
    }

    /// What a notice's text depends on besides the values `PreparedNotice` puts in.
    struct Variant: Hashable {
        let campaignID: Int64
        let templateVersionID: Int64
        let language: Language
        let categories: [String]
        let california: Bool
        let named: Bool
        let linked: Bool
    }

    /// Whether to put customers' values into prepared variants (false renders every notice the full way, for
    /// the tests that compare the two).
    let prepares: Bool

    /// A row that cannot become a message says why, in words fit for the outbox's last reply (no personal data).
    public enum Composed: Sendable {
        case mail(RenderedMail)
        case failure(String)
    }

    public convenience init(
        store: Store,
        company: NoticeCompany,
        from: MailAddress,
        bounceDomain: String?,
        dkim: DKIMSigner?
    ) {
        self.init(store: store, company: company, from: from, bounceDomain: bounceDomain, dkim: dkim, prepares: true)
    }

    init(
        store: Store,
        company: NoticeCompany,
        from: MailAddress,
        bounceDomain: String?,
        dkim: DKIMSigner?,
        prepares: Bool
    ) {
        self.store = store
        self.company = company
        self.from = from
        self.bounceDomain = bounceDomain
        self.dkim = dkim
        self.prepares = prepares
    }

    /// One result per claim, in order.
    ///
    /// Each row that can become a message gets its own personal support link, issued for the whole batch in one
    /// call (one transaction) before anything is sent: every attempt carries a fresh link (a redelivery after a
    /// lost lease too), and the links of earlier attempts stay valid until they expire.
    public func compose(_ claims: [OutboxClaim], now: Date) async throws -> [Composed] {
        let customers = try await store.customers.find(ids: claims.map(\.customerID))
        var results: [Composed] = []
        results.reserveCapacity(claims.count)
        var recipients: [Int64: (customer: Customer, email: String)] = [:]
        for claim in claims {
            if let customer = customers[claim.customerID], customer.erasedAt == nil, let email = customer.email,
                !email.isEmpty
            {
                recipients[claim.rowID] = (customer, email)
            }
        }
        let links = Dictionary(
            try await store.supportLinks.issue(outboxIDs: Array(recipients.keys), now: now).map {
                ($0.outboxID, $0.token)
            },
            uniquingKeysWith: { first, _ in first }
        )
        for claim in claims {
            guard let customer = customers[claim.customerID], customer.erasedAt == nil else {
                results.append(.failure("the customer was erased after the campaign was made"))
                continue
            }
            guard let (_, email) = recipients[claim.rowID] else {
                results.append(.failure("the customer has no email address any more"))
                continue
            }
            guard let token = links[claim.rowID] else {
                results.append(.failure("no support link was issued for the notice"))
                continue
            }
            if let code = NoticeReferenceCode(typed: claim.referenceCode),
                let mail = try await preparedMail(
                    claim,
                    customer: customer,
                    email: email,
                    code: code,
                    token: token,
                    now: now
                )
            {
                results.append(mail)
                continue
            }
            guard let code = NoticeReferenceCode(typed: claim.referenceCode),
                let (content, notice) = try await render(
                    customer: customer,
                    language: claim.language,
                    campaignID: claim.campaignID,
                    templateVersionID: claim.templateVersionID,
                    categories: claim.categories,
                    code: code,
                    supportToken: token,
                    now: now
                )
            else {
                results.append(.failure("the campaign's incident or template is missing"))
                continue
            }
            do {
                let outboxID = try OutboxID(claim.noticeKey)
                let message = MailMessage(
                    from: from,
                    to: MailAddress(email, displayName: content.customerName),
                    subject: notice.subject,
                    text: notice.text,
                    html: notice.html,
                    outboxID: outboxID,
                    date: now,
                    bounceDomain: bounceDomain
                )
                var mail = try message.rendered()
                if let dkim { mail.bytes = try dkim.sign(mail.bytes, at: now) }
                results.append(.mail(mail))
            } catch let error as MailMessageError {
                results.append(.failure("the message could not be built: \(error.field)"))
            } catch {
                results.append(.failure("the message could not be signed"))
            }
        }
        return results
    }

    /// One customer's notice as the campaign's pinned template renders it; nil when the campaign, its incident or
    /// the template version is gone (or the version is not approved).
    public func render(
        customer: Customer,
        language: Language,
        campaignID: Int64,
        templateVersionID: Int64,
        categories: [String],
        code: NoticeReferenceCode,
        supportToken: String? = nil,
        now: Date
    ) async throws -> (NoticeContent, RenderedNotice)? {
        guard let incident = try await incident(for: campaignID), let template = try await template(templateVersionID)
        else { return nil }
        let content = NoticeContent.build(
            company: company,
            customer: customer,
            language: language,
            incident: incident,
            categoryIDs: categories,
            available: try await allCategories(),
            referenceCode: code,
            supportToken: supportToken,
            date: now
        )
        return (content, template.render(content))
    }

    /// The message from the claim's prepared variant, or nil when it is to be rendered the full way (the variant
    /// is new, failed its proof, or the customer's values cannot be put in).
    func preparedMail(
        _ claim: OutboxClaim,
        customer: Customer,
        email: String,
        code: NoticeReferenceCode,
        token: String,
        now: Date
    ) async throws -> Composed? {
        guard prepares else { return nil }
        let name = customer.name.map(NoticeText.line).flatMap { $0.isEmpty ? nil : $0 }
        let variant = Variant(
            campaignID: claim.campaignID,
            templateVersionID: claim.templateVersionID,
            language: claim.language,
            categories: claim.categories,
            california: NoticeContent.isCalifornia(country: customer.country, region: customer.region),
            named: name != nil,
            linked: true
        )
        let known = cache.withLock { cache -> PreparedNotice?? in
            if let prepared = cache.prepared[variant] { return .some(prepared) }
            if cache.seen.insert(variant).inserted || cache.prepared.count >= 10_000 { return .some(nil) }
            return .none
        }
        let prepared: PreparedNotice?
        switch known {
        case .some(let found): prepared = found
        case .none:
            guard let incident = try await incident(for: claim.campaignID),
                let template = try await template(claim.templateVersionID)
            else { return nil }
            let content = NoticeContent.build(
                company: company,
                customer: customer,
                language: claim.language,
                incident: incident,
                categoryIDs: claim.categories,
                available: try await allCategories(),
                referenceCode: code,
                supportToken: token,
                date: now
            )
            prepared = PreparedNotice.prepare(template, value: content.mustacheValue)
            cache.withLock { $0.prepared[variant] = .some(prepared) }
        }
        guard let prepared else { return nil }
        let values = prepared.slots.map { slot -> String in
            switch slot {
            case "customer_name": NoticeText.line(name ?? "")
            case "reference_code": code.formatted
            case "support_url": NoticeText.line(company.supportURL) + "/" + token
            default: NoticeDate.day(now, claim.language)
            }
        }
        guard PreparedNotice.isPlaced(values) else { return nil }
        let (text, html) = prepared.encoded(values)
        do {
            let message = MailMessage(
                from: from,
                to: MailAddress(email, displayName: name),
                subject: prepared.subjectLine(values),
                text: "",
                html: "",
                outboxID: try OutboxID(claim.noticeKey),
                date: now,
                bounceDomain: bounceDomain
            )
            var mail = try message.rendered(encodedText: text, encodedHTML: html)
            if let dkim { mail.bytes = try dkim.sign(mail.bytes, at: now) }
            return .mail(mail)
        } catch let error as MailMessageError {
            return .failure("the message could not be built: \(error.field)")
        } catch {
            return .failure("the message could not be signed")
        }
    }

    /// The notice `row`'s customer gets, for a preview: the code and the support link in it are examples, not the
    /// ones the customer's notice carries (the code is only opened to send it, a link is issued per sending).
    public func preview(row: OutboxRow, now: Date) async throws -> RenderedNotice? {
        guard let customer = try await store.customers.find(id: row.customerID) else { return nil }
        return try await render(
            customer: customer,
            language: row.language,
            campaignID: row.campaignID,
            templateVersionID: row.templateVersionID,
            categories: row.categories,
            code: .generate(),
            supportToken: NoticeContent.sampleSupportToken,
            now: now
        )?.1
    }

    func allCategories() async throws -> [DataCategory] {
        if let cached = cache.withLock({ $0.categories }) { return cached }
        let loaded = try await store.dataMap.categories()
        cache.withLock { $0.categories = loaded }
        return loaded
    }

    /// The campaign a row belongs to (its rate and settings), loaded once.
    public func campaign(_ id: Int64) async throws -> NoticeCampaign? {
        if let cached = cache.withLock({ $0.campaigns[id] }) { return cached }
        guard let campaign = try await store.campaigns.find(id: id) else { return nil }
        cache.withLock { $0.campaigns[id] = campaign }
        return campaign
    }

    /// The incident as campaign `campaignID`'s notices tell it: with the title, summary, kinds and times the
    /// campaign froze when it was made (so an edit to the incident since then is not sent unreviewed), or as it is
    /// now for a campaign made before campaigns froze them.
    func incident(for campaignID: Int64) async throws -> Incident? {
        guard let campaign = try await campaign(campaignID) else { return nil }
        if let cached = cache.withLock({ $0.incidents[campaign.incidentID] }) {
            return campaign.incidentAsNoticed(cached)
        }
        guard let incident = try await store.incidents.find(id: campaign.incidentID) else { return nil }
        cache.withLock { $0.incidents[campaign.incidentID] = incident }
        return campaign.incidentAsNoticed(incident)
    }

    func template(_ versionID: Int64) async throws -> CompiledNoticeTemplate? {
        if let cached = cache.withLock({ $0.templates[versionID] }) { return cached }
        guard let version = try await store.noticeTemplates.find(id: versionID), version.isApproved,
            let compiled = try? NoticeTemplates.compile(version.text)
        else { return nil }
        cache.withLock { $0.templates[versionID] = compiled }
        return compiled
    }
}

import Foundation

/// What Kilpi itself records on an incident's timeline, as values rather than sentences, so that every reader sees
/// it in their own language (`rendered(in:)`). The person's own words that go with an event (a status change's
/// reason, a scope version's note) are not part of it: they stay in the entry's `text`, as notes do.
///
/// Stored as JSON in `incident_timeline.event` (`json`, `init(json:)`), in the synthesised `Codable` form:
/// `{"statusChanged":{"from":"detected","to":"analysing"}}`. Case names and labels are therefore stored data:
/// never rename them; add a case instead.
public enum TimelineEvent: Sendable, Equatable, Codable {
    case declared(severity: Severity, kinds: [ThreatKind], title: String)
    case titleChanged(from: String, to: String)
    case summaryChanged
    case kindsChanged(from: [ThreatKind], to: [ThreatKind])
    case severityChanged(from: Severity, to: Severity)
    case keyTimeChanged(field: KeyTimes.Field, from: Date?, to: Date?)
    case statusChanged(from: IncidentStatus, to: IncidentStatus)
    /// `person` is the display name at the time; nil means the role was cleared.
    case roleAssigned(role: IncidentRole, person: String?)
    case lessonsUpdated
    case impactAssumptionsUpdated
    case playbookTasksAdded(playbooks: [PlaybookTasks])
    /// `late` is how long after its due time the task was done, when it was.
    case taskDone(taskID: Int64, title: LocalizedText, late: TimeInterval?)
    case taskReopened(taskID: Int64, title: LocalizedText)
    case scopeVersion(scope: ScopeVersionSummary)
    /// A notice campaign was made from a scope version (issue 10).
    case noticeCampaignCreated(campaign: NoticeCampaignSummary)
    /// Started, paused, resumed or cancelled by someone; completed by the workers.
    case noticeCampaignStateChanged(campaignID: Int64, from: NoticeCampaignState, to: NoticeCampaignState)
    /// The campaign paused itself: `failures` of the `attempted` notices that ended had bounced or failed.
    case noticeCampaignAutoPaused(campaignID: Int64, failures: Int, attempted: Int)
    /// Every recipient is in a final state.
    case noticeCampaignCompleted(campaignID: Int64, sent: Int, bounced: Int, failed: Int, skipped: Int)
    /// "Retry failed": `count` failed or bounced notices went back to the queue.
    case noticeCampaignRetried(campaignID: Int64, count: Int)

    /// The tasks one playbook brought to an incident.
    public struct PlaybookTasks: Sendable, Equatable, Codable {
        public let playbookID: String
        public let count: Int

        public init(playbookID: String, count: Int) {
            self.playbookID = playbookID
            self.count = count
        }
    }

    /// A new scope version's figures (its note is the entry's text).
    public struct ScopeVersionSummary: Sendable, Equatable, Codable {
        public let version: Int
        public let systems: Int
        public let windowStart: Date
        public let windowEnd: Date
        public let customers: Int
        /// Against the previous version; nil for the first.
        public let change: Change?

        public struct Change: Sendable, Equatable, Codable {
            public let added: Int
            public let removed: Int
            public let widened: Int
            public let narrowed: Int

            public init(added: Int, removed: Int, widened: Int, narrowed: Int) {
                self.added = added
                self.removed = removed
                self.widened = widened
                self.narrowed = narrowed
            }
        }

        public init(version: Int, systems: Int, windowStart: Date, windowEnd: Date, customers: Int, change: Change?) {
            self.version = version
            self.systems = systems
            self.windowStart = windowStart
            self.windowEnd = windowEnd
            self.customers = customers
            self.change = change
        }
    }

    /// A new notice campaign's figures.
    public struct NoticeCampaignSummary: Sendable, Equatable, Codable {
        public let campaignID: Int64
        public let scopeVersion: Int
        public let audience: NoticeAudience
        public let recipients: Int
        /// Without a usable email address (or erased): listed for the letter shop.
        public let skipped: Int
        /// Getting English because their language has no approved template.
        public let englishFallback: Int

        public init(
            campaignID: Int64,
            scopeVersion: Int,
            audience: NoticeAudience,
            recipients: Int,
            skipped: Int,
            englishFallback: Int
        ) {
            self.campaignID = campaignID
            self.scopeVersion = scopeVersion
            self.audience = audience
            self.recipients = recipients
            self.skipped = skipped
            self.englishFallback = englishFallback
        }
    }

    // MARK: Stored form

    /// The JSON stored in the database: times in milliseconds since 1970, keys sorted.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        encoder.outputFormatting = .sortedKeys
        // Encoding an enum of strings, numbers and dates cannot fail.
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// The event stored as `json`; nil for JSON this version does not know (a later version's new case).
    public init?(json: String) {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        guard let event = try? decoder.decode(TimelineEvent.self, from: Data(json.utf8)) else { return nil }
        self = event
    }

    // MARK: Rendering

    /// The event as a sentence in `language`: English and Finnish written here, Swedish from the catalogue
    /// (`Swedish.swift`). Values are put into the language first (threat kind names, statuses, task titles).
    public func rendered(in language: Language) -> String {
        switch self {
        case .declared(let severity, let kinds, let title):
            let severity = severity.rawValue
            let kinds = Self.names(kinds, language)
            return language.l(
                "Declared a \(severity) incident (\(kinds)): \(title)",
                "\(severity)-tapaus julistettu (\(kinds)): \(title)"
            )
        case .titleChanged(let from, let to):
            return language.l("Title: \"\(from)\" → \"\(to)\"", "Otsikko: \"\(from)\" → \"\(to)\"")
        case .summaryChanged:
            return language.l("Summary changed", "Yhteenvetoa muutettu")
        case .kindsChanged(let from, let to):
            let from = Self.names(from, language)
            let to = Self.names(to, language)
            return language.l("Threat kinds: \(from) → \(to)", "Uhkatyypit: \(from) → \(to)")
        case .severityChanged(let from, let to):
            let from = from.rawValue
            let to = to.rawValue
            return language.l("Severity: \(from) → \(to)", "Vakavuus: \(from) → \(to)")
        case .keyTimeChanged(let field, let from, let to):
            let time = field.name(language)
            let from = Self.show(from)
            let to = Self.show(to)
            return language.l("Key time \(time): \(from) → \(to)", "Avainaika \(time): \(from) → \(to)")
        case .statusChanged(let from, let to):
            let from = from.name(language)
            let to = to.name(language)
            return language.l("Status: \(from) → \(to)", "Tila: \(from) → \(to)")
        case .roleAssigned(let role, let person):
            let role = role.name(language)
            guard let person else { return language.l("Role \(role) left empty", "Rooli \(role) jätetty tyhjäksi") }
            return language.l("Role \(role) given to \(person)", "Rooli \(role) annettu henkilölle \(person)")
        case .lessonsUpdated:
            return language.l("Lessons learnt updated", "Opitut asiat päivitetty")
        case .impactAssumptionsUpdated:
            return language.l("Impact assumptions updated", "Vaikutusarvion oletukset päivitetty")
        case .playbookTasksAdded(let playbooks):
            let tasks = playbooks.map { "\($0.playbookID) (\($0.count))" }.joined(separator: ", ")
            return language.l("Playbook tasks added: \(tasks)", "Toimintaohjeiden tehtävät lisätty: \(tasks)")
        case .taskDone(_, let title, let late):
            let task = title.resolved(language).text
            guard let late else { return language.l("Done: \(task)", "Tehty: \(task)") }
            let delay = ResponseMetrics.format(late)
            return language.l("Done, \(delay) late: \(task)", "Tehty, \(delay) myöhässä: \(task)")
        case .taskReopened(_, let title):
            let task = title.resolved(language).text
            return language.l("Reopened: \(task)", "Avattu uudelleen: \(task)")
        case .scopeVersion(let scope):
            let version = scope.version
            let systems = scope.systems
            let window = "\(Self.show(scope.windowStart)) – \(Self.show(scope.windowEnd))"
            let customers = scope.customers
            guard let change = scope.change else {
                return language.l(
                    "Scope v\(version): \(systems) system(s), \(window); \(customers) customers exposed",
                    "Laajuus v\(version): \(systems) järjestelmä(ä), \(window); \(customers) asiakasta altistunut"
                )
            }
            let (added, removed, widened, narrowed) = (change.added, change.removed, change.widened, change.narrowed)
            return language.l(
                "Scope v\(version): \(systems) system(s), \(window); \(customers) customers exposed (+\(added) / −\(removed), \(widened) widened, \(narrowed) narrowed)",
                "Laajuus v\(version): \(systems) järjestelmä(ä), \(window); \(customers) asiakasta altistunut (+\(added) / −\(removed), \(widened) laajeni, \(narrowed) kapeni)"
            )
        case .noticeCampaignCreated(let campaign):
            let id = campaign.campaignID
            let version = campaign.scopeVersion
            let audience = campaign.audience.name(language)
            let (recipients, skipped, fallback) = (campaign.recipients, campaign.skipped, campaign.englishFallback)
            return language.l(
                "Notice campaign #\(id) from scope v\(version) (\(audience)): \(recipients) recipients, \(skipped) without a usable email address, \(fallback) in English instead of their own language",
                "Ilmoituskampanja #\(id) laajuudesta v\(version) (\(audience)): \(recipients) vastaanottajaa, \(skipped) ilman käyttökelpoista sähköpostiosoitetta, \(fallback) englanniksi oman kielensä sijaan"
            )
        case .noticeCampaignStateChanged(let id, let from, let to):
            let from = from.name(language)
            let to = to.name(language)
            return language.l("Notice campaign #\(id): \(from) → \(to)", "Ilmoituskampanja #\(id): \(from) → \(to)")
        case .noticeCampaignAutoPaused(let id, let failures, let attempted):
            return language.l(
                "Notice campaign #\(id) paused itself: \(failures) of \(attempted) notices bounced or failed",
                "Ilmoituskampanja #\(id) keskeytyi itse: \(failures)/\(attempted) ilmoitusta palautui tai epäonnistui"
            )
        case .noticeCampaignCompleted(let id, let sent, let bounced, let failed, let skipped):
            return language.l(
                "Notice campaign #\(id) completed: \(sent) sent, \(bounced) bounced, \(failed) failed, \(skipped) without a usable email address",
                "Ilmoituskampanja #\(id) valmistui: \(sent) lähetetty, \(bounced) palautunut, \(failed) epäonnistunut, \(skipped) ilman käyttökelpoista sähköpostiosoitetta"
            )
        case .noticeCampaignRetried(let id, let count):
            return language.l(
                "Notice campaign #\(id): \(count) bounced or failed notices queued again",
                "Ilmoituskampanja #\(id): \(count) palautunutta tai epäonnistunutta ilmoitusta jonoon uudelleen"
            )
        }
    }

    private static func names(_ kinds: [ThreatKind], _ language: Language) -> String {
        kinds.map { $0.name(language) }.joined(separator: ", ")
    }

    /// `2026-11-25 08:30 UTC`, as the console shows times; "–" for none.
    static func show(_ date: Date?) -> String {
        guard let date else { return "–" }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date) + " UTC"
    }
}

extension KeyTimes {
    /// The key times by name, as forms and the timeline name them (`occurred_at`…).
    public enum Field: String, Sendable, CaseIterable, Codable {
        case occurredAt = "occurred_at"
        case detectedAt = "detected_at"
        case awareAt = "aware_at"
        case containedAt = "contained_at"
        case resolvedAt = "resolved_at"

        /// The time's short name in `language`, as a timeline entry says it.
        public func name(_ language: Language) -> String {
            switch self {
            case .occurredAt: language.l("occurred", "tapahtui")
            case .detectedAt: language.l("detected", "havaittu")
            case .awareAt: language.l("became aware", "tietoon tulo")
            case .containedAt: language.l("contained", "rajattu")
            case .resolvedAt: language.l("resolved", "ratkaistu")
            }
        }
    }

    /// The value of one key time.
    public subscript(field: Field) -> Date? {
        switch field {
        case .occurredAt: occurredAt
        case .detectedAt: detectedAt
        case .awareAt: awareAt
        case .containedAt: containedAt
        case .resolvedAt: resolvedAt
        }
    }
}

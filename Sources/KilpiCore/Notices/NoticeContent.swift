import Foundation

/// Who sends a notice, as its templates name the company. Comes from configuration, not from the customer.
public struct NoticeCompany: Sendable, Equatable, Codable {
    /// The company's name as customers know it ("Aurora Verkkokauppa Oy").
    public var name: String
    /// Where customers can ask about the incident: a monitored mailbox.
    public var contactEmail: String
    /// A public page with more information (an incident page, a help page), or nil.
    public var contactURL: String?
    /// The trust center's public page where anyone can type a notice's reference code and see whether it is ours.
    public var trustCenterURL: String
    /// The support site (`<public URL>/support`): each notice's personal link is this plus `/<token>`, and a
    /// customer who would rather not click types the reference code and their email address here.
    public var supportURL: String

    /// Without `supportURL`, the support site is `/support` at the trust center's origin (both are served under
    /// the same public URL).
    public init(
        name: String,
        contactEmail: String,
        contactURL: String? = nil,
        trustCenterURL: String,
        supportURL: String? = nil
    ) {
        self.name = name
        self.contactEmail = contactEmail
        self.contactURL = contactURL
        self.trustCenterURL = trustCenterURL
        self.supportURL = supportURL ?? Self.origin(of: trustCenterURL) + Self.supportPath
    }

    /// Where the support site lives under the public URL.
    public static let supportPath = "/support"
    /// The trust center's page where anyone can type a notice's reference code ("Is this message from us?");
    /// every notice points to it under the company's public URL.
    public static let verifyPath = "/verify"

    /// `scheme://host[:port]` of `url`, or `url` itself when it has no host.
    static func origin(of url: String) -> String {
        guard let components = URLComponents(string: url), let scheme = components.scheme,
            let host = components.host, !host.isEmpty
        else { return url.hasSuffix("/") ? String(url.dropLast()) : url }
        return scheme + "://" + host + (components.port.map { ":\($0)" } ?? "")
    }
}

/// Everything a notice template may show one customer, built from domain values by `build`, in the language of the
/// template that is sent to them. `mustacheValue` is what the templates see; `NoticeVariable.all` documents every
/// variable in it (the one list the template checker, the console and the tests use).
///
/// Text values are cleaned on the way in (`NoticeText`): a value meant for one line (a name, a title) has its line
/// breaks and other control characters turned into spaces, so a customer named `"Eve\r\nBcc: x"` cannot start a new
/// line in a subject or in the plain-text part; multi-line values (the summary, advice) keep only `\n` line breaks.
/// HTML escaping is left to the template engine, which escapes every `{{value}}` in the HTML part.
///
/// Times are shown in UTC, and say so ("1 December 2026 at 14:05 UTC"): Kilpi has no company time zone, and a
/// notice crossing borders is read in many.
public struct NoticeContent: Sendable, Equatable {
    /// One exposed category, in the notice's language where that text exists.
    public struct Category: Sendable, Equatable {
        public let id: String
        public let name: ResolvedText
        public let advice: ResolvedText
        public let sensitivity: Sensitivity
    }

    public let language: Language
    public let company: NoticeCompany
    public let customerName: String?
    public let incidentTitle: String
    public let incidentSummary: String
    public let kinds: [ThreatKind]
    public let occurredAt: Date?
    public let awareAt: Date?
    public let containedAt: Date?
    /// The customer's exposed categories, most harmful first.
    public let categories: [Category]
    /// "What you should do now", most urgent first (`NoticeActions`).
    public let actions: [LocalizedMessage]
    /// The California "Notice of Data Breach" headings apply (Cal. Civ. Code § 1798.82(d)): a customer in US-CA.
    public let california: Bool
    public let referenceCode: NoticeReferenceCode
    /// The token of the customer's personal support link (`SupportLinkRepository.issue`), nil when there is none
    /// (then `support_url` is absent). A preview passes `NoticeContent.sampleSupportToken`.
    public let supportToken: String?
    /// The notice's date (when it is rendered for sending).
    public let date: Date

    /// The token a preview's link carries: it opens nothing, and says so to anyone who types it.
    public static let sampleSupportToken = "sample-link-preview-only"

    /// The customer's personal support page, when the notice has a link.
    public var supportLinkURL: String? {
        supportToken.map { NoticeText.line(company.supportURL) + "/" + $0 }
    }

    /// The content of one customer's notice.
    ///
    /// - Parameters:
    ///   - language: the language of the template being sent (the customer's own when a template exists for it,
    ///     else English); category names, advice, actions and dates follow it.
    ///   - categories: the customer's exposed categories from the scope's exposure snapshot, as `DataCategory`
    ///     values (see the overload taking ids). Order does not matter; duplicates are dropped.
    public static func build(
        company: NoticeCompany,
        customer: Customer,
        language: Language,
        incident: Incident,
        categories: [DataCategory],
        referenceCode: NoticeReferenceCode,
        supportToken: String? = nil,
        date: Date
    ) -> NoticeContent {
        var seen: Set<String> = []
        let unique = categories.filter { seen.insert($0.id).inserted }
        let order = Dictionary(
            DataCategory.catalogue.enumerated().map { ($0.element.id, $0.offset) },
            uniquingKeysWith: { first, _ in first }
        )
        let sorted = unique.enumerated().sorted { left, right in
            if left.element.sensitivity != right.element.sensitivity {
                return left.element.sensitivity > right.element.sensitivity
            }
            let leftOrder = order[left.element.id] ?? Int.max
            let rightOrder = order[right.element.id] ?? Int.max
            return leftOrder != rightOrder ? leftOrder < rightOrder : left.offset < right.offset
        }.map(\.element)
        let name = customer.name.map(NoticeText.line).flatMap { $0.isEmpty ? nil : $0 }
        return NoticeContent(
            language: language,
            company: company,
            customerName: customer.erasedAt == nil ? name : nil,
            incidentTitle: incident.title,
            incidentSummary: incident.summary,
            kinds: incident.kinds,
            occurredAt: incident.times.occurredAt,
            awareAt: incident.times.awareAt,
            containedAt: incident.times.containedAt,
            categories: sorted.map {
                Category(id: $0.id, name: $0.name(language), advice: $0.advice(language), sensitivity: $0.sensitivity)
            },
            actions: NoticeActions.actions(categoryIDs: sorted.map(\.id), kinds: incident.kinds),
            california: isCalifornia(country: customer.country, region: customer.region),
            referenceCode: referenceCode,
            supportToken: supportToken,
            date: date
        )
    }

    /// `build` from the category ids an exposure snapshot stores, looked up in `available` (the installation's
    /// categories: `DataCategory.catalogue` plus its own). An id that is not there is shown by its id, without
    /// advice, rather than left out: the customer must hear about every category.
    public static func build(
        company: NoticeCompany,
        customer: Customer,
        language: Language,
        incident: Incident,
        categoryIDs: [String],
        available: [DataCategory] = DataCategory.catalogue,
        referenceCode: NoticeReferenceCode,
        supportToken: String? = nil,
        date: Date
    ) -> NoticeContent {
        let byID = Dictionary(available.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let categories = categoryIDs.map {
            byID[$0]
                ?? DataCategory(id: $0, nameEN: $0, nameFI: $0, sensitivity: .medium, adviceEN: "", adviceFI: "")
        }
        return build(
            company: company,
            customer: customer,
            language: language,
            incident: incident,
            categories: categories,
            referenceCode: referenceCode,
            supportToken: supportToken,
            date: date
        )
    }

    /// Whether a customer's country and region put them under California's breach-notice law.
    public static func isCalifornia(country: String, region: String) -> Bool {
        country.trimmingWhitespace().uppercased() == "US" && region.trimmingWhitespace().uppercased() == "CA"
    }

    /// The values the templates see, by the names of `NoticeVariable.all`. A value that is absent (no customer
    /// name, no containment time yet) is left out, so `{{#contained_at}}…{{/contained_at}}` shows nothing;
    /// flags are `Bool`, lists are arrays of dictionaries.
    public var mustacheValue: [String: Any] {
        let kindNames = kinds.map { NoticeText.line($0.name(language)) }
        var value: [String: Any] = [
            "language": language.tag,
            "company_name": NoticeText.line(company.name),
            "contact_email": NoticeText.line(company.contactEmail),
            "trust_center_url": NoticeText.line(company.trustCenterURL),
            "support_site_url": NoticeText.line(company.supportURL),
            "incident_title": NoticeText.line(incidentTitle),
            "incident_summary": NoticeText.paragraphs(incidentSummary),
            "incident_kinds": kindNames.map { ["name": $0] },
            "incident_kinds_text": NoticeText.list(kindNames, language),
            "notice_date": NoticeDate.day(date, language),
            "categories": categories.map { category -> [String: Any] in
                var item: [String: Any] = [
                    "id": NoticeText.line(category.id),
                    "name": NoticeText.line(category.name.text),
                    "name_lang": category.name.language.tag,
                    "advice_lang": category.advice.language.tag,
                    "sensitive": category.sensitivity >= .high,
                ]
                let advice = NoticeText.paragraphs(category.advice.text)
                if !advice.isEmpty { item["advice"] = advice }
                return item
            },
            "category_names": NoticeText.list(categories.map { NoticeText.line($0.name.text) }, language),
            "actions": actions.map { ["text": $0.text(language)] },
            "california": california,
            "reference_code": referenceCode.formatted,
        ]
        if let customerName { value["customer_name"] = NoticeText.line(customerName) }
        if let url = supportLinkURL { value["support_url"] = url }
        if let url = company.contactURL.map(NoticeText.line), !url.isEmpty { value["contact_url"] = url }
        if let occurredAt { value["occurred_at"] = NoticeDate.time(occurredAt, language) }
        if let awareAt { value["aware_at"] = NoticeDate.time(awareAt, language) }
        if let containedAt { value["contained_at"] = NoticeDate.time(containedAt, language) }
        return value
    }
}

/// Cleaning of the values a notice shows.
public enum NoticeText {
    /// Text for one line: every control character (CR, LF, tab, NUL…), line and paragraph separator and bidi
    /// override becomes a space, runs of spaces become one, and the ends are trimmed.
    public static func line(_ text: String) -> String {
        if isClean(text, allowingNewlines: false) { return text }
        return separatingMarkup(lineSlow(text))
    }

    static func lineSlow(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if isBreaking(scalar) || scalar == " " {
                pendingSpace = !result.isEmpty
                continue
            }
            if pendingSpace {
                result.unicodeScalars.append(" ")
                pendingSpace = false
            }
            result.unicodeScalars.append(scalar)
        }
        return result
    }

    /// Text of several lines: line breaks become `\n` (CR LF and lone CR too), other control characters and bidi
    /// overrides are dropped, tabs stay, and the ends are trimmed.
    public static func paragraphs(_ text: String) -> String {
        if isClean(text, allowingNewlines: true) { return text }
        return separatingMarkup(paragraphsSlow(text))
    }

    static func paragraphsSlow(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var previousCR = false
        for scalar in text.unicodeScalars {
            defer { previousCR = scalar == "\r" }
            switch scalar {
            case "\r", "\u{2028}", "\u{2029}", "\u{85}": result.unicodeScalars.append("\n")
            case "\n": if !previousCR { result.unicodeScalars.append("\n") }
            case "\t": result.unicodeScalars.append(scalar)
            default:
                if !isBreaking(scalar) { result.unicodeScalars.append(scalar) }
            }
        }
        return result.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The characters HTML escaping replaces.
    static let markup: Set<Unicode.Scalar> = ["<", ">", "&", "\"", "'"]

    /// Drops every other scalar of a grapheme cluster that holds one of `<>&"'`, so that each of them is a
    /// character of its own. The template engine escapes HTML one `Character` at a time and compares whole
    /// clusters: a prepended mark (`U+0600` before `<`) or a combining one (`"` then `U+0301`) would carry the
    /// character past its escaping, and a name like `"\u{600}<a href=…>"` would become a live link in the notice.
    static func separatingMarkup(_ text: String) -> String {
        var needs = false
        for character in text where character.unicodeScalars.count > 1 {
            if character.unicodeScalars.contains(where: markup.contains) {
                needs = true
                break
            }
        }
        guard needs else { return text }
        var result = String.UnicodeScalarView()
        for character in text {
            let scalars = character.unicodeScalars
            if scalars.count > 1, scalars.contains(where: markup.contains) {
                result.append(contentsOf: scalars.filter(markup.contains))
            } else {
                result.append(contentsOf: scalars)
            }
        }
        return String(result)
    }

    /// "A, B and C" in `language`.
    public static func list(_ items: [String], _ language: Language) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        let and =
            switch language {
            case .en: "and"
            case .fi: "ja"
            case .sv: "och"
            }
        return items.dropLast().joined(separator: ", ") + " \(and) " + items[items.count - 1]
    }

    /// Whether `text` is already as cleaning would leave it, judged from its UTF-8 bytes (a campaign cleans the
    /// same advice texts a million times): printable ASCII and letters only, no space at either end, for one line
    /// no double space. Any byte that could start a control, separator or bidi character (`C2`, `D8`, `E2`) sends
    /// the text the slow way, and so does any non-ASCII byte next to one of `<>&"'` (`separatingMarkup`).
    static func isClean(_ text: String, allowingNewlines: Bool) -> Bool {
        var copy = text
        return copy.withUTF8 { bytes in
            guard let first = bytes.first, let last = bytes.last else { return true }
            func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x09 }
            guard !isSpace(first), !isSpace(last) else { return false }
            func isMarkup(_ byte: UInt8) -> Bool {
                byte == 0x3C || byte == 0x3E || byte == 0x26 || byte == 0x22 || byte == 0x27
            }
            var previous: UInt8 = 0
            for byte in bytes {
                switch byte {
                case 0x0A where allowingNewlines, 0x09 where allowingNewlines: break
                case 0x00...0x1F, 0x7F, 0xC2, 0xD8, 0xE2: return false
                case 0x20 where previous == 0x20 && !allowingNewlines: return false
                case 0x80...0xFF where isMarkup(previous): return false
                // (A `where` would bind to the last pattern only and send every O'Brien down the slow path.)
                case 0x22, 0x26, 0x27, 0x3C, 0x3E:
                    if previous >= 0x80 { return false }
                default: break
                }
                previous = byte
            }
            return true
        }
    }

    static func isBreaking(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true  // C0 and C1 controls, DEL
        case 0x2028, 0x2029: true  // line and paragraph separators
        case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C: true  // bidi controls
        default: false
        }
    }
}

/// Dates as a person reads them in each language, in UTC (said in the text), by arithmetic rather than a
/// Foundation formatter: a campaign renders a million of them.
public enum NoticeDate {
    /// "1 December 2026" · "1.12.2026" · "1 december 2026".
    public static func day(_ date: Date, _ language: Language) -> String {
        let (year, month, day, _, _) = components(date)
        return switch language {
        case .en: "\(day) \(englishMonths[month - 1]) \(year)"
        case .fi: "\(day).\(month).\(year)"
        case .sv: "\(day) \(swedishMonths[month - 1]) \(year)"
        }
    }

    /// "1 December 2026 at 14:05 UTC" · "1.12.2026 klo 14.05 UTC" · "1 december 2026 kl. 14.05 UTC".
    public static func time(_ date: Date, _ language: Language) -> String {
        let (_, _, _, hour, minute) = components(date)
        let hh = hour < 10 ? "0\(hour)" : "\(hour)"
        let mm = minute < 10 ? "0\(minute)" : "\(minute)"
        return switch language {
        case .en: "\(day(date, language)) at \(hh):\(mm) UTC"
        case .fi: "\(day(date, language)) klo \(hh).\(mm) UTC"
        case .sv: "\(day(date, language)) kl. \(hh).\(mm) UTC"
        }
    }

    /// `2026-11-25T08:30` in UTC (`separator` between the date and the time), as a `datetime-local` input and
    /// the console's times show it.
    public static func minute(_ date: Date, separator: String = "T") -> String {
        let (year, month, day, hour, minute) = components(date)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let yyyy = year >= 0 && year < 1000 ? String(repeating: "0", count: 4 - "\(year)".count) + "\(year)" : "\(year)"
        return "\(yyyy)-\(two(month))-\(two(day))\(separator)\(two(hour)):\(two(minute))"
    }

    static let englishMonths = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
        "December",
    ]
    static let swedishMonths = [
        "januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november",
        "december",
    ]

    /// The proleptic Gregorian calendar date and time of day in UTC (Howard Hinnant's `civil_from_days`).
    static func components(_ date: Date) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int) {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 {
            secondOfDay += 86_400
            days -= 1
        }
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPrime = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthPrime + 2) / 5 + 1
        let month = monthPrime < 10 ? monthPrime + 3 : monthPrime - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day, secondOfDay / 3600, secondOfDay % 3600 / 60)
    }
}

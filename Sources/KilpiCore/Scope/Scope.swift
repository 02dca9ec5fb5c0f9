import Foundation

/// What a responder believes was affected: systems, a time window, and optionally the categories known to be
/// exposed and a list of the customers known to be affected. Versioned: each change is a new version.
public struct ScopeDraft: Sendable, Equatable, Codable {
    public var systemIDs: [Int64]
    public var windowStart: Date
    public var windowEnd: Date
    /// Categories known to be exposed; empty means "everything held there".
    public var categoryIDs: [String]
    /// External ids of customers known to be affected; empty means "everyone with a holding".
    public var customerExternalIDs: [String]
    /// Why this version exists ("logs show the attacker also read the CRM").
    public var note: String

    public init(
        systemIDs: [Int64],
        windowStart: Date,
        windowEnd: Date,
        categoryIDs: [String] = [],
        customerExternalIDs: [String] = [],
        note: String = ""
    ) {
        self.systemIDs = systemIDs
        self.windowStart = windowStart
        self.windowEnd = windowEnd
        self.categoryIDs = categoryIDs
        self.customerExternalIDs = customerExternalIDs
        self.note = note
    }

    /// Checks what can be checked without the database; the store checks that systems and categories exist.
    public func problems() -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if systemIDs.isEmpty {
            problems.append(
                FieldProblem("systems", .l("choose at least one affected system", "valitse vähintään yksi järjestelmä"))
            )
        }
        if windowEnd < windowStart {
            let start = ISO8601DateFormatter().string(from: windowStart)
            problems.append(
                FieldProblem(
                    "window_end",
                    .l(
                        "the window ends before it starts (window_start is \(start))",
                        "ikkuna päättyy ennen kuin se alkaa (window_start on \(start))"
                    )
                )
            )
        }
        let maximum = 2000
        if note.count > maximum {
            problems.append(FieldProblem("note", .l("at most \(maximum) characters", "enintään \(maximum) merkkiä")))
        }
        return problems
    }
}

/// One saved version of an incident's scope, with the exposure computed when it was saved.
public struct ScopeVersion: Sendable, Equatable, Codable, Identifiable {
    public let id: Int64
    public let incidentID: Int64
    public let version: Int
    public let draft: ScopeDraft
    public let createdAt: Date
    public let createdBy: String
    /// How many customers the uploaded list named (0: no list, everyone with a holding counts).
    public let listedCustomers: Int
    public let summary: ExposureSummary
    /// What changed against the previous version; nil for the first.
    public let diff: ExposureDiff?

    public init(
        id: Int64,
        incidentID: Int64,
        version: Int,
        draft: ScopeDraft,
        createdAt: Date,
        createdBy: String,
        listedCustomers: Int,
        summary: ExposureSummary,
        diff: ExposureDiff?
    ) {
        self.id = id
        self.incidentID = incidentID
        self.version = version
        self.draft = draft
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.listedCustomers = listedCustomers
        self.summary = summary
        self.diff = diff
    }
}

/// When a holding counts as exposed: it was held in an affected system at some moment of the window.
///
/// `heldUntil` is the last day held (inclusive, a UTC day), so a holding covers
/// `[heldFrom, heldUntil + 1 day)`; the window is inclusive at both ends.
public enum ExposureRule {
    public static let day: Int64 = 86_400_000

    public static func overlaps(
        heldFromMs: Int64,
        heldUntilMs: Int64?,
        windowStartMs: Int64,
        windowEndMs: Int64
    ) -> Bool {
        heldFromMs <= windowEndMs && (heldUntilMs.map { $0 + day > windowStartMs } ?? true)
    }
}

/// The headline numbers of an exposure, computed once when a scope version is saved.
public struct ExposureSummary: Sendable, Equatable, Codable {
    /// Distinct affected customers.
    public var customers: Int
    /// Customer × category pairs: the "records" of the impact estimate.
    public var pairs: Int
    /// Customers per exposed category id.
    public var byCategory: [String: Int]
    /// Customers per country, with US states as `US-CA`.
    public var byPlace: [String: Int]
    /// Customers per highest sensitivity of their exposed categories.
    public var bySensitivity: [String: Int]

    /// The `byPlace` key: `FI`, or `US-CA` for a US state.
    public static func placeCode(country: String, region: String) -> String {
        region.isEmpty ? country : "\(country)-\(region)"
    }

    public init(
        customers: Int = 0,
        pairs: Int = 0,
        byCategory: [String: Int] = [:],
        byPlace: [String: Int] = [:],
        bySensitivity: [String: Int] = [:]
    ) {
        self.customers = customers
        self.pairs = pairs
        self.byCategory = byCategory
        self.byPlace = byPlace
        self.bySensitivity = bySensitivity
    }
}

/// What changed between two scope versions' exposures.
public struct ExposureDiff: Sendable, Equatable, Codable {
    /// Customers exposed now who were not before.
    public var added: Int
    /// Customers no longer exposed.
    public var removed: Int
    /// Customers exposed in both whose exposed categories grew.
    public var widened: Int
    /// Customers exposed in both whose exposed categories shrank (and did not also grow).
    public var narrowed: Int
    /// Categories exposed now that were exposed for nobody before.
    public var newCategories: [String]
    /// Up to 50 external ids of added customers, for roles that may see them.
    public var addedSample: [String]

    public init(
        added: Int = 0,
        removed: Int = 0,
        widened: Int = 0,
        narrowed: Int = 0,
        newCategories: [String] = [],
        addedSample: [String] = []
    ) {
        self.added = added
        self.removed = removed
        self.widened = widened
        self.narrowed = narrowed
        self.newCategories = newCategories
        self.addedSample = addedSample
    }
}

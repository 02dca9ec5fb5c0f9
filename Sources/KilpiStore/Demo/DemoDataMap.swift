import Foundation
import KilpiCore
import SQLKit

/// Aurora's data map for the demo: five systems and fictional customers with realistic holdings.
/// Deterministic (a fixed seed), so every demo shows the same people; names are common first and last names
/// combined at random, emails use the reserved example domains.
public enum DemoDataMap {
    public static let systems: [SystemInput] = [
        SystemInput(
            name: "Aurora Web Shop",
            kind: .webShop,
            owner: "E-commerce team",
            location: "UpCloud, Helsinki (FI)",
            encryptedAtRest: false
        ),
        SystemInput(
            name: "Customer CRM",
            kind: .crm,
            owner: "Sales",
            location: "SaaS, EU (Frankfurt)",
            encryptedAtRest: true,
            keyLocation: "vendor-managed KMS"
        ),
        SystemInput(
            name: "Payment Gateway",
            kind: .paymentProcessor,
            owner: "Finance",
            location: "PSP, EU (Amsterdam)",
            encryptedAtRest: true,
            keyLocation: "PSP HSM"
        ),
        SystemInput(
            name: "Newsletter",
            kind: .emailMarketing,
            owner: "Marketing",
            location: "SaaS, US (Virginia)",
            encryptedAtRest: true,
            keyLocation: "vendor-managed"
        ),
        SystemInput(
            name: "Support Desk",
            kind: .supportDesk,
            owner: "Customer service",
            location: "SaaS, EU (Dublin)",
            encryptedAtRest: true,
            keyLocation: "vendor-managed"
        ),
    ]

    struct Origin {
        let country: String
        let language: String
        let weight: Int
        let first: [String]
        let last: [String]
        let phonePrefix: String
        let regions: [String]
    }

    static let origins: [Origin] = [
        Origin(
            country: "FI",
            language: "fi",
            weight: 60,
            first: [
                "Aino", "Eino", "Helmi", "Väinö", "Sofia", "Oliver", "Aada", "Leo", "Emilia", "Elias", "Siiri", "Onni",
                "Linnea", "Juho", "Pihla", "Matti", "Liisa", "Jyrki", "Päivi", "Tuomas",
            ],
            last: [
                "Korhonen", "Virtanen", "Mäkinen", "Nieminen", "Mäkelä", "Hämäläinen", "Laine", "Heikkinen", "Koskinen",
                "Järvinen", "Lehtonen", "Lehtinen", "Saarinen", "Salminen", "Heinonen", "Niemi", "Kinnunen", "Salonen",
                "Turunen", "Österberg",
            ],
            phonePrefix: "+358 40 ",
            regions: [""]
        ),
        Origin(
            country: "SE",
            language: "sv",
            weight: 20,
            first: ["Alice", "William", "Maja", "Hugo", "Elsa", "Lucas", "Astrid", "Oskar", "Ebba", "Nils"],
            last: [
                "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson",
                "Gustafsson", "Åberg", "Sjöström",
            ],
            phonePrefix: "+46 70 ",
            regions: [""]
        ),
        Origin(
            country: "DE",
            language: "de",
            weight: 12,
            first: ["Emma", "Noah", "Mia", "Ben", "Hannah", "Paul", "Lena", "Jonas", "Marie", "Felix"],
            last: [
                "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann",
                "Schäfer", "Köhler",
            ],
            phonePrefix: "+49 151 ",
            regions: [""]
        ),
        Origin(
            country: "US",
            language: "en",
            weight: 8,
            first: ["Olivia", "Liam", "Emma", "James", "Ava", "Benjamin", "Charlotte", "Lucas", "Amelia", "Henry"],
            last: [
                "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
            ],
            phonePrefix: "+1 555 01",
            regions: ["CA", "NY", "TX", "WA", "MA"]
        ),
    ]

    /// The seed of the demo's people: tests regenerate the same customers from it.
    public static let seed: UInt64 = 0x4B11_5041_5552_4F52

    /// A small deterministic generator (SplitMix64): the demo must look the same on every machine.
    public struct Generator: RandomNumberGenerator, Sendable {
        private var state: UInt64
        public init(seed: UInt64) { state = seed }
        public mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// The `index`-th demo customer.
    public static func customer(_ index: Int, using rng: inout Generator) -> CustomerInput {
        var pick = Int.random(in: 0..<100, using: &rng)
        var origin = origins[0]
        for candidate in origins {
            if pick < candidate.weight {
                origin = candidate
                break
            }
            pick -= candidate.weight
        }
        let first = origin.first.randomElement(using: &rng)!
        let last = origin.last.randomElement(using: &rng)!
        let domain = ["example.com", "example.net", "example.org"].randomElement(using: &rng)!
        let local = ascii("\(first).\(last)").lowercased()
        let digits = (0..<7).map { _ in String(Int.random(in: 0...9, using: &rng)) }.joined()
        let phone = origin.country == "US" ? origin.phonePrefix + String(digits.prefix(2)) : origin.phonePrefix + digits
        return CustomerInput(
            externalID: String(format: "AUR-%06d", index),
            name: "\(first) \(last)",
            email: "\(local).\(index)@\(domain)",
            phone: phone,
            language: origin.language,
            country: origin.country,
            region: origin.regions.randomElement(using: &rng)!
        )
    }

    /// The demo customer's holdings as (system index into `systems`, category, from, until).
    public static func holdings(
        for index: Int,
        using rng: inout Generator
    ) -> [(system: Int, category: String, from: Date, until: Date?)] {
        let start = Date(timeIntervalSince1970: 1_546_300_800)  // 2019-01-01
        let days = Int.random(in: 0..<(7 * 365), using: &rng)
        let joined = start.addingTimeInterval(Double(days) * 86_400)
        var result: [(Int, String, Date, Date?)] = []
        for category in ["name", "email", "phone", "postal_address", "order_history", "credentials", "ip_address"] {
            result.append((0, category, joined, nil))
        }
        for category in ["name", "email", "phone", "order_history"] { result.append((1, category, joined, nil)) }
        if Int.random(in: 0..<100, using: &rng) < 60 {
            result.append((2, "payment_card", joined, nil))
            result.append((0, "payment_card_last4", joined, nil))
        }
        if Int.random(in: 0..<100, using: &rng) < 40 {
            let until: Date? =
                Int.random(in: 0..<4, using: &rng) == 0
                ? joined.addingTimeInterval(Double(Int.random(in: 30..<700, using: &rng)) * 86_400) : nil
            result.append((3, "email", joined, until))
            result.append((3, "name", joined, until))
        }
        if Int.random(in: 0..<100, using: &rng) < 15 {
            for category in ["name", "email", "support_messages"] { result.append((4, category, joined, nil)) }
        }
        return result
    }

    static func ascii(_ text: String) -> String {
        let map: [Character: String] = [
            "ä": "a", "ö": "o", "å": "a", "ü": "u", "Ä": "A", "Ö": "O", "Å": "A", "Ü": "U", "ß": "ss",
        ]
        return text.map { map[$0] ?? String($0) }.joined()
    }
}

extension DemoDataMap {
    /// Seeds systems, categories, customers and holdings once (skipped when customers exist).
    /// Returns how many customers were created.
    @discardableResult
    public static func seed(store: Store, customers count: Int = 10_000, now: Date) async throws -> Int {
        try await store.dataMap.installCatalogue(now: now)
        guard try await store.customers.count() == 0 else { return 0 }
        try await store.database.transaction { sql in
            var rng = Generator(seed: seed)
            for system in systems { _ = try await store.dataMap.upsertSystem(system, now: now, in: sql) }
            let systemIDs = try await store.dataMap.systemIDsByName(in: sql)
            let ids = systems.map { systemIDs[DataMapRepository.nameKey($0.name)] ?? 0 }
            var start = 1
            while start <= count {
                let range = start...min(start + 499, count)
                let people = range.map { customer($0, using: &rng) }
                _ = try await store.customers.upsert(people, now: now, in: sql)
                var customerIDs: [String: Int64] = [:]
                for row in try await sql.raw(
                    "SELECT id, external_id FROM customers WHERE external_id IN (\(binds: people.map(\.externalID)))"
                ).all() {
                    customerIDs[try row.decode(column: "external_id", as: String.self)] = try row.decode(
                        column: "id",
                        as: Int64.self
                    )
                }
                var batch: [HoldingInput] = []
                for (offset, index) in range.enumerated() {
                    guard let customerID = customerIDs[people[offset].externalID] else { continue }
                    for holding in holdings(for: index, using: &rng) {
                        batch.append(
                            HoldingInput(
                                customerID: customerID,
                                systemID: ids[holding.system],
                                categoryID: holding.category,
                                heldFrom: holding.from,
                                heldUntil: holding.until
                            )
                        )
                    }
                }
                var position = 0
                while position < batch.count {
                    _ = try await store.dataMap.upsertHoldings(
                        Array(batch[position..<min(position + 500, batch.count)]),
                        in: sql
                    )
                    position += 500
                }
                start = range.upperBound + 1
            }
            try await store.audit.append(
                AuditEvent(actor: "system", action: .demoSeedDataMap, detail: "\(count) customers"),
                now: now,
                in: sql
            )
        }
        return count
    }
}

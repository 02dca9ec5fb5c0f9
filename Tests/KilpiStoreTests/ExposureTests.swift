import Foundation
import KilpiCore
import KilpiTestSupport
import SQLKit
import Testing

@testable import KilpiStore

/// The exposure against a ground truth computed here, independently, row by row over generated holdings.
@Suite struct ExposureTests {
    struct Holding: Hashable {
        let customer: Int64, system: Int64, category: String, from: Int64, until: Int64?
    }

    /// Generated data: systems, customers in several countries and US states, and holdings around the window,
    /// including the edges (ending the day before the window, on its first day, starting at its very end).
    struct World {
        var systems: [Int64] = []
        var customers: [Int64: (external: String, place: String)] = [:]
        var holdings: [Holding] = []
        var sensitivity: [String: Sensitivity] = [:]
    }

    static let day = ExposureRule.day
    static let windowStart = Date(epochMilliseconds: 100 * day + 6 * 3_600_000)
    static let windowEnd = Date(epochMilliseconds: 110 * day + 2 * 3_600_000)

    static func build(_ f: Fixture) async throws -> World {
        var world = World()
        try await f.store.dataMap.installCatalogue(now: f.now)
        let categories = try await f.store.dataMap.categories()
        world.sensitivity = Dictionary(uniqueKeysWithValues: categories.map { ($0.id, $0.sensitivity) })
        let categoryIDs = categories.map(\.id)
        // The demo's seeded generator, so a failure reproduces.
        var random = DemoDataMap.Generator(seed: 0x5EED)
        let places = [("FI", ""), ("SE", ""), ("US", "CA"), ("US", "TX"), ("DE", "")]
        let inputs = (0..<240).map { i in
            let place = places[i % places.count]
            return CustomerInput(
                externalID: "C\(i)",
                name: "Customer \(i)",
                email: "c\(i)@example.com",
                phone: nil,
                language: "fi",
                country: place.0,
                region: place.1
            )
        }
        try await f.database.transaction { [inputs] sql in
            _ = try await f.store.customers.upsert(inputs, now: f.now, in: sql)
            for name in ["Web shop", "CRM", "Payments", "Backups"] {
                try await sql.raw(
                    """
                    INSERT INTO systems (name, name_key, kind, owner, location, encrypted_at_rest, key_location, created_at, updated_at)
                    VALUES (\(bind: name), \(bind: name.lowercased()), 'other', 'IT', 'EU', \(bind: false), '', 0, 0)
                    """
                ).run()
            }
        }
        world.systems = try await f.store.dataMap.summaries().map(\.system.id).sorted()
        for input in inputs {
            let customer = try #require(try await f.store.customers.find(externalID: input.externalID))
            world.customers[customer.id] = (
                input.externalID, input.region.isEmpty ? input.country : "\(input.country)-\(input.region)"
            )
        }
        var keys = Set<String>()
        let ids = world.customers.keys.sorted()
        for (index, customer) in ids.enumerated() {
            let count = index % 11 == 0 ? 0 : Int(random.next() % 7)
            for _ in 0..<count {
                let from = Int64(80 + random.next() % 40) * day
                var until: Int64? = random.next() % 3 == 0 ? nil : from + Int64(random.next() % 25) * day
                if index % 13 == 1 { until = 99 * day }  // ends the day before the window: not exposed
                if index % 13 == 2 { until = 100 * day }  // last day is the window's first: exposed
                if let u = until, u < from { until = from }
                let holding = Holding(
                    customer: customer,
                    system: world.systems[Int(random.next() % UInt64(world.systems.count))],
                    category: categoryIDs[Int(random.next() % UInt64(categoryIDs.count))],
                    from: index % 17 == 3 ? 110 * day + 2 * 3_600_000 : (index % 17 == 4 ? 111 * day : from),
                    until: until
                )
                if let u = holding.until, u < holding.from { continue }
                if keys.insert("\(holding.customer)/\(holding.system)/\(holding.category)/\(holding.from)").inserted {
                    world.holdings.append(holding)
                }
            }
        }
        try await f.database.transaction { [world] sql in
            for holding in world.holdings {
                try await sql.raw(
                    """
                    INSERT INTO holdings (customer_id, system_id, category_id, held_from, held_until)
                    VALUES (\(bind: holding.customer), \(bind: holding.system), \(bind: holding.category), \(bind: holding.from), \(bind: holding.until))
                    """
                ).run()
            }
        }
        return world
    }

    /// The ground truth, straight from the definition: held in an affected system at some moment of the window.
    static func truth(
        _ world: World,
        systems: Set<Int64>,
        categories: Set<String> = [],
        customers: Set<Int64>? = nil
    ) -> [Int64: Set<String>] {
        let start = windowStart.epochMilliseconds
        let end = windowEnd.epochMilliseconds
        var result: [Int64: Set<String>] = [:]
        for h in world.holdings where systems.contains(h.system) {
            guard categories.isEmpty || categories.contains(h.category), customers?.contains(h.customer) ?? true else {
                continue
            }
            let heldThrough = h.until.map { $0 + day - 1 } ?? Int64.max  // the last millisecond of the last day held
            if h.from <= end && heldThrough >= start { result[h.customer, default: []].insert(h.category) }
        }
        return result
    }

    /// Every affected customer, read a page of 37 at a time.
    static func all(
        _ f: Fixture,
        _ scope: ScopeVersion,
        in scopes: ScopeRepository? = nil
    ) async throws -> [Int64: Set<String>] {
        var result: [Int64: Set<String>] = [:]
        var after: Int64 = 0
        while true {
            let page = try await (scopes ?? f.store.scopes).exposedCustomers(scopeID: scope.id, after: after, limit: 37)
            guard let last = page.last else { return result }
            for row in page { result[row.customerID] = Set(row.categories) }
            after = last.customerID
        }
    }

    /// Stored in chunks of 7 customers, so paging (37 at a time) crosses chunk boundaries, as a million customers
    /// do; and where customers live read as for a large scope (everyone's place, counted for the exposed).
    @Test(arguments: TestDatabases.engines)
    func exposureMatchesTheGroundTruthForEveryCustomerAndCategory(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let world = try await Self.build(f)
            let incident = try await IncidentRepositoryTests.declare(f, commander: try await f.user().id)
            let s = world.systems
            let scopes = ScopeRepository(
                database: f.database,
                customers: f.store.customers,
                tuning: .init(chunkSize: 7, placeLookupLimit: 0)
            )

            let v1 = try await scopes.create(
                incidentID: incident.id,
                ScopeDraft(systemIDs: [s[0], s[1]], windowStart: Self.windowStart, windowEnd: Self.windowEnd),
                actor: "a",
                now: f.now
            )
            let truth1 = Self.truth(world, systems: [s[0], s[1]])
            #expect(truth1.count > 20, "the generated data exercises the query")
            #expect(try await Self.all(f, v1, in: scopes) == truth1)
            #expect(v1.version == 1 && v1.diff == nil)
            #expect(v1.summary.customers == truth1.count)
            #expect(v1.summary.pairs == truth1.values.map(\.count).reduce(0, +))
            var byCategory: [String: Int] = [:]
            var byPlace: [String: Int] = [:]
            var bySensitivity: [String: Int] = [:]
            for (customer, categories) in truth1 {
                for category in categories { byCategory[category, default: 0] += 1 }
                byPlace[world.customers[customer]!.place, default: 0] += 1
                bySensitivity[categories.map { world.sensitivity[$0]! }.max()!.rawValue, default: 0] += 1
            }
            #expect(v1.summary.byCategory == byCategory)
            #expect(v1.summary.byPlace == byPlace)
            #expect(v1.summary.bySensitivity == bySensitivity)
            // The edges: holdings that ended the day before the window or start after it never count.
            let edges = world.holdings.filter { $0.until == 99 * Self.day || $0.from == 111 * Self.day }
            #expect(!edges.isEmpty)
            for h in edges where [s[0], s[1]].contains(h.system) {
                let others = world.holdings.filter {
                    $0.customer == h.customer && $0.category == h.category && $0 != h
                        && [s[0], s[1]].contains($0.system)
                }
                if others.isEmpty { #expect(truth1[h.customer]?.contains(h.category) != true) }
            }

            // Version 2 widens the systems and narrows to four known-exposed categories.
            let known: Set<String> = ["email", "name", "phone", "payment_card"]
            let v2 = try await scopes.create(
                incidentID: incident.id,
                ScopeDraft(
                    systemIDs: [s[0], s[1], s[2]],
                    windowStart: Self.windowStart,
                    windowEnd: Self.windowEnd,
                    categoryIDs: Array(known),
                    note: "CRM too"
                ),
                actor: "a",
                now: f.now
            )
            let truth2 = Self.truth(world, systems: [s[0], s[1], s[2]], categories: known)
            #expect(try await Self.all(f, v2, in: scopes) == truth2)
            let diff = try #require(v2.diff)
            let both = Set(truth1.keys).intersection(truth2.keys)
            #expect(diff.added == Set(truth2.keys).subtracting(truth1.keys).count)
            #expect(diff.removed == Set(truth1.keys).subtracting(truth2.keys).count)
            let grew = both.filter { !truth2[$0]!.isSubset(of: truth1[$0]!) }
            #expect(diff.widened == grew.count)
            #expect(diff.narrowed == both.filter { !truth1[$0]!.isSubset(of: truth2[$0]!) && !grew.contains($0) }.count)
            #expect(
                diff.newCategories
                    == Set(truth2.values.flatMap { $0 }).subtracting(truth1.values.flatMap { $0 }).sorted()
            )
            #expect(
                diff.addedSample
                    == Array(
                        Set(truth2.keys).subtracting(truth1.keys).map { world.customers[$0]!.external }.sorted().prefix(
                            50
                        )
                    )
            )
            #expect(diff.added + diff.removed + diff.widened + diff.narrowed > 0, "the diff is not vacuous")

            // Version 3: an uploaded list of customers known to be affected.
            let listed = Array(world.customers.keys.sorted().prefix(60))
            let v3 = try await scopes.create(
                incidentID: incident.id,
                ScopeDraft(
                    systemIDs: [s[0], s[1]],
                    windowStart: Self.windowStart,
                    windowEnd: Self.windowEnd,
                    customerExternalIDs: listed.map { world.customers[$0]!.external }
                ),
                actor: "a",
                now: f.now
            )
            #expect(
                try await Self.all(f, v3, in: scopes)
                    == Self.truth(world, systems: [s[0], s[1]], customers: Set(listed))
            )
            #expect(v3.listedCustomers == 60)

            let versions = try await f.store.scopes.versions(incidentID: incident.id)
            #expect(versions.map(\.version) == [3, 2, 1])
            #expect(
                versions[1].summary == v2.summary && versions[1].diff == v2.diff && versions[1].draft.note == "CRM too"
            )
            #expect(try await f.store.scopes.latest(incidentID: incident.id)?.id == v3.id)
            // Older versions keep their own snapshot.
            #expect(try await Self.all(f, versions[2], in: scopes) == truth1)
            #expect(
                try await f.store.incidents.timeline(incidentID: incident.id).filter { $0.kind == .scope }.count == 3
            )
            // Stored and counted the default way (large chunks; on PostgreSQL each place looked up), the same answer.
            let again = try await f.store.scopes.create(incidentID: incident.id, v1.draft, actor: "a", now: f.now)
            #expect(again.summary == v1.summary)
            #expect(try await Self.all(f, again) == truth1)
            // Against v3 (the listed customers only): everyone else is back, nobody left.
            let truth3 = Self.truth(world, systems: [s[0], s[1]], customers: Set(listed))
            #expect(again.diff?.added == Set(truth1.keys).subtracting(truth3.keys).count)
            #expect(again.diff?.removed == 0)

            // Customers erased since stay listed under their anonymous id; rows deleted outside Kilpi are left out,
            // and the pages still fill from the customers after them.
            let erased = Array(truth1.keys.sorted().dropFirst(2).prefix(3))
            let erasedCount = try await f.database.transaction { sql in
                var count = 0
                for id in erased where try await f.store.customers.erase(id: id, now: f.now, in: sql) { count += 1 }
                return count
            }
            #expect(erasedCount == erased.count)
            let listed1 = try await scopes.exposedCustomers(scopeID: v1.id, after: 0, limit: 10)
            #expect(listed1.map(\.customerID) == Array(truth1.keys.sorted().prefix(10)))
            #expect(listed1.filter { $0.externalID.hasPrefix("erased-") }.map(\.customerID) == erased)
            let deleted = Array(truth1.keys.sorted().dropFirst(5).prefix(12))
            try await f.database.execute(
                "DELETE FROM customers WHERE id IN (\(unsafeRaw: deleted.map(String.init).joined(separator: ",")))"
            )
            #expect(try await Self.all(f, versions[2], in: scopes) == truth1.filter { !deleted.contains($0.key) })
            let firstPage = try await scopes.exposedCustomers(scopeID: v1.id, after: 0, limit: 20)
            #expect(
                firstPage.map(\.customerID) == Array(truth1.keys.sorted().filter { !deleted.contains($0) }.prefix(20))
            )
            #expect(
                try await scopes.versions(incidentID: incident.id).last?.summary == v1.summary,
                "saved counts survive erasure"
            )
        }
    }

    @Test(arguments: TestDatabases.engines)
    func badScopesAreRefusedByFieldAndSaveNothing(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let world = try await Self.build(f)
            let incident = try await IncidentRepositoryTests.declare(f, commander: try await f.user().id)
            let s = world.systems
            func fields(_ draft: ScopeDraft, incident id: Int64? = nil) async -> [String] {
                do {
                    _ = try await f.store.scopes.create(incidentID: id ?? incident.id, draft, actor: "a", now: f.now)
                    return ["accepted"]
                } catch let error as IncidentError {
                    return error.isNotFound ? ["not found"] : error.problems.map(\.field)
                } catch {
                    return ["\(error)"]
                }
            }
            #expect(
                await fields(ScopeDraft(systemIDs: [s[0]], windowStart: Self.windowEnd, windowEnd: Self.windowStart))
                    == ["window_end"]
            )
            #expect(
                await fields(ScopeDraft(systemIDs: [], windowStart: Self.windowStart, windowEnd: Self.windowEnd)) == [
                    "systems"
                ]
            )
            #expect(
                await fields(
                    ScopeDraft(systemIDs: [s[0], 9_999], windowStart: Self.windowStart, windowEnd: Self.windowEnd)
                ) == ["systems"]
            )
            #expect(
                await fields(
                    ScopeDraft(
                        systemIDs: [s[0]],
                        windowStart: Self.windowStart,
                        windowEnd: Self.windowEnd,
                        categoryIDs: ["email", "aura"]
                    )
                ) == ["categories"]
            )
            #expect(
                await fields(
                    ScopeDraft(
                        systemIDs: [s[0]],
                        windowStart: Self.windowStart,
                        windowEnd: Self.windowEnd,
                        customerExternalIDs: ["C1", "NOPE-1", "NOPE-2"]
                    )
                ) == ["customer_ids", "customer_ids"]
            )
            #expect(
                await fields(
                    ScopeDraft(systemIDs: [s[0]], windowStart: Self.windowStart, windowEnd: Self.windowEnd),
                    incident: 4242
                ) == ["not found"]
            )
            for table in ["scope_versions", "scope_customers", "exposure_chunks"] {
                #expect(try await f.database.rowCount(table) == 0, "\(table)")
            }
            #expect(try await f.store.incidents.timeline(incidentID: incident.id).allSatisfy { $0.kind != .scope })
        }
    }
}

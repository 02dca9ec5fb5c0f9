@testable import KilpiCore
import Testing

@Suite struct ExposureSnapshotTests {
    /// Pairs in a scrambled order with duplicates, and what they mean, worked out with sets.
    static func sample(customers: Int, categories: [String], seed: UInt64) -> (pairs: [(Int64, String)], truth: [Int64: Set<String>]) {
        var generator = CSVTestRandom(seed: seed)
        var pairs: [(Int64, String)] = []
        var truth: [Int64: Set<String>] = [:]
        for _ in 0..<customers {
            let customer = Int64.random(in: 1...5_000_000, using: &generator)
            for category in categories where Bool.random(using: &generator) {
                pairs.append((customer, category))
                if Bool.random(using: &generator) { pairs.append((customer, category)) }
                truth[customer, default: []].insert(category)
            }
        }
        pairs.shuffle(using: &generator)
        return (pairs, truth)
    }

    static let manyCategories = (0..<19).map { "cat-\($0)" } + ["z", "Ä", "a"]

    @Test func buildsSortedCustomersWithExactlyTheirCategories() throws {
        let (pairs, truth) = Self.sample(customers: 3000, categories: Self.manyCategories, seed: 7)
        var builder = ExposureSnapshot.Builder()
        for (customer, category) in pairs { try builder.add(customer: customer, category: category) }
        let snapshot = builder.build()

        #expect(snapshot.customers == truth.keys.sorted())
        #expect(snapshot.categories == Set(truth.values.joined()).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        for (index, customer) in snapshot.customers.enumerated() {
            let expected = truth[customer]!.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            #expect(snapshot.categories(at: index) == expected)
            #expect(snapshot.categories(of: customer) == expected)
        }
        #expect(snapshot.categories(of: 0) == nil)
        #expect(snapshot.categories(of: 5_000_001) == nil)
    }

    @Test(arguments: [1, 7, 100, 4096])
    func chunksRoundTripAndCoverEveryCustomerOnce(size: Int) throws {
        let (pairs, truth) = Self.sample(customers: 1500, categories: Self.manyCategories, seed: UInt64(size))
        var builder = ExposureSnapshot.Builder()
        for (customer, category) in pairs { try builder.add(customer: customer, category: category) }
        let snapshot = builder.build()
        let chunks = snapshot.chunks(size: size)

        #expect(chunks.count == (truth.count + size - 1) / size)
        #expect(chunks.map(\.customers).reduce(0, +) == truth.count)
        for (chunk, next) in zip(chunks, chunks.dropFirst()) { #expect(chunk.lastCustomer < next.firstCustomer) }
        #expect(chunks.first?.firstCustomer == snapshot.customers.first)
        #expect(chunks.last?.lastCustomer == snapshot.customers.last)
        #expect(try ExposureSnapshot.decode(chunks.map(\.data)) == snapshot)
        // Any one chunk decodes alone into its own customers.
        let middle = chunks[chunks.count / 2]
        let alone = try ExposureSnapshot.decode([middle.data])
        #expect(alone.count == middle.customers)
        #expect(alone.customers.first == middle.firstCustomer && alone.customers.last == middle.lastCustomer)
    }

    @Test func anEmptySnapshotHasNoChunks() throws {
        let snapshot = ExposureSnapshot.Builder().build()
        #expect(snapshot.isEmpty && snapshot.categories.isEmpty)
        #expect(snapshot.chunks().isEmpty)
        #expect(try ExposureSnapshot.decode([[UInt8]]()) == snapshot)
    }

    @Test func chunksWithDifferentCategoryListsJoinByName() throws {
        var first = ExposureSnapshot.Builder(), second = ExposureSnapshot.Builder()
        try first.add(customer: 1, category: "email")
        try first.add(customer: 2, category: "card")
        try second.add(customer: 3, category: "phone")
        try second.add(customer: 3, category: "email")
        let joined = try ExposureSnapshot.decode([first.build().chunks()[0].data, second.build().chunks()[0].data])
        #expect(joined.categories == ["card", "email", "phone"])
        #expect(joined.categories(of: 1) == ["email"])
        #expect(joined.categories(of: 2) == ["card"])
        #expect(joined.categories(of: 3) == ["email", "phone"])
    }

    @Test func slicesAndPositionsForPaging() throws {
        var builder = ExposureSnapshot.Builder()
        for customer in [10, 20, 30, 40] as [Int64] { try builder.add(customer: customer, category: customer == 30 ? "b" : "a") }
        let snapshot = builder.build()
        #expect(snapshot.index(after: 0) == 0)
        #expect(snapshot.index(after: 20) == 2)
        #expect(snapshot.index(after: 25) == 2)
        #expect(snapshot.index(after: 40) == 4)
        let page = snapshot.slice(from: 1, limit: 2)
        #expect(page.customers == [20, 30])
        #expect(page.categories(at: 1) == ["b"])
        #expect(snapshot.slice(from: 4, limit: 10).isEmpty)
    }

    @Test func outOfRangeCustomersAreRefused() {
        var builder = ExposureSnapshot.Builder()
        #expect(throws: ExposureSnapshot.Builder.TooLarge.self) { try builder.add(customer: -1, category: "a") }
        #expect(throws: ExposureSnapshot.Builder.TooLarge.self) { try builder.add(customer: ExposureSnapshot.Builder.maximumCustomer, category: "a") }
    }

    @Test func damagedChunksAreRefusedNeverMisread() throws {
        var builder = ExposureSnapshot.Builder()
        for customer in 1...40 as ClosedRange<Int64> {
            for category in Self.manyCategories.prefix(Int(customer) % 11 + 1) { try builder.add(customer: customer * 1000, category: category) }
        }
        let data = builder.build().chunks()[0].data
        // Cut short anywhere: an error, not a crash or a shorter snapshot.
        for length in 0..<data.count {
            #expect(throws: ExposureSnapshot.CorruptChunk.self) { try ExposureSnapshot.decode([Array(data.prefix(length))]) }
        }
        #expect(throws: ExposureSnapshot.CorruptChunk.self) { try ExposureSnapshot.decode([data + [0]]) }
        var format = data
        format[0] = 9
        #expect(throws: ExposureSnapshot.CorruptChunk.self) { try ExposureSnapshot.decode([format]) }
        // Twice the same chunk: customers no longer ascend.
        #expect(throws: ExposureSnapshot.CorruptChunk.self) { try ExposureSnapshot.decode([data, data]) }
        // A bit for a category the chunk does not list (one category, bit 1 set).
        var oneCategory = ExposureSnapshot.Builder()
        try oneCategory.add(customer: 5, category: "a")
        var stray = oneCategory.build().chunks()[0].data
        stray[stray.count - 1] |= 0b10
        #expect(throws: ExposureSnapshot.CorruptChunk.self) { try ExposureSnapshot.decode([stray]) }
    }
}

import Foundation
import KilpiCore
import KilpiTestSupport
import SQLKit
import Testing

@testable import KilpiStore

/// Opening the page by reference code and email address: only the right pair opens it, every wrong one looks the
/// same, and guesses are limited per source, per code and per address.
@Suite struct SupportCodeTests {
    @Test(arguments: TestDatabases.engines)
    func onlyTheRightPairOpensAndEveryWrongOneLooksTheSame(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let s = try await SupportWorld.build(f)
            let links = f.store.supportLinks
            let code = s.codes["C0"]!
            // Typed loosely: lower case, a space instead of the dash, spaces around the address.
            let typed = code.lowercased().replacingOccurrences(of: "-", with: " ")
            let access = try #require(
                try await links.open(code: typed, email: "  PERSON0@example.com ", ip: "192.0.2.1", now: f.now).access
            )
            #expect(access.customerID == s.id("C0") && access.outboxID == s.rows["C0"]!.id)
            #expect(access.linkID == nil && access.channel == .code && access.campaignID == s.campaign.id)
            let wrong: [(String, String)] = [
                ("ZZZZ-ZZZZ", SupportWorld.email("C0")),  // no such code
                (code, SupportWorld.email("C1")),  // another customer's address
                (s.codes["C1"]!, SupportWorld.email("C0")),  // another customer's code with my address
                (code, "nobody@example.com"),  // an address of nobody's
                ("not a code", SupportWorld.email("C0")),  // not even a code
                (code, "not an address"),
            ]
            for (index, (code, email)) in wrong.enumerated() {
                let answer = try await links.open(code: code, email: email, ip: "192.0.2.\(index + 10)", now: f.now)
                #expect(answer == .refused(.unknown), "\(index)")
            }
            // An erased customer's old address opens nothing.
            #expect(
                try await links.open(code: code, email: SupportWorld.email("C7"), ip: "192.0.2.30", now: f.now)
                    == .refused(.unknown)
            )
        }
    }

    @Test(arguments: TestDatabases.engines)
    func guessesAreLimitedPerCodePerAddressAndPerSource(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let s = try await SupportWorld.build(f)
            let links = SupportLinkRepository(
                database: f.database,
                vault: f.store.vault,
                audit: f.store.audit,
                settings: SupportSettings(
                    limits: SupportLimits(codeAttemptsPerSource: 4, codeAttemptsPerCode: 3, codeAttemptsPerEmail: 3)
                )
            )
            let code = s.codes["C3"]!
            let email = SupportWorld.email("C3")
            // A known code paired with guessed addresses, each from its own source: the code's limit stops it.
            for index in 0..<3 {
                let answer = try await links.open(
                    code: code,
                    email: "guess\(index)@example.com",
                    ip: "198.51.100.\(index)",
                    now: f.now
                )
                #expect(answer == .refused(.unknown))
            }
            #expect(
                try await links.open(code: code, email: "guess9@example.com", ip: "198.51.100.98", now: f.now)
                    == .refused(.throttled)
            )
            // The guesses never lock the customer out: their own pair still opens the page.
            #expect(try await links.open(code: code, email: email, ip: "198.51.100.99", now: f.now).access != nil)
            // A known address paired with guessed codes.
            let other = SupportWorld.email("C4")
            for index in 0..<3 {
                let answer = try await links.open(
                    code: "ZZZZ-ZZZ\(index)",
                    email: other,
                    ip: "203.0.113.\(index)",
                    now: f.now
                )
                #expect(answer == .refused(.unknown))
            }
            #expect(
                try await links.open(code: "ZZZZ-ZZZ9", email: other, ip: "203.0.113.98", now: f.now)
                    == .refused(.throttled)
            )
            #expect(
                try await links.open(code: s.codes["C4"]!, email: other, ip: "203.0.113.99", now: f.now).access != nil
            )
            // The code route's cookie reopens without touching a counter.
            let before = try await f.database.dump("support_attempts")
            #expect(try await links.reopen(code: s.codes["C4"]!, email: other).access != nil)
            #expect(try await links.reopen(code: s.codes["C4"]!, email: "someone@example.com") == .refused(.unknown))
            #expect(try await f.database.dump("support_attempts") == before)
            // One source trying many pairs; a right pair gives its slot back.
            #expect(
                try await links.open(
                    code: s.codes["C6"]!,
                    email: SupportWorld.email("C6"),
                    ip: "192.0.2.200",
                    now: f.now
                ).access != nil
            )
            for index in 0..<4 {
                _ = try await links.open(
                    code: "YYYY-YYY\(index)",
                    email: "x\(index)@example.com",
                    ip: "192.0.2.200",
                    now: f.now
                )
            }
            #expect(
                try await links.open(
                    code: s.codes["C6"]!,
                    email: SupportWorld.email("C6"),
                    ip: "192.0.2.200",
                    now: f.now
                )
                    == .refused(.throttled)
            )
            // The next window starts afresh.
            f.clock.advance(15 * 60)
            #expect(try await links.open(code: code, email: email, ip: "198.51.100.99", now: f.now).access != nil)
            // Counters name codes and addresses only by a keyed prefix.
            let counters = try await f.database.dump("support_attempts")
            #expect(!counters.contains(code) && !counters.contains(code.replacingOccurrences(of: "-", with: "")))
            #expect(!counters.contains("example.com"))
        }
    }
}

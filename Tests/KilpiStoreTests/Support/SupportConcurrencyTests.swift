import Foundation
import KilpiCore
import KilpiTestSupport
import SQLKit
import Testing

@testable import KilpiStore

/// Parallel requests (several `serve` processes on PostgreSQL do this for real) get no more than one use of a
/// code and no more checks than the limits allow.
@Suite struct SupportConcurrencyTests {
    @Test(arguments: TestDatabases.engines)
    func aCodeSubmittedManyTimesAtOnceMakesOneInquiry(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let s = try await SupportWorld.build(f)
            let form = ContactFormService(store: f.store)
            let v = try await form.start(
                email: SupportWorld.email("C1"),
                incidentID: s.notices.incidentID,
                language: .en,
                ip: "192.0.2.1",
                now: f.now
            )
            let accepted = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        do {
                            _ = try await form.submit(
                                challenge: v.challenge,
                                code: v.code,
                                text: "Question",
                                language: .en,
                                ip: "192.0.2.1",
                                now: f.now
                            )
                            return true
                        } catch is SupportError {
                            return false
                        }
                    }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(accepted == 1)
            #expect(try await f.database.rowCount("support_inquiries") == 1)
        }
    }

    @Test(arguments: TestDatabases.engines)
    func aBurstOfGuessesGetsNoMoreChecksThanTheLimit(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let s = try await SupportWorld.build(f)
            let links = SupportLinkRepository(
                database: f.database,
                vault: f.store.vault,
                audit: f.store.audit,
                settings: SupportSettings(
                    limits: SupportLimits(codeAttemptsPerSource: 5, codeAttemptsPerCode: 100, codeAttemptsPerEmail: 100)
                )
            )
            let email = SupportWorld.email("C0")
            let answers = try await withThrowingTaskGroup(of: SupportResolution.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        try await links.open(
                            code: "ZZZZ-ZZ\(index % 10)\(index / 10)",
                            email: email,
                            ip: "203.0.113.5",
                            now: f.now
                        )
                    }
                }
                return try await group.reduce(into: [SupportResolution]()) { $0.append($1) }
            }
            #expect(answers.filter { $0 == .refused(.unknown) }.count == 5)
            #expect(answers.filter { $0 == .refused(.throttled) }.count == 15)
            _ = s
        }
    }
}

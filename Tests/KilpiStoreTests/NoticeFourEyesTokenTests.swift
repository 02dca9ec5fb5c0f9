import Foundation
import KilpiCore
import KilpiTestSupport
import Testing

@testable import KilpiStore

/// Four eyes are two people, not two credentials: an API token acts for the person who made it.
@Suite struct NoticeFourEyesTokenTests {
    @Test(arguments: TestDatabases.engines)
    func nobodyApprovesTheirOwnDraftWithTheirOwnToken(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let service = NoticeService(store: f.store, checker: UnknownVariableChecker())
            let writer = Caller(.user(7), ip: "198.51.100.7")
            let draft = try await service.saveTemplate(
                key: "general",
                language: .en,
                text: NoticeWorld.text(.en),
                by: writer,
                now: f.now
            )
            let own = try await f.store.tokens.create(
                name: "mine",
                role: .communicator,
                createdBy: "user:7",
                expiresAt: f.now.addingTimeInterval(86_400),
                now: f.now
            ).token
            let other = try await f.store.tokens.create(
                name: "colleague's",
                role: .communicator,
                createdBy: "user:8",
                expiresAt: f.now.addingTimeInterval(86_400),
                now: f.now
            ).token
            await #expect(throws: NoticeError.self) {
                try await service.approveTemplate(id: draft.id, by: Caller(.token(own.id), ip: "local"), now: f.now)
            }
            #expect(try await f.store.noticeTemplates.find(id: draft.id)?.isApproved == false)
            // A draft saved through one of a person's tokens is theirs too.
            let second = try await service.saveTemplate(
                key: "general",
                language: .fi,
                text: NoticeWorld.text(.fi),
                by: Caller(.token(own.id), ip: "local"),
                now: f.now
            )
            await #expect(throws: NoticeError.self) {
                try await service.approveTemplate(id: second.id, by: writer, now: f.now)
            }
            // Someone else's token is a second pair of eyes.
            let approved = try await service.approveTemplate(
                id: draft.id,
                by: Caller(.token(other.id), ip: "local"),
                now: f.now
            )
            #expect(approved.isApproved)
        }
    }
}

import Foundation
import KilpiCore
import KilpiTestSupport
import SQLKit
import Testing

@testable import KilpiStore

/// Template versions and four-eyes approval.
@Suite struct NoticeTemplateTests {
    @Test(arguments: TestDatabases.engines)
    func aNewVersionIsADraftAndOnlySomeoneElseMayApproveIt(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let service = NoticeService(store: f.store, checker: UnknownVariableChecker())
            let editor = NoticeWorld.editor
            let v1 = try await service.saveTemplate(
                key: "general",
                language: .en,
                text: NoticeWorld.text(.en),
                by: editor,
                now: f.now
            )
            #expect(v1.version == 1 && !v1.isApproved)
            do {
                _ = try await service.approveTemplate(id: v1.id, by: editor, now: f.now)
                Issue.record("the editor approved their own version")
            } catch let error as NoticeError {
                #expect(error.problems.map(\.field) == ["approved_by"])
                #expect(error.message(in: .fi).contains("neljän silmän"))
            }
            #expect(try await f.store.noticeTemplates.approved(key: "general", language: .en) == nil)
            let approved = try await service.approveTemplate(id: v1.id, by: NoticeWorld.approver, now: f.now)
            #expect(approved.approvedBy == "user:2")
            await #expect(throws: NoticeError.self) {
                _ = try await service.approveTemplate(id: v1.id, by: Caller(.user(3), ip: "x"), now: f.now)
            }
            // Editing after approval makes a new draft; the approved version stays the one sent.
            let v2 = try await service.saveTemplate(
                key: "general",
                language: .en,
                text: NoticeTemplateText(subject: "New", text: "b", html: "<p>b</p>"),
                by: NoticeWorld.approver,
                now: f.now
            )
            #expect(v2.version == 2 && !v2.isApproved)
            #expect(try await f.store.noticeTemplates.approved(key: "general", language: .en)?.id == v1.id)
            // The approver of v1 edited v2, so they cannot approve it; the first editor can.
            await #expect(throws: NoticeError.self) {
                _ = try await service.approveTemplate(id: v2.id, by: NoticeWorld.approver, now: f.now)
            }
            _ = try await service.approveTemplate(id: v2.id, by: editor, now: f.now)
            #expect(try await f.store.noticeTemplates.approved(key: "general", language: .en)?.id == v2.id)
            let versions = try await f.store.noticeTemplates.versions(key: "general", language: .en)
            #expect(versions.map(\.version) == [2, 1] && versions.allSatisfy(\.isApproved))
            #expect(
                try await f.auditActions().filter { $0.hasPrefix("notice.") } == [
                    "notice.template_save", "notice.template_approve", "notice.template_save",
                    "notice.template_approve",
                ]
            )
        }
    }

    @Test(arguments: TestDatabases.engines)
    func badTemplatesAreRefusedByFieldAndSaveNothing(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let service = NoticeService(store: f.store, checker: UnknownVariableChecker())
            let fields = { (key: String, text: NoticeTemplateText) async -> [String] in
                await Self.refusedFields(service, key, text, now: f.now)
            }
            #expect(await fields("nope", NoticeWorld.text(.fi)) == ["key"])
            #expect(
                await fields("general", NoticeTemplateText(subject: " ", text: "", html: "")) == [
                    "subject", "text", "html",
                ]
            )
            #expect(
                await fields("general", NoticeTemplateText(subject: "s", text: "{{unknown}}", html: "<p></p>")) == [
                    "text"
                ]
            )
            let saved = try await f.database.rowCount("notice_templates")
            #expect(saved == 0)
            #expect(try await f.auditActions().isEmpty)
        }
    }

    static func refusedFields(
        _ service: NoticeService,
        _ key: String,
        _ text: NoticeTemplateText,
        now: Date
    ) async -> [String] {
        do {
            _ = try await service.saveTemplate(key: key, language: .fi, text: text, by: .cli, now: now)
            return ["accepted"]
        } catch let error as NoticeError {
            return error.problems.map(\.field)
        } catch {
            return ["\(error)"]
        }
    }

    @Test(arguments: TestDatabases.engines)
    func shippedTemplatesAreInstalledOnceAsDrafts(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let service = NoticeService(store: f.store, checker: UnknownVariableChecker())
            let shipped = Dictionary(uniqueKeysWithValues: Language.allCases.map { ($0, NoticeWorld.text($0)) })
            let installed = try await service.installShipped(shipped, now: f.now)
            #expect(installed.count == 3 && installed.allSatisfy { !$0.isApproved && $0.createdBy == "system" })
            #expect(try await service.installShipped(shipped, now: f.now).isEmpty)
            // Any person may approve what Kilpi shipped.
            _ = try await service.approveTemplate(id: installed[0].id, by: .cli, now: f.now)
        }
    }

    @Test(arguments: TestDatabases.engines)
    func aPreviewIsAuditedAsAViewOfTheCustomer(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let w = try await NoticeWorld.build(f)
            let template = try #require(try await f.store.noticeTemplates.approved(key: "general", language: .fi))
            try await w.service.recordPreview(customerID: w.id("C0"), templateID: template.id, by: w.editor, now: f.now)
            let entry = try #require(try await f.store.audit.entries(AuditFilter(actionPrefix: "notice.preview")).first)
            #expect(entry.target == "customer:\(w.id("C0"))" && entry.detail == "notice_template:\(template.id)")
            await #expect(throws: NoticeError.self) {
                try await w.service.recordPreview(
                    customerID: 999_999,
                    templateID: template.id,
                    by: w.editor,
                    now: f.now
                )
            }
        }
    }
}

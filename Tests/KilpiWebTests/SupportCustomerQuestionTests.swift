import Foundation
import HTTPTypes
import KilpiCore
import KilpiStore
import KilpiTestSupport
import Testing

@testable import KilpiWeb

/// Asking from the personal page: a question, staff's reply in the thread, a follow-up; refusals that name the field
/// in the reader's language and save nothing; CSRF; another customer's inquiry is not found.
@Suite struct SupportCustomerQuestionTests {
    @Test(arguments: TestDatabases.engines)
    func askReadTheReplyAndWriteAgain(engine: SQLEngine) async throws {
        try await WebTestApp.run(engine) { app in
            let f = try await SupportPortalFixture.make(app, customers: 3)
            let customer = f.notified[2]
            let token = try await f.link(app, customer)
            let path = Routes.supportPage.path(["token": token])
            var browser = SupportBrowser(app)
            _ = try await browser.get(path)
            let asked = try await browser.post(
                Routes.supportQuestion.path(["token": token]),
                [("text", "Was my card number taken?")]
            )
            #expect(asked.status == .seeOther)
            let access = try #require(
                try await app.store.supportLinks.resolve(token: token, ip: "test", now: app.clock.now).access
            )
            let inquiries = try await InquiryService(store: app.store).customerInquiries(access)
            let inquiry = try #require(inquiries.first)
            #expect(inquiries.count == 1 && inquiry.channel == .link && inquiry.language == customer.language)
            #expect(asked.headers[.location] == path + "?asked=1#inquiry-\(inquiry.id)")

            let service = InquiryService(store: app.store)
            let staff = Caller(.user(f.agent.user.id), ip: "test")
            _ = try await service.reply(
                inquiryID: inquiry.id,
                text: "No: only the last four digits.",
                by: staff,
                now: app.clock.now
            )
            _ = try await service.note(
                inquiryID: inquiry.id,
                text: "internal: check logs",
                by: staff,
                now: app.clock.now
            )
            let page = WebTestApp.text(try await browser.get(path))
            #expect(page.contains("Was my card number taken?"))
            #expect(page.contains("No: only the last four digits."))
            #expect(!page.contains("internal: check logs"), "notes never reach the customer")

            let again = try await browser.post(
                Routes.supportMessage.path(["token": token, "id": String(inquiry.id)]),
                [("text", "Thanks. And my address?")]
            )
            #expect(again.status == .seeOther)
            let thread = try await service.customerThread(inquiryID: inquiry.id, access: access)
            #expect(thread.messages.map(\.kind) == [.customer, .reply, .customer])

            // Another customer's page cannot write into this inquiry.
            let other = f.notified[1]
            let otherToken = try await f.link(app, other)
            var intruder = SupportBrowser(app)
            _ = try await intruder.get(Routes.supportPage.path(["token": otherToken]))
            let refused = try await intruder.post(
                Routes.supportMessage.path(["token": otherToken, "id": String(inquiry.id)]),
                [("text", "hello")]
            )
            #expect(refused.status == .notFound)
            #expect(
                !WebTestApp.text(try await intruder.get(Routes.supportPage.path(["token": otherToken]))).contains(
                    "Was my card"
                )
            )
            #expect(try await service.customerThread(inquiryID: inquiry.id, access: access).messages.count == 3)
        }
    }

    @Test(arguments: TestDatabases.engines)
    func emptyAndOversizedQuestionsAreRefusedNamingTheFieldAndNothingIsSaved(engine: SQLEngine) async throws {
        try await WebTestApp.run(engine) { app in
            let f = try await SupportPortalFixture.make(app, customers: 3)
            let customer = f.notified[2]
            let token = try await f.link(app, customer)
            var browser = SupportBrowser(app)
            _ = try await browser.get(Routes.supportPage.path(["token": token]) + "?lang=fi")
            let empty = try await browser.post(Routes.supportQuestion.path(["token": token]), [("text", "  \n ")])
            #expect(empty.status == .badRequest)
            #expect(WebTestApp.text(empty).contains("Viestisi: kirjoita viestisi"))
            let long = String(repeating: "a", count: SupportText.maximumLength + 1)
            let oversized = try await browser.post(Routes.supportQuestion.path(["token": token]), [("text", long)])
            #expect(oversized.status == .badRequest)
            #expect(WebTestApp.text(oversized).contains("Viestisi: enintään \(SupportText.maximumLength) merkkiä"))
            #expect(WebTestApp.text(oversized).contains(long), "the text is kept to be shortened")
            let access = try #require(
                try await app.store.supportLinks.resolve(token: token, ip: "test", now: app.clock.now).access
            )
            #expect(try await InquiryService(store: app.store).customerInquiries(access).isEmpty)
        }
    }

    @Test(arguments: TestDatabases.engines)
    func aQuestionWithoutTheRightFormTokenIsRejected(engine: SQLEngine) async throws {
        try await WebTestApp.run(engine) { app in
            let f = try await SupportPortalFixture.make(app, customers: 3)
            let token = try await f.link(app, f.notified[2])
            var browser = SupportBrowser(app)
            _ = try await browser.get(Routes.supportPage.path(["token": token]))
            let wrong = try await browser.post(
                Routes.supportQuestion.path(["token": token]),
                [("text", "hello")],
                csrf: "x" + String(repeating: "y", count: 42)
            )
            #expect(wrong.status == .forbidden)
            var cookieless = SupportBrowser(app)
            let none = try await cookieless.post(
                Routes.supportQuestion.path(["token": token]),
                [("text", "hello")],
                csrf: browser.csrf
            )
            #expect(none.status == .forbidden)
            // The code form and the contact form are guarded the same way.
            #expect(
                try await cookieless.post(Routes.supportOpen.path(), [("code", "X"), ("email", "a@b.fi")]).status
                    == .forbidden
            )
            #expect(
                try await cookieless.post(Routes.supportContactStart.path(), [("email", "a@b.fi")]).status == .forbidden
            )
            let access = try #require(
                try await app.store.supportLinks.resolve(token: token, ip: "test", now: app.clock.now).access
            )
            #expect(try await InquiryService(store: app.store).customerInquiries(access).isEmpty)
        }
    }

    @Test func aQuestionFromThePageOpenedByCodeIsTheCustomers() async throws {
        try await WebTestApp.run { app in
            let f = try await SupportPortalFixture.make(app, customers: 3)
            let customer = f.notified[2]
            var browser = SupportBrowser(app)
            _ = try await browser.get(Routes.supportHome.path())
            _ = try await browser.post(
                Routes.supportOpen.path(),
                [("code", customer.row.referenceCode), ("email", customer.email)]
            )
            _ = try await browser.get(Routes.supportCodePage.path())
            let asked = try await browser.post(Routes.supportCodeQuestion.path(), [("text", "By code")])
            #expect(asked.status == .seeOther)
            #expect(asked.headers[.location]?.hasPrefix(Routes.supportCodePage.path() + "?asked=1") == true)
            let inquiries = try await app.store.inquiries.list(
                customerID: customer.customerID,
                incidentID: f.incident.id
            )
            #expect(inquiries.count == 1 && inquiries.first?.channel == .code)
            let id = try #require(inquiries.first?.id)
            let again = try await browser.post(Routes.supportCodeMessage.path(id: id), [("text", "Again")])
            #expect(again.status == .seeOther)
            #expect(WebTestApp.text(try await browser.get(Routes.supportCodePage.path())).contains("Again"))
        }
    }
}

import Foundation
import KilpiCore
import KilpiStore

/// The inbox, a thread with its forms, and the names the staff pages use for states.
enum SupportInboxViews {
    struct Filter: Sendable, Equatable {
        var incidentID: Int64?
        var status: InquiryStatus?
        /// `nil`: anyone; `.some(nil)`: nobody assigned; `.some(id)`: that staff member.
        var assignee: Int64??
        var before: Int64?

        var query: String {
            var parts: [String] = []
            if let incidentID { parts.append("incident=\(incidentID)") }
            if let status { parts.append("status=\(status.rawValue)") }
            if let assignee { parts.append("assignee=\(assignee.map(String.init) ?? "none")") }
            return parts.joined(separator: "&")
        }
    }

    struct Inbox {
        let rows: [SupportInboxQuery.Row]
        let total: Int
        let filter: Filter
        let incidents: [Incident]
        let staff: [StaffUser]
        /// The `before` of the next page; nil on the last.
        let next: Int64?
    }

    static func statusName(_ status: InquiryStatus, _ view: ViewContext) -> String {
        switch status {
        case .new: view.l("new", "uusi")
        case .open: view.l("open", "avoin")
        case .waitingForCustomer: view.l("waiting for customer", "odottaa asiakasta")
        case .resolved: view.l("resolved", "ratkaistu")
        }
    }

    static func slaName(_ status: SLAStatus, _ view: ViewContext) -> String {
        switch status {
        case .ok: view.l("on time", "ajallaan")
        case .warning: view.l("due soon", "erääntyy pian")
        case .breached: view.l("overdue", "myöhässä")
        case .met: view.l("met", "saavutettu")
        case .missed: view.l("missed", "ylittyi")
        }
    }

    /// A target's state: the class `sla-warning` / `sla-breached` marks the escalations.
    static func target(_ state: TargetState, _ view: ViewContext) -> HTML {
        let percent = Int((state.share * 100).rounded())
        let due: HTML =
            state.status.isRunning
            ? " · \(view.l("due", "määräaika")) \(FormTime.show(state.due))\(state.isPaused ? " (\(view.l("paused", "tauolla")))" : "")"
            : .empty
        return
            "<span class=\"badge sla-\(state.status.rawValue)\">\(slaName(state.status, view))</span> <span class=\"muted\">\(percent) %\(due)</span>"
    }

    static func names(_ staff: [StaffUser]) -> [Int64: String] {
        Dictionary(staff.map { ($0.id, $0.displayName) }, uniquingKeysWith: { first, _ in first })
    }

    static func inbox(_ view: ViewContext, _ page: Inbox) -> HTML {
        let names = names(page.staff)
        let rows: [HTML] = page.rows.map { row in
            let inquiry = row.inquiry
            let highlight = row.sla.highlight
            let mark: HTML =
                highlight == .breached
                ? " class=\"sla-breached\"" : highlight == .warning ? " class=\"sla-warning\"" : .empty
            return """
                <tr\(mark)><td><a href="\(Routes.supportInquiry.path(id: inquiry.id))">#\(inquiry.id)</a></td>\
                <td>\(row.incident?.reference ?? "INC-\(inquiry.incidentID)") \(row.incident?.severity.rawValue ?? "")</td>\
                <td>\(statusName(inquiry.status, view))</td><td>\(inquiry.language.name)</td>\
                <td>\(inquiry.assigneeID.map { names[$0] ?? "#\($0)" } ?? "–")</td>\
                <td class="nowrap">\(FormTime.show(inquiry.createdAt))</td>\
                <td>\(target(row.sla.firstResponse, view))</td><td>\(target(row.sla.resolution, view))</td></tr>
                """
        }
        let incidentOptions: [HTML] = page.incidents.map { incident in
            "<option value=\"\(incident.id)\"\(page.filter.incidentID == incident.id ? " selected" as HTML : .empty)>\(incident.reference) \(incident.title)</option>"
        }
        let statusOptions: [HTML] = InquiryStatus.allCases.map { status in
            "<option value=\"\(status.rawValue)\"\(page.filter.status == status ? " selected" as HTML : .empty)>\(statusName(status, view))</option>"
        }
        let assigneeOptions: [HTML] =
            [
                "<option value=\"none\"\(page.filter.assignee == .some(nil) ? " selected" as HTML : .empty)>\(view.l("nobody", "ei kukaan"))</option>"
            ]
            + page.staff.map { user in
                "<option value=\"\(user.id)\"\(page.filter.assignee == .some(user.id) ? " selected" as HTML : .empty)>\(user.displayName)</option>"
            }
        let query = page.filter.query
        let nextLink: HTML =
            page.next.map { next in
                "<p><a href=\"\(Routes.supportInbox.path())?\(query.isEmpty ? "" : query + "&")before=\(next)\">\(view.l("Older inquiries", "Vanhemmat kysymykset"))</a></p>"
            } ?? .empty
        let table: HTML =
            rows.isEmpty
            ? "<p>\(view.l("No inquiry matches.", "Yksikään kysymys ei täsmää."))</p>"
            : """
            <table><thead><tr><th>#</th><th>\(view.l("Incident", "Tapaus"))</th><th>\(view.l("Status", "Tila"))</th>\
            <th>\(view.l("Language", "Kieli"))</th><th>\(view.l("Assignee", "Käsittelijä"))</th>\
            <th>\(view.l("Received", "Saapunut"))</th><th>\(view.l("First response", "Ensimmäinen vastaus"))</th>\
            <th>\(view.l("Resolution", "Ratkaisu"))</th></tr></thead><tbody>\(rows)</tbody></table>
            """
        return Layout.page(
            view.l("Support inbox", "Tuen saapuneet"),
            view,
            wide: true,
            body: """
                <h1>\(view.l("Support inbox", "Tuen saapuneet"))</h1>
                <p><a href="\(Routes.supportMetrics.path())">\(view.l("Support metrics", "Tuen mittarit"))</a></p>
                <form method="get" action="\(Routes.supportInbox.path())" class="filters">
                <label for="incident">\(view.l("Incident", "Tapaus"))</label>
                <select id="incident" name="incident"><option value="">\(view.l("all", "kaikki"))</option>\(incidentOptions)</select>
                <label for="status">\(view.l("Status", "Tila"))</label>
                <select id="status" name="status"><option value="">\(view.l("all", "kaikki"))</option>\(statusOptions)</select>
                <label for="assignee">\(view.l("Assignee", "Käsittelijä"))</label>
                <select id="assignee" name="assignee"><option value="">\(view.l("anyone", "kuka tahansa"))</option>\(assigneeOptions)</select>
                <button type="submit">\(view.l("Filter", "Suodata"))</button>
                </form>
                <p class="muted">\(view.l("Inquiries matching", "Täsmääviä kysymyksiä")): \(page.total)</p>
                \(table)
                \(nextLink)
                """
        )
    }

    struct Thread {
        let thread: InquiryThread
        let row: SupportInboxQuery.Row
        let staff: [StaffUser]
        /// The customer's external id and exposed categories in the incident's latest scope: only for a role with
        /// `customerPII` (nil otherwise, or when the inquiry has no customer).
        let exposure: (externalID: String, customerID: Int64, categories: [String])?
        let categories: [String: DataCategory]
        let answers: [SupportAnswer]
        /// Whether the page of the notice the inquiry came from is closed; nil for a contact-form inquiry.
        let noticeClosed: Bool?
        var replyText = ""
        var problems: [FieldProblem] = []
    }

    static func thread(_ view: ViewContext, _ page: Thread) -> HTML {
        let inquiry = page.thread.inquiry
        let names = names(page.staff)
        let messages: [HTML] = page.thread.messages.map { message in
            let who: String =
                switch message.kind {
                case .customer: view.l("Customer", "Asiakas")
                case .reply:
                    "\(view.l("Reply", "Vastaus")) · \(message.authorID.flatMap { names[$0] } ?? message.actor)"
                case .note:
                    "\(view.l("Internal note", "Sisäinen muistiinpano")) · \(message.authorID.flatMap { names[$0] } ?? message.actor)"
                }
            let lines: [HTML] = message.text.split(separator: "\n", omittingEmptySubsequences: false).map { "\($0)" }
            return """
                <li class="message \(message.kind.rawValue)"><p class="muted">\(who) · \(FormTime.show(message.createdAt))</p>\
                <p>\(HTML(unsafeRaw: lines.map(\.rendered).joined(separator: "<br>")))</p></li>
                """
        }
        let exposure: HTML =
            page.exposure.map { exposure in
                let items: [HTML] = exposure.categories.map {
                    "<li>\(DataMapViews.categoryName($0, page.categories, view))</li>"
                }
                return """
                    <aside class="exposure"><h2>\(view.l("Customer's exposure", "Asiakkaan altistuminen"))</h2>
                    <p><a href="\(Routes.customer.path(id: exposure.customerID))">\(exposure.externalID)</a></p>
                    \(items.isEmpty ? "<p>\(view.l("Not in the latest scope.", "Ei viimeisimmässä rajauksessa."))</p>" as HTML : "<ul>\(items)</ul>")
                    </aside>
                    """
            } ?? .empty
        let answering = view.may(Routes.supportReply)
        let cannedOptions: [HTML] = page.answers.filter { $0.language == inquiry.language }.map {
            "<option value=\"\($0.id)\">\($0.question)</option>"
        }
        let canned: HTML =
            answering && !cannedOptions.isEmpty
            ? """
            <form method="get" action="\(Routes.supportInquiry.path(id: inquiry.id))" class="inline">
            <label for="canned">\(view.l("Canned answer", "Valmis vastaus"))</label>
            <select id="canned" name="canned">\(cannedOptions)</select>
            <button type="submit" class="secondary">\(view.l("Insert into the reply", "Lisää vastaukseen"))</button></form>
            """ : .empty
        let statusOptions: [HTML] = InquiryStatus.allCases.filter {
            $0 != inquiry.status && inquiry.status.canMove(to: $0)
        }
        .map { "<option value=\"\($0.rawValue)\">\(statusName($0, view))</option>" }
        let assigneeOptions: [HTML] =
            ["<option value=\"none\">\(view.l("nobody", "ei kukaan"))</option>"]
            + page.staff.filter { $0.status == .active }.map { user in
                "<option value=\"\(user.id)\"\(inquiry.assigneeID == user.id ? " selected" as HTML : .empty)>\(user.displayName)</option>"
            }
        let forms: HTML =
            answering
            ? """
            <h2>\(view.l("Reply to the customer", "Vastaa asiakkaalle"))</h2>
            \(canned)
            <form method="post" action="\(Routes.supportReply.path(id: inquiry.id))">\(view.csrfField)
            <label for="text">\(view.l("Reply (plain text, emailed to the customer; only http:// and https:// links)", "Vastaus (pelkkää tekstiä, lähetetään asiakkaalle sähköpostilla; vain http://- ja https://-linkit)"))</label>\(NoticeViews.problems(page.problems, for: "text", view))
            <textarea id="text" name="text" rows="8" maxlength="\(SupportText.maximumLength)" required\(NoticeViews.describedBy(page.problems, "text"))>\(page.replyText)</textarea>
            <button type="submit">\(view.l("Send reply", "Lähetä vastaus"))</button></form>
            <h2>\(view.l("Internal note", "Sisäinen muistiinpano"))</h2>
            <form method="post" action="\(Routes.supportNote.path(id: inquiry.id))">\(view.csrfField)
            <label for="note">\(view.l("Note (never shown to the customer)", "Muistiinpano (ei koskaan näy asiakkaalle)"))</label>\(NoticeViews.problems(page.problems, for: "note", view))
            <textarea id="note" name="note" rows="3" maxlength="\(SupportText.maximumLength)" required></textarea>
            <button type="submit" class="secondary">\(view.l("Add note", "Lisää muistiinpano"))</button></form>
            <h2>\(view.l("Status and assignee", "Tila ja käsittelijä"))</h2>\(NoticeViews.problems(page.problems, for: "status", view))\(NoticeViews.problems(page.problems, for: "assignee", view))
            \(statusOptions.isEmpty ? .empty : """
            <form method="post" action="\(Routes.supportStatus.path(id: inquiry.id))" class="inline">\(view.csrfField)
            <label for="status">\(view.l("Status", "Tila"))</label><select id="status" name="status">\(statusOptions)</select>
            <input type="hidden" name="from" value="\(inquiry.status.rawValue)">
            <button type="submit" class="secondary">\(view.l("Change status", "Vaihda tila"))</button></form>
            """ as HTML)
            <form method="post" action="\(Routes.supportAssign.path(id: inquiry.id))" class="inline">\(view.csrfField)
            <label for="assignee">\(view.l("Assignee", "Käsittelijä"))</label><select id="assignee" name="assignee">\(assigneeOptions)</select>
            <button type="submit" class="secondary">\(view.l("Assign", "Määritä"))</button></form>
            """ : .empty
        let noticePage: HTML
        switch page.noticeClosed {
        case .none: noticePage = .empty
        case .some(true):
            noticePage = """
                <section id="notice-page"><h2>\(view.l("Customer's page", "Asiakkaan sivu"))</h2>
                <p>\(view.l("Closed: the notice's links and reference code no longer open the page.", "Suljettu: ilmoituksen linkit ja viitekoodi eivät enää avaa sivua."))</p></section>
                """
        case .some(false):
            noticePage =
                view.may(Routes.supportNoticeRevoke)
                ? """
                <section id="notice-page"><h2>\(view.l("Customer's page", "Asiakkaan sivu"))</h2>
                <form method="post" action="\(Routes.supportNoticeRevoke.path(id: inquiry.id))">\(view.csrfField)
                <p>\(view.l("If the customer says their notice reached someone else, close its page: every link of the notice and its reference code stop working at once, for good. Replies to this thread still go to the customer's address on file: if that address is wrong or not theirs alone, correct it in the data map before you reply. A new campaign gives them a new page.", "Jos asiakas kertoo ilmoituksensa päätyneen jollekulle toiselle, sulje sen sivu: ilmoituksen kaikki linkit ja viitekoodi lakkaavat heti toimimasta pysyvästi. Tämän keskustelun vastaukset menevät yhä asiakkaan tallennettuun osoitteeseen: jos osoite on väärä tai muidenkin käytössä, korjaa se tietokartassa ennen kuin vastaat. Uusi kampanja antaa hänelle uuden sivun."))</p>
                <button type="submit" class="danger">\(view.l("Close the notice's page", "Sulje ilmoituksen sivu"))</button></form></section>
                """ : .empty
        }
        let incident = page.row.incident
        return Layout.page(
            "#\(inquiry.id)",
            view,
            wide: true,
            body: """
                <p><a href="\(Routes.supportInbox.path())">\(view.l("Support inbox", "Tuen saapuneet"))</a></p>
                <h1>\(view.l("Inquiry", "Kysymys")) #\(inquiry.id)</h1>
                \(Layout.errors(page.problems.filter { !["text", "note", "status", "assignee"].contains($0.field) }.map { $0.description(in: view.language) }))
                <dl class="facts">
                <dt>\(view.l("Incident", "Tapaus"))</dt><dd>\(incident.map { "\($0.reference) \($0.title) (\($0.severity.rawValue))" } ?? "INC-\(inquiry.incidentID)")</dd>
                <dt>\(view.l("Status", "Tila"))</dt><dd>\(statusName(inquiry.status, view))</dd>
                <dt>\(view.l("Language", "Kieli"))</dt><dd>\(inquiry.language.name)</dd>
                <dt>\(view.l("Assignee", "Käsittelijä"))</dt><dd>\(inquiry.assigneeID.map { names[$0] ?? "#\($0)" } ?? "–")</dd>
                <dt>\(view.l("First response", "Ensimmäinen vastaus"))</dt><dd>\(target(page.row.sla.firstResponse, view))</dd>
                <dt>\(view.l("Resolution", "Ratkaisu"))</dt><dd>\(target(page.row.sla.resolution, view))</dd>
                </dl>
                \(exposure)
                <ol class="thread">\(messages)</ol>
                \(forms)
                \(noticePage)
                """
        )
    }
}

extension SupportInboxViews {
    /// The dashboard's escalation line: unresolved inquiries past a target or at its warning share, linking to the
    /// inbox; nothing for a role without the inbox or when nothing is escalated.
    static func escalations(_ view: ViewContext, _ services: AppServices) async throws -> HTML {
        guard view.may(Routes.supportInbox) else { return .empty }
        let counts = try await SupportInboxQuery(services: services).escalations(now: services.now)
        guard counts.breached + counts.warning > 0 else { return .empty }
        return """
            <section class="notice\(counts.breached > 0 ? " error" : "")" role="status" id="support-escalations">\
            <h2>\(view.l("Support escalations", "Tuen eskalaatiot"))</h2>\
            <p><a href="\(Routes.supportInbox.path())">\(view.l("Overdue inquiries", "Myöhässä olevat kysymykset")): \
            <strong class="sla-breached">\(counts.breached)</strong> · \(view.l("due soon", "erääntyy pian")): \
            <strong class="sla-warning">\(counts.warning)</strong></a></p></section>
            """
    }
}

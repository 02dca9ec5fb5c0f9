import Foundation
import Hummingbird
import KilpiCore
import KilpiStore

/// An incident's FAQ and canned answers: everyone with `supportView` reads them, `supportManage` edits.
struct SupportAnswersController {
    let services: AppServices

    func register(_ routes: RouteRegistry) {
        routes.page(Routes.supportAnswers, .id) { request, context, id in
            guard let incident = try await services.store.incidents.find(id: id) else { return notFound(context) }
            return try await page(request, context, incident)
        }
        routes.form(Routes.supportAnswerCreate, .id) { request, context, form, id in
            guard let incident = try await services.store.incidents.find(id: id) else { return notFound(context) }
            do {
                _ = try await services.store.supportAnswers.create(
                    incidentID: incident.id,
                    try Self.draft(form),
                    by: context.caller,
                    now: services.now
                )
                return .redirect(to: Routes.supportAnswers.path(id: incident.id))
            } catch let error as SupportError {
                return try await page(request, context, incident, problems: error.problems, status: .badRequest)
            }
        }
        routes.form(Routes.supportAnswerUpdate, .id) { request, context, form, id in
            guard let answer = try await services.store.supportAnswers.find(id: id),
                let incident = try await services.store.incidents.find(id: answer.incidentID)
            else { return notFound(context) }
            do {
                _ = try await services.store.supportAnswers.update(
                    id: id,
                    try Self.draft(form),
                    by: context.caller,
                    now: services.now
                )
                return .redirect(to: Routes.supportAnswers.path(id: incident.id))
            } catch let error as SupportError {
                if error.isNotFound { return notFound(context) }
                return try await page(request, context, incident, problems: error.problems, status: .badRequest)
            }
        }
        routes.form(Routes.supportAnswerDelete, .id) { _, context, _, id in
            guard let answer = try await services.store.supportAnswers.find(id: id) else { return notFound(context) }
            do {
                try await services.store.supportAnswers.delete(id: id, by: context.caller, now: services.now)
            } catch let error as SupportError where error.isNotFound {
                // Deleted by someone else meanwhile: the list shows it gone.
            }
            return .redirect(to: Routes.supportAnswers.path(id: answer.incidentID))
        }
    }

    static func draft(_ form: FormData) throws -> SupportAnswerDraft {
        guard let language = form["language"].flatMap(Language.init(rawValue:)) else {
            throw SupportError.field("language", .l("choose fi, sv or en", "valitse fi, sv tai en"))
        }
        var position: Int?
        if let text = form["position"], !text.isEmpty {
            guard let number = Int(text) else {
                throw SupportError.field(
                    "position",
                    .l(
                        "use a whole number from 0 to \(SupportAnswerRepository.maximumPosition)",
                        "käytä kokonaislukua 0–\(SupportAnswerRepository.maximumPosition)"
                    )
                )
            }
            position = number
        }
        return SupportAnswerDraft(
            language: language,
            question: form["question", trim: false] ?? "",
            answer: form["answer", trim: false] ?? "",
            faq: form["faq"] == "on",
            position: position
        )
    }

    private func page(
        _ request: Request,
        _ context: KilpiRequestContext,
        _ incident: Incident,
        problems: [FieldProblem] = [],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let view = Pages.viewContext(request, context, services)
        let shown = ViewContext(
            language: view.language,
            user: view.user,
            csrfToken: view.csrfToken,
            demo: view.demo,
            path: Routes.supportAnswers.path(id: incident.id)
        )
        return .html(
            SupportAnswersViews.page(
                shown,
                incident: incident,
                answers: try await services.store.supportAnswers.list(incidentID: incident.id),
                problems: problems
            ),
            status: status
        )
    }

    private func notFound(_ context: KilpiRequestContext) -> Response {
        Pages.error(.notFound, .notFoundTitle, UIText.notFoundBody.text(context.language), context, services)
    }
}

/// The FAQ and canned-answer editor.
enum SupportAnswersViews {
    static func page(
        _ view: ViewContext,
        incident: Incident,
        answers: [SupportAnswer],
        problems: [FieldProblem]
    )
        -> HTML
    {
        let editing = view.may(Routes.supportAnswerUpdate)
        let items: [HTML] = answers.map { answer in
            let paragraphs: [HTML] = answer.answer.split(separator: "\n", omittingEmptySubsequences: false).map {
                "\($0)"
            }
            let body: HTML = "<p>\(HTML(unsafeRaw: paragraphs.map(\.rendered).joined(separator: "<br>")))</p>"
            let flag: HTML =
                answer.faq
                ? "<span class=\"badge\">FAQ</span>" : "<span class=\"badge\">\(view.l("canned", "valmis"))</span>"
            guard editing else {
                return
                    "<li><h3>\(answer.question) <span class=\"badge\">\(answer.language.name)</span> \(flag)</h3>\(body)</li>"
            }
            return """
                <li><h3>\(answer.question) <span class="badge">\(answer.language.name)</span> \(flag)</h3>
                <form method="post" action="\(Routes.supportAnswerUpdate.path(id: answer.id))">\(view.csrfField)
                \(fields(view, language: answer.language, question: answer.question, answer: answer.answer, faq: answer.faq, position: answer.position, prefix: "a\(answer.id)-"))
                <button type="submit">\(view.l("Save", "Tallenna"))</button></form>
                <form method="post" action="\(Routes.supportAnswerDelete.path(id: answer.id))" class="inline">\(view.csrfField)
                <button type="submit" class="danger">\(view.l("Delete", "Poista"))</button></form></li>
                """
        }
        let create: HTML =
            view.may(Routes.supportAnswerCreate)
            ? """
            <h2>\(view.l("Add an answer", "Lisää vastaus"))</h2>
            <form method="post" action="\(Routes.supportAnswerCreate.path(id: incident.id))">\(view.csrfField)
            \(fields(view, language: .fi, question: "", answer: "", faq: true, position: nil, prefix: "new-"))
            <button type="submit">\(view.l("Add", "Lisää"))</button></form>
            """ : .empty
        return Layout.page(
            view.l("FAQ and canned answers", "UKK ja valmiit vastaukset"),
            view,
            body: """
                \(IncidentViews.tabs(incident, view))
                <h2>\(view.l("FAQ and canned answers", "UKK ja valmiit vastaukset"))</h2>
                <p class="muted">\(view.l(
                    "Answers marked FAQ appear on this incident's customers' support pages in their language; until there is one in a language, the general FAQ is shown. Every answer can be inserted into a reply. Only http:// and https:// links are allowed.",
                    "UKK-merkityt vastaukset näkyvät tämän tapauksen asiakkaiden tukisivuilla heidän kielellään; kunnes kielellä on yksikin, näytetään yleinen UKK. Jokaisen vastauksen voi lisätä vastaukseen. Vain http://- ja https://-linkit ovat sallittuja."
                ))</p>
                \(Layout.errors(problems.map { $0.description(in: view.language) }))
                \(items.isEmpty ? "<p>\(view.l("No answer yet.", "Vastauksia ei vielä ole."))</p>" as HTML : "<ol class=\"answers\">\(items)</ol>")
                \(create)
                """
        )
    }

    static func fields(
        _ view: ViewContext,
        language: Language,
        question: String,
        answer: String,
        faq: Bool,
        position: Int?,
        prefix: String
    ) -> HTML {
        let languages: [HTML] = Language.allCases.map {
            "<option value=\"\($0.rawValue)\"\($0 == language ? " selected" as HTML : .empty)>\($0.name)</option>"
        }
        return """
            <label for="\(prefix)language">\(view.l("Language", "Kieli"))</label>
            <select id="\(prefix)language" name="language">\(languages)</select>
            <label for="\(prefix)question">\(view.l("Question", "Kysymys"))</label>
            <input id="\(prefix)question" name="question" value="\(question)" maxlength="\(SupportAnswerRepository.maximumQuestionLength)" required>
            <label for="\(prefix)answer">\(view.l("Answer (plain text)", "Vastaus (pelkkää tekstiä)"))</label>
            <textarea id="\(prefix)answer" name="answer" rows="5" maxlength="\(SupportAnswerRepository.maximumAnswerLength)" required>\(answer)</textarea>
            <label><input type="checkbox" name="faq"\(faq ? " checked" as HTML : .empty)> \(view.l("Show in the customers' FAQ", "Näytä asiakkaiden UKK:ssa"))</label>
            <label for="\(prefix)position">\(view.l("Position", "Järjestys"))</label>
            <input id="\(prefix)position" name="position" inputmode="numeric" value="\(position.map(String.init) ?? "")">
            """
    }
}

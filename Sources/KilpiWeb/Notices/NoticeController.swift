import Foundation
import HTTPTypes
import Hummingbird
import KilpiCore
import KilpiMail
import KilpiStore

/// Console pages of notice templates: the list, one template's versions and editor, approval (four eyes, in the
/// service) and the preview as an affected customer (audited). Campaign pages are in `NoticeController+Campaigns`.
struct NoticeController {
    let services: AppServices

    func register(_ routes: RouteRegistry) {
        routes.page(Routes.noticeTemplates) { request, context in
            .html(
                NoticeViews.templates(
                    Pages.viewContext(request, context, services),
                    NoticeViews.TemplateListPage(
                        rows: NoticeViews.templateRows(try await allVersions()),
                        names: try await staffNames()
                    )
                )
            )
        }
        routes.page(Routes.noticeTemplateEdit) { request, context in
            let query = request.uri.queryParameters
            let key = query.get("key").map { String($0) } ?? NoticeTemplateVersion.generalKey
            let language = query.get("language").map { Language(rawValue: String($0)) } ?? .en
            guard NoticeTemplateVersion.keys.contains(key), let language else { return notFound(context) }
            let version = query.get("version").flatMap { Int(String($0)) }
            let page = try await editPage(key: key, language: language, version: version)
            guard version == nil || page.shown?.version == version else { return notFound(context) }
            return .html(NoticeViews.templateEdit(Pages.viewContext(request, context, services), page))
        }
        routes.form(Routes.noticeTemplateSave) { request, context, form in
            let key = form["key"] ?? ""
            let language = form["language"].flatMap(Language.init(rawValue:))
            let text = NoticeTemplateText(
                subject: form["subject", trim: false] ?? "",
                text: form["text", trim: false] ?? "",
                html: form["html", trim: false] ?? ""
            )
            guard NoticeTemplateVersion.keys.contains(key), let language else {
                let choices = NoticeTemplateVersion.keys.joined(separator: ", ")
                let problem =
                    language == nil
                    ? FieldProblem("language", .l("choose fi, sv or en", "valitse fi, sv tai en"))
                    : FieldProblem("key", .l("choose one of \(choices)", "valitse jokin näistä: \(choices)"))
                return Pages.error(
                    .badRequest,
                    .badRequestTitle,
                    problem.description(in: context.language),
                    context,
                    services
                )
            }
            do {
                let saved = try await services.notices.saveTemplate(
                    key: key,
                    language: language,
                    text: text,
                    by: context.caller,
                    now: services.now
                )
                return .redirect(to: NoticeViews.editLink(key: key, language: language, version: saved.version))
            } catch let error as NoticeError {
                // Everything typed comes back, with each problem beside its part.
                var page = try await editPage(key: key, language: language, version: nil)
                page.draft = text
                page.problems = error.problems
                return .html(
                    NoticeViews.templateEdit(editView(request, context, key: key, language: language), page),
                    status: error.isNotFound ? .notFound : .badRequest
                )
            }
        }
        routes.form(Routes.noticeTemplateApprove, .id) { request, context, _, id in
            guard let version = try await services.store.noticeTemplates.find(id: id) else {
                return notFound(context)
            }
            do {
                let approved = try await services.notices.approveTemplate(id: id, by: context.caller, now: services.now)
                var page = try await editPage(key: approved.key, language: approved.language, version: approved.version)
                page.confirmation = view(context).l(
                    "Version \(approved.version) is approved: new campaigns send it.",
                    "Versio \(approved.version) on hyväksytty: uudet kampanjat lähettävät sen."
                )
                return .html(
                    NoticeViews.templateEdit(
                        editView(request, context, key: approved.key, language: approved.language),
                        page
                    )
                )
            } catch let error as NoticeError {
                var page = try await editPage(key: version.key, language: version.language, version: version.version)
                page.problems = error.problems
                return .html(
                    NoticeViews.templateEdit(
                        editView(request, context, key: version.key, language: version.language),
                        page
                    ),
                    status: error.isNotFound ? .notFound : .conflict
                )
            }
        }
        routes.form(Routes.noticeTemplatePreview, .id) { request, context, form, id in
            guard let version = try await services.store.noticeTemplates.find(id: id) else {
                return notFound(context)
            }
            let externalID = form["customer"] ?? ""
            var problems: [FieldProblem] = []
            let incident = try await form["incident"].flatMap { Int64($0) }.asyncMap {
                try await services.store.incidents.find(id: $0)
            }
            if incident == nil {
                problems.append(FieldProblem("incident", .l("choose an incident", "valitse tapaus")))
            }
            var exposed: (Customer, [String])?
            if let incident, problems.isEmpty {
                exposed = try await affectedCustomer(externalID, of: incident)
                if exposed == nil {
                    problems.append(
                        FieldProblem(
                            "customer",
                            .l(
                                "no affected customer of \(incident.reference) has this id",
                                "tapauksen \(incident.reference) asianomaisissa ei ole asiakasta tällä tunnuksella"
                            )
                        )
                    )
                }
            }
            guard let incident, let (customer, categories) = exposed else {
                var page = try await editPage(key: version.key, language: version.language, version: version.version)
                page.problems = problems
                return .html(
                    NoticeViews.templateEdit(
                        editView(request, context, key: version.key, language: version.language),
                        page
                    ),
                    status: .badRequest
                )
            }
            // A sample code: each real notice gets its own when its campaign is made.
            let code = NoticeReferenceCode.generate()
            let content = NoticeContent.build(
                company: company,
                customer: customer,
                language: version.language,
                incident: incident,
                categoryIDs: categories,
                available: try await services.store.dataMap.categories(),
                referenceCode: code,
                // A sample link: each real notice gets the customer's own when it is sent.
                supportToken: NoticeContent.sampleSupportToken,
                date: services.now
            )
            let rendered: RenderedNotice
            do {
                rendered = try NoticeTemplates.compile(version.text).render(content)
            } catch let error as NoticeTemplateError {
                var page = try await editPage(key: version.key, language: version.language, version: version.version)
                page.problems = error.problems
                return .html(
                    NoticeViews.templateEdit(
                        editView(request, context, key: version.key, language: version.language),
                        page
                    ),
                    status: .badRequest
                )
            }
            // Audited like a view of the customer's data, before anything of it is shown.
            try await services.notices.recordPreview(
                customerID: customer.id,
                templateID: version.id,
                by: context.caller,
                now: services.now
            )
            return .html(
                NoticeViews.preview(
                    Pages.viewContext(request, context, services),
                    NoticeViews.PreviewPage(
                        version: version,
                        incident: incident,
                        externalID: customer.externalID,
                        language: Language(tag: customer.language) ?? .en,
                        subject: rendered.subject,
                        text: rendered.text,
                        html: rendered.html,
                        sampleCode: code.formatted
                    )
                )
            )
        }
        registerCampaigns(routes)
    }

    // MARK: Helpers

    /// Who the notices name as their sender. The company's own contact settings come from configuration when the
    /// server has them; until then the controller's name and the public address.
    var company: NoticeCompany {
        NoticeCompany(
            name: services.configuration.controllerName,
            contactEmail: services.configuration.noticeContactEmail,
            trustCenterURL: services.link(NoticeCompany.verifyPath),
            supportURL: services.link(NoticeCompany.supportPath)
        )
    }

    func view(_ context: KilpiRequestContext) -> ViewContext {
        Pages.viewContext(nil, context, services)
    }

    /// The view context of a page re-rendered after a POST: its language links point at the editor, not the POST.
    func editView(_ request: Request, _ context: KilpiRequestContext, key: String, language: Language) -> ViewContext {
        let view = Pages.viewContext(request, context, services)
        return ViewContext(
            language: view.language,
            user: view.user,
            csrfToken: view.csrfToken,
            demo: view.demo,
            path: Routes.noticeTemplateEdit.path()
        )
    }

    func notFound(_ context: KilpiRequestContext) -> Response {
        Pages.error(.notFound, .notFoundTitle, UIText.notFoundBody.text(context.language), context, services)
    }

    func staffNames() async throws -> [String: String] {
        Dictionary(
            try await services.store.users.all().map { ("user:\($0.id)", $0.displayName) },
            uniquingKeysWith: { first, _ in first }
        )
    }

    /// Every version of every template.
    func allVersions() async throws -> [NoticeTemplateVersion] {
        var all: [NoticeTemplateVersion] = []
        for latest in try await services.store.noticeTemplates.latest() {
            all += try await services.store.noticeTemplates.versions(key: latest.key, language: latest.language)
        }
        return all
    }

    func editPage(key: String, language: Language, version: Int?) async throws -> NoticeViews.TemplateEditPage {
        let versions = try await services.store.noticeTemplates.versions(key: key, language: language)
        let shown = version.map { wanted in versions.first { $0.version == wanted } } ?? versions.first
        return NoticeViews.TemplateEditPage(
            key: key,
            language: language,
            versions: versions,
            shown: shown,
            draft: shown?.text ?? NoticeTemplates.shipped(language),
            names: try await staffNames(),
            incidents: try await services.store.incidents.list(now: services.now).map(\.incident)
        )
    }

    /// The customer with `externalID` and their exposed categories in the incident's latest scope version, or nil
    /// when they are not affected (or there is no such customer).
    func affectedCustomer(_ externalID: String, of incident: Incident) async throws -> (Customer, [String])? {
        guard !externalID.isEmpty, externalID.count <= 200,
            let customer = try await services.store.customers.find(externalID: externalID),
            let latest = try await services.store.scopes.latest(incidentID: incident.id)
        else { return nil }
        let rows = try await services.store.scopes.exposedCustomers(
            scopeID: latest.id,
            after: customer.id - 1,
            limit: 1
        )
        guard let row = rows.first, row.customerID == customer.id else { return nil }
        return (customer, row.categories)
    }
}

extension AppServices {
    /// The notices use cases, checking templates with the Mustache engine.
    var notices: NoticeService { NoticeService(store: store, checker: MustacheTemplateChecker()) }

    /// The templates Kilpi ships, per language, as `NoticeService.installShipped` takes them.
    static var shippedNoticeTemplates: [Language: NoticeTemplateText] {
        Dictionary(uniqueKeysWithValues: Language.allCases.map { ($0, NoticeTemplates.shipped($0)) })
    }
}

extension AppConfiguration {
    /// Where customers may ask about an incident, as the preview names it until the server is configured with the
    /// company's own address.
    var noticeContactEmail: String { "privacy@" + (URL(string: publicBaseURL)?.host ?? "localhost") }
}

extension Optional {
    fileprivate func asyncMap<T>(_ transform: (Wrapped) async throws -> T?) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import KilpiCore
import KilpiStore

/// Systems, customer search, a customer's data map (every view audited), data-subject rights, CSV upload.
struct DataMapController {
    let services: AppServices
    /// Console uploads are for everyday files; a million-row import belongs to `kilpi import`.
    static let maximumUpload = 64 << 20

    func register(_ routes: RouteRegistry) {
        routes.page(Routes.systems) { request, context in
            let view = Pages.viewContext(request, context, services)
            return .html(
                DataMapViews.systems(
                    view,
                    summaries: try await services.store.dataMap.summaries(),
                    categories: try await services.store.dataMap.categories(),
                    customers: try await services.store.customers.count(),
                    holdings: try await services.store.dataMap.holdingCount()
                )
            )
        }
        // The form only: a search is a POST (`customerSearch`), so the term is never in a URL, and a `?q=` here
        // searches nothing.
        routes.page(Routes.customers) { request, context in
            .html(DataMapViews.search(Pages.viewContext(request, context, services), query: "", results: nil))
        }
        routes.form(Routes.customerSearch) { request, context, form in
            let view = Pages.viewContext(request, context, services)
            let query = (form["q"] ?? "").trimmingCharacters(in: .whitespaces)
            guard !query.isEmpty, query.count <= 320 else {
                return .html(
                    DataMapViews.search(
                        view,
                        query: "",
                        results: nil,
                        problems: [
                            view.l(
                                "q: enter a customer id or an exact email address (at most 320 characters)",
                                "q: anna asiakkaan tunnus tai tarkka sähköpostiosoite (enintään 320 merkkiä)"
                            )
                        ]
                    ),
                    status: .badRequest
                )
            }
            var results: [Customer] = []
            if let customer = try await services.store.customers.find(externalID: query) { results.append(customer) }
            if query.contains("@") { results += try await services.store.customers.find(email: query) }
            // The search term may itself be personal data: the audit records that a search happened, not its text.
            try await services.store.audit.append(
                AuditEvent(
                    actor: context.actor,
                    action: .customerSearch,
                    target: "",
                    ip: context.remoteIP,
                    detail: "\(results.count) results"
                ),
                now: services.now
            )
            var response = Response.html(DataMapViews.search(view, query: query, results: results))
            // The page holds the search term and what it found: not for the back button or a shared cache.
            response.headers[.cacheControl] = "no-store"
            return response
        }
        routes.page(Routes.customer, .id) { request, context, id in
            guard let customer = try await services.store.customers.find(id: id)
            else {
                throw PageError.notFound
            }
            try await services.store.audit.append(
                AuditEvent(
                    actor: context.actor,
                    action: .customerView,
                    target: "customer:\(id)",
                    ip: context.remoteIP
                ),
                now: services.now
            )
            return .html(
                DataMapViews.customer(
                    Pages.viewContext(request, context, services),
                    customer: customer,
                    holdings: try await services.store.dataMap.holdings(customerID: id),
                    categories: try await services.store.dataMap.categories()
                )
            )
        }
        routes.form(Routes.customerExport, .id) { _, context, _, id in
            guard
                let data = try await DataSubjectRights(store: services.store).export(
                    customerID: id,
                    controller: services.configuration.controllerName,
                    actor: context.actor,
                    ip: context.remoteIP,
                    now: services.now
                )
            else {
                throw PageError.notFound
            }
            var response = Response(
                status: .ok,
                headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: .init(bytes: data))
            )
            response.headers[.contentDisposition] = "attachment; filename=\"customer-\(id).json\""
            response.headers[.cacheControl] = "no-store"
            return response
        }
        routes.form(Routes.customerErase, .id) { request, context, form, id in
            guard let customer = try await services.store.customers.find(id: id)
            else {
                throw PageError.notFound
            }
            guard form["confirm"] == customer.externalID else {
                return Pages.error(
                    .badRequest,
                    .badRequestTitle,
                    UIText.eraseNeedsID(customer.externalID).text(context.language),
                    context,
                    services
                )
            }
            _ = try await DataSubjectRights(store: services.store).erase(
                customerID: id,
                actor: context.actor,
                ip: context.remoteIP,
                now: services.now
            )
            return .redirect(to: Routes.customer.path(id: id))
        }
        routes.page(Routes.categoryEdit, .key) { request, context, id in
            guard let category = try await services.store.dataMap.categories().first(where: { $0.id == id })
            else {
                throw PageError.notFound
            }
            return .html(DataMapViews.categoryForm(Pages.viewContext(request, context, services), category: category))
        }
        routes.form(Routes.categoryUpdate, .key) { request, context, form, id in
            guard var category = try await services.store.dataMap.categories().first(where: { $0.id == id })
            else {
                throw PageError.notFound
            }
            let view = Pages.viewContext(request, context, services)
            var errors: [String] = []
            for (field, maximum) in [("name_en", 100), ("name_fi", 100), ("advice_en", 2000), ("advice_fi", 2000)] {
                let value = form[field] ?? ""
                if value.isEmpty || value.count > maximum {
                    errors.append(
                        FieldProblem(field, .l("enter 1 to \(maximum) characters", "kirjoita 1–\(maximum) merkkiä"))
                            .description(in: view.language)
                    )
                }
            }
            let sensitivity = Sensitivity(rawValue: form["sensitivity"] ?? "")
            if sensitivity == nil {
                let choices = Sensitivity.allCases.map(\.rawValue).joined(separator: ", ")
                errors.append(
                    FieldProblem("sensitivity", .l("choose one of \(choices)", "valitse jokin näistä: \(choices)"))
                        .description(in: view.language)
                )
            }
            category.nameEN = form["name_en"] ?? ""
            category.nameFI = form["name_fi"] ?? ""
            category.adviceEN = form["advice_en"] ?? ""
            category.adviceFI = form["advice_fi"] ?? ""
            category.sensitivity = sensitivity ?? category.sensitivity
            guard errors.isEmpty else {
                return .html(
                    DataMapViews.categoryForm(view, category: category, errors: errors),
                    status: .badRequest
                )
            }
            _ = try await services.dataMap.updateCategory(category, by: context.caller)
            return .redirect(to: Routes.systems.path())
        }
        routes.page(Routes.importForm) { request, context in
            .html(DataMapViews.importForm(Pages.viewContext(request, context, services)))
        }
        routes.upload(
            Routes.importSubmit,
            maximumBytes: Self.maximumUpload,
            tooLarge: .l(
                "file: larger than \(Self.maximumUpload >> 20) MB; use `kilpi import` for big files",
                "file: suurempi kuin \(Self.maximumUpload >> 20) Mt; tuo suuret tiedostot komennolla `kilpi import`"
            )
        ) { request, context, upload in
            let view = Pages.viewContext(request, context, services)
            guard let kind = upload["kind"]?.text.flatMap(DataMapImporter.Kind.init(rawValue:)) else {
                return .html(
                    DataMapViews.importForm(
                        view,
                        problems: [
                            view.l(
                                "kind: choose systems, customers or holdings",
                                "kind: valitse systems, customers tai holdings"
                            )
                        ]
                    ),
                    status: .badRequest
                )
            }
            guard let file = upload["file"], let path = file.path, file.size > 0 else {
                return .html(
                    DataMapViews.importForm(
                        view,
                        problems: [view.l("file: choose a CSV file", "file: valitse CSV-tiedosto")]
                    ),
                    status: .badRequest
                )
            }
            do {
                // Read from the upload's temporary file as the command line reads its files.
                let report = try await services.dataMap.importFile(
                    kind,
                    path: path,
                    source: file.filename.flatMap { $0.isEmpty ? nil : $0 } ?? "upload",
                    by: context.caller
                )
                return .html(
                    DataMapViews.importForm(
                        view,
                        report: view.t(
                            .importDone(
                                report.rows,
                                report.counts.inserted,
                                report.counts.updated,
                                report.counts.unchanged
                            )
                        )
                    )
                )
            } catch let rejected as ImportRejected {
                return .html(
                    DataMapViews.importForm(
                        view,
                        problems: rejected.problems.map { $0.description(in: view.language) }
                            + (rejected.truncated ? ["…"] : [])
                    ),
                    status: .badRequest
                )
            }
        }
    }
}

import Foundation
import KilpiCore
import KilpiStore

/// Console pages of the customer data map.
enum DataMapViews {
    static func categoryName(_ id: String, _ categories: [String: DataCategory], _ view: ViewContext) -> String {
        guard let category = categories[id] else { return id }
        return category.name(view.language).text
    }

    static func systems(
        _ view: ViewContext,
        summaries: [SystemSummary],
        categories: [DataCategory],
        customers: Int,
        holdings: Int
    ) -> HTML {
        let byID = Dictionary(uniqueKeysWithValues: categories.map { ($0.id, $0) })
        let rows: [HTML] = summaries.map { summary in
            let held: [HTML] = summary.categories.sorted { $0.key < $1.key }.map { id, count in
                "<li>\(categoryName(id, byID, view)) <span class=\"muted\">\(count)</span></li>"
            }
            let system = summary.system
            return """
                <tr><td><strong>\(system.name)</strong><br><span class="muted">\(system.kind.name(view.language))</span></td>
                <td>\(system.owner)</td><td>\(system.location)</td>
                <td>\(system.encryptedAtRest ? view.t(.yes) : view.t(.no))\(system.keyLocation.isEmpty ? "" : " (\(system.keyLocation))")</td>
                <td>\(summary.customers)</td><td><ul class="compact">\(held)</ul></td></tr>
                """
        }
        return Layout.page(
            view.t(.systems),
            view,
            wide: true,
            body: """
                <h1>\(view.t(.systems))</h1>
                <p>\(view.t(.dataMapTotals(customers, holdings)))</p>
                \(view.may(Routes.importForm) ? "<p><a href=\"\(Routes.importForm.path())\">\(view.t(.importData))</a></p>" as HTML : .empty)
                <table><thead><tr><th>\(view.t(.system))</th><th>\(view.t(.owner))</th><th>\(view.t(.location))</th><th>\(view.t(.encryptedAtRest))</th>
                <th>\(view.t(.customersCount))</th><th>\(view.t(.categoriesHeld))</th></tr></thead><tbody>\(rows)</tbody></table>
                <h2>\(view.t(.categoryCatalogue))</h2>
                <table><thead><tr><th>\(view.t(.category))</th><th>\(view.t(.sensitivity))</th><th>\(view.t(.adviceToCustomer))</th></tr></thead><tbody>
                \(categories.map { "<tr><td>\(view.may(Routes.categoryEdit) ? "<a href=\"\(Routes.categoryEdit.path(["id": $0.id]))\">\(view.text($0.name(view.language)))</a>" as HTML : "\(view.text($0.name(view.language)))") <code>\($0.id)</code></td><td>\($0.sensitivity.rawValue)</td><td>\(view.text($0.advice(view.language)))</td></tr>" as HTML })
                </tbody></table>
                """
        )
    }

    static func search(
        _ view: ViewContext,
        query: String,
        results: [Customer]?,
        message: String? = nil,
        problems: [String] = []
    ) -> HTML {
        let list: HTML =
            results.map { customers in
                guard !customers.isEmpty else { return Layout.notice("info", view.t(.noCustomerFound)) }
                let rows: [HTML] = customers.map {
                    "<tr><td><a href=\"\(Routes.customer.path(id: $0.id))\">\($0.externalID)</a></td><td>\($0.name ?? "–")</td><td>\($0.email ?? "–")</td><td>\($0.country)</td></tr>"
                }
                return
                    "<table><thead><tr><th>ID</th><th>\(view.t(.displayName))</th><th>\(view.t(.email))</th><th>\(view.t(.country))</th></tr></thead><tbody>\(rows)</tbody></table>"
            } ?? .empty
        return Layout.page(
            view.t(.customers),
            view,
            body: """
                <h1>\(view.t(.customers))</h1>
                \(message.map { Layout.notice("ok", $0) })
                \(Layout.errors(problems))
                <form method="post" action="\(Routes.customerSearch.path())">\(view.csrfField)
                  <label for="q">\(view.t(.customerSearchLabel))</label>
                  <input id="q" name="q" value="\(query)" required maxlength="320" autocomplete="off">
                  <button type="submit">\(view.t(.search))</button>
                </form>
                \(list)
                """
        )
    }

    static func customer(
        _ view: ViewContext,
        customer: Customer,
        holdings: [CustomerHolding],
        categories: [DataCategory]
    ) -> HTML {
        let byID = Dictionary(uniqueKeysWithValues: categories.map { ($0.id, $0) })
        let rows: [HTML] = holdings.map {
            "<tr><td>\($0.systemName)</td><td>\(categoryName($0.categoryID, byID, view))</td><td class=\"nowrap\">\(UTCDay.format($0.heldFrom))</td><td class=\"nowrap\">\($0.heldUntil.map(UTCDay.format) ?? view.t(.stillHeld))</td></tr>"
        }
        let rights: HTML =
            view.may(Routes.customerExport)
            ? """
            <h2>\(view.t(.dataSubjectRights))</h2>
            <form method="post" action="\(Routes.customerExport.path(id: customer.id))">\(view.csrfField)
              <button type="submit">\(view.t(.exportJSON))</button>
            </form>
            <form method="post" action="\(Routes.customerErase.path(id: customer.id))">\(view.csrfField)
              <label for="confirm">\(view.t(.eraseConfirm(customer.externalID)))</label>
              <input id="confirm" name="confirm" autocomplete="off" required>
              <button class="danger" type="submit">\(view.t(.eraseCustomer))</button>
            </form>
            """ : .empty
        return Layout.page(
            customer.externalID,
            view,
            body: """
                <h1>\(customer.name ?? customer.externalID)</h1>
                \(customer.erasedAt != nil ? Layout.notice("info", view.t(.customerErased)) : .empty)
                <dl class="facts">
                  <dt>ID</dt><dd>\(customer.externalID)</dd>
                  <dt>\(view.t(.email))</dt><dd>\(customer.email ?? "–")</dd>
                  <dt>\(view.t(.phone))</dt><dd>\(customer.phone ?? "–")</dd>
                  <dt>\(view.t(.language))</dt><dd>\(customer.language)</dd>
                  <dt>\(view.t(.country))</dt><dd>\(customer.country)\(customer.region.isEmpty ? "" : " / \(customer.region)")</dd>
                </dl>
                <h2>\(view.t(.dataMap))</h2>
                <table><thead><tr><th>\(view.t(.system))</th><th>\(view.t(.category))</th><th>\(view.t(.heldFrom))</th><th>\(view.t(.heldUntil))</th></tr></thead>
                <tbody>\(rows)</tbody></table>
                \(customer.erasedAt == nil ? rights : .empty)
                """
        )
    }

    static func categoryForm(_ view: ViewContext, category: DataCategory, errors: [String] = []) -> HTML {
        let options: [HTML] = Sensitivity.allCases.map {
            "<option value=\"\($0.rawValue)\"\($0 == category.sensitivity ? " selected" as HTML : .empty)>\($0.rawValue)</option>"
        }
        return Layout.page(
            category.nameEN,
            view,
            body: """
                <h1>\(view.text(category.name(view.language))) <code>\(category.id)</code></h1>
                \(Layout.errors(errors))
                <form method="post" action="\(Routes.categoryUpdate.path(["id": category.id]))">\(view.csrfField)
                  <label for="name_en">Name (English)</label><input id="name_en" name="name_en" required maxlength="100" value="\(category.nameEN)">
                  <label for="name_fi">Nimi (suomeksi)</label><input id="name_fi" name="name_fi" required maxlength="100" value="\(category.nameFI)">
                  <label for="sensitivity">\(view.t(.sensitivity))</label><select id="sensitivity" name="sensitivity">\(options)</select>
                  <label for="advice_en">Advice to an affected person (English)</label><textarea id="advice_en" name="advice_en" required maxlength="2000" rows="4">\(category.adviceEN)</textarea>
                  <label for="advice_fi">Neuvo asianomaiselle (suomeksi)</label><textarea id="advice_fi" name="advice_fi" required maxlength="2000" rows="4">\(category.adviceFI)</textarea>
                  <button type="submit">\(view.t(.save))</button>
                </form>
                """
        )
    }

    static func importForm(_ view: ViewContext, report: String? = nil, problems: [String] = []) -> HTML {
        let kinds: [HTML] = DataMapImporter.Kind.allCases.map {
            "<option value=\"\($0.rawValue)\">\($0.rawValue)</option>"
        }
        return Layout.page(
            view.t(.importData),
            view,
            body: """
                <h1>\(view.t(.importData))</h1>
                \(report.map { Layout.notice("ok", $0) })
                \(Layout.errors(problems))
                <p>\(view.t(.importHelp))</p>
                <form method="post" action="\(Routes.importSubmit.path())" enctype="multipart/form-data">\(view.csrfField)
                  <label for="kind">\(view.t(.importKind))</label><select id="kind" name="kind">\(kinds)</select>
                  <label for="file">\(view.t(.csvFile))</label><input id="file" name="file" type="file" accept=".csv,text/csv" required>
                  <button type="submit">\(view.t(.importData))</button>
                </form>
                """
        )
    }
}

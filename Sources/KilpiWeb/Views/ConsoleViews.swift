import Foundation
import KilpiCore
import KilpiStore

/// Pages of the signed-in console.
enum ConsoleViews {
    static func dashboard(
        _ view: ViewContext,
        userCount: Int,
        auditCount: Int,
        openIncidents: [IncidentListItem] = [],
        overdue: [OverdueTask] = [],
        supportEscalations: HTML = .empty,
        certificates: HTML = .empty
    ) -> HTML {
        let late: [HTML] = overdue.map { item in
            "<li><a href=\"\(Routes.incident.path(id: item.task.incidentID))\">INC-\(item.task.incidentID)</a> · \(view.text(item.task.title)) · \(view.l(item.task.owner.nameEN, item.task.owner.nameFI)) · \(view.l("due", "määräaika")) \(FormTime.show(item.task.dueAt))</li>"
        }
        let open: [HTML] = openIncidents.map { item in
            "<li><a href=\"\(Routes.incident.path(id: item.incident.id))\">\(item.incident.reference)</a> \(item.incident.title) \(IncidentViews.badge(item.incident, view))\(item.overdueTasks > 0 ? " · <strong class=\"bad\">\(item.overdueTasks) \(view.l("overdue", "myöhässä"))</strong>" as HTML : .empty)</li>"
        }
        return Layout.page(
            view.t(.dashboard),
            view,
            body: """
                <h1>\(view.t(.dashboardWelcome(view.user?.displayName ?? "")))</h1>
                \(late.isEmpty ? .empty : "<section class=\"notice error\" role=\"alert\"><h2>\(view.l("Overdue tasks", "Myöhässä olevat tehtävät"))</h2><ul>\(late)</ul></section>" as HTML)
                \(open.isEmpty ? .empty : "<h2>\(view.l("Open incidents", "Avoimet tapaukset"))</h2><ul>\(open)</ul>" as HTML)
                \(supportEscalations)
                \(certificates)
                <p>\(view.t(.dashboardIntro))</p>
                <ul>
                  <li>\(view.t(.users)): \(userCount)</li>
                  \(view.may(Routes.audit) ? "<li>\(view.t(.auditLog)): \(auditCount)</li>" as HTML : .empty)
                </ul>
                """
        )
    }

    static func account(
        _ view: ViewContext,
        user: StaffUser,
        recoveryRemaining: Int,
        sessions: Int,
        message: String? = nil,
        errors: [String] = []
    ) -> HTML {
        let minimum =
            user.totpEnabled || user.role.requiresSecondFactor
            ? PasswordPolicy.minimumWithSecondFactor : PasswordPolicy.minimumWithoutSecondFactor
        let secondFactor: HTML =
            user.totpEnabled
            ? """
            <p>\(view.t(.recoveryCodesRemaining(recoveryRemaining)))</p>
            <form method="post" action="\(Routes.regenerateRecoveryCodes.path())">\(view.csrfField)
              <label for="recovery-current">\(view.l("Current code from your app, or your password", "Nykyinen koodi sovelluksesta tai salasanasi"))</label>
              <input id="recovery-current" name="current" type="password" required autocomplete="current-password">
              <button class="secondary" type="submit">\(view.t(.newRecoveryCodes))</button></form>
            <p><a href="\(Routes.enrolSecondFactor.path())">\(view.l("Move to a new authenticator app", "Vaihda uuteen todennussovellukseen"))</a></p>
            """
            : "<p><a href=\"\(Routes.enrolSecondFactor.path())\">\(view.t(.setUpSecondFactor))</a></p>"
        return Layout.page(
            view.t(.account),
            view,
            body: """
                <h1>\(view.t(.account))</h1>
                \(message.map { Layout.notice("ok", $0) })
                \(Layout.errors(errors))
                <p>\(user.displayName) · \(user.email) · \(user.role.rawValue)</p>
                <h2>\(view.t(.changePassword))</h2>
                <form method="post" action="\(Routes.changePassword.path())">\(view.csrfField)
                  <input type="hidden" name="username" value="\(user.email)" autocomplete="username">
                  <label for="current">\(view.t(.currentPassword))</label>
                  <input id="current" name="current" type="password" required autocomplete="current-password">
                  <label for="new">\(view.t(.newPassword))</label>
                  <input id="new" name="new" type="password" required autocomplete="new-password" aria-describedby="rules">
                  <p id="rules" class="hint">\(view.t(.passwordRules(minimum)))</p>
                  <button type="submit">\(view.t(.save))</button>
                </form>
                <h2>\(view.t(user.totpEnabled ? .secondFactorOn : .secondFactorOff))</h2>
                \(secondFactor)
                <h2>\(view.t(.signOutEverywhere))</h2>
                <p class="muted">\(sessions)</p>
                <form method="post" action="\(Routes.signOutEverywhere.path())">\(view.csrfField)<button class="danger" type="submit">\(view.t(.signOutEverywhere))</button></form>
                """
        )
    }

    static func users(
        _ view: ViewContext,
        users: [StaffUser],
        created: (StaffUser, String)? = nil,
        errors: [String] = [],
        form: FormData = FormData()
    ) -> HTML {
        let canManage = view.may(Routes.userCreate)
        let roleOptions: (Role?) -> HTML = { selected in
            Role.allCases.map { role -> HTML in
                "<option value=\"\(role.rawValue)\"\(role == selected ? " selected" as HTML : .empty)>\(role.rawValue)</option>"
            }.joined()
        }
        let reissue: (StaffUser) -> HTML = { user in
            """
            <form class="inline" method="post" action="\(Routes.userEnrolmentLink.path(id: user.id))">\(view.csrfField)
              <button class="secondary" type="submit">\(view.l("New enrolment link", "Uusi käyttöönottolinkki"))</button></form>
            """
        }
        let rows: [HTML] = users.map { user in
            let status = view.t(user.status == .active ? .active : user.status == .pending ? .pending : .disabled)
            let actions: HTML =
                canManage
                ? """
                <td><form class="inline" method="post" action="\(Routes.userRole.path(id: user.id))">\(view.csrfField)
                  <label class="visually-hidden" for="role-\(user.id)">\(view.t(.role))</label>
                  <select id="role-\(user.id)" name="role">\(roleOptions(user.role))</select>
                  <button class="secondary" type="submit">\(view.t(.changeRole))</button></form>
                <form class="inline" method="post" action="\((user.status == .disabled ? Routes.userEnable : Routes.userDisable).path(id: user.id))">\(view.csrfField)
                  <button class="secondary" type="submit">\(view.t(user.status == .disabled ? .enable : .disable))</button></form>
                \(AccountService.mayReissueEnrolment(user) ? reissue(user) : .empty)</td>
                """ : .empty
            return """
                <tr><td>\(user.displayName)</td><td>\(user.email)</td><td>\(user.role.rawValue)</td><td>\(status)</td>
                <td>\(user.totpEnabled ? "TOTP" : "–")</td><td>\(Layout.time(user.lastLoginAt))</td>\(actions)</tr>
                """
        }
        let createdNotice: HTML =
            created.map { user, link in
                """
                <div class="notice ok" role="status"><p>\(user.email): \(view.t(.userAdded))</p>
                <code class="secret">\(link)</code><p>\(view.t(.enrolmentLinkOnce))</p></div>
                """
            } ?? .empty
        let createForm: HTML =
            canManage
            ? """
            <h2>\(view.t(.addUser))</h2>
            \(Layout.errors(errors))
            <form method="post" action="\(Routes.userCreate.path())">\(view.csrfField)
              <label for="name">\(view.t(.displayName))</label><input id="name" name="name" required maxlength="200" value="\(form["name"] ?? "")">
              <label for="email">\(view.t(.email))</label><input id="email" name="email" type="email" required value="\(form["email"] ?? "")">
              <label for="role">\(view.t(.role))</label><select id="role" name="role">\(roleOptions(Role(rawValue: form["role"] ?? "") ?? .viewer))</select>
              <button type="submit">\(view.t(.create))</button>
            </form>
            """ : .empty
        return Layout.page(
            view.t(.users),
            view,
            wide: true,
            body: """
                <h1>\(view.t(.users))</h1>
                \(createdNotice)
                <table><thead><tr><th>\(view.t(.displayName))</th><th>\(view.t(.email))</th><th>\(view.t(.role))</th><th>\(view.t(.status))</th>
                <th>2FA</th><th>\(view.t(.lastUsed))</th>\(canManage ? "<th></th>" as HTML : .empty)</tr></thead>
                <tbody>\(rows)</tbody></table>
                \(createForm)
                """
        )
    }

    static func tokens(
        _ view: ViewContext,
        tokens: [APIToken],
        now: Date,
        created: String? = nil,
        errors: [String] = [],
        form: FormData = FormData()
    ) -> HTML {
        let rows: [HTML] = tokens.map { token in
            let action: HTML =
                token.revokedAt != nil
                ? "\(view.t(.revoked)) \(Layout.time(token.revokedAt))"
                : !token.isUsable(at: now)
                    ? "\(view.l("expired", "vanhentunut"))"
                    : token.isProtected
                        ? "\(view.l("protected: revoke it with kilpi token revoke on the server", "suojattu: mitätöi se palvelimella komennolla kilpi token revoke"))"
                        : """
                        <form class="inline" method="post" action="\(Routes.tokenRevoke.path(id: token.id))">\(view.csrfField)
                        <button class="danger" type="submit">\(view.t(.revoke))</button></form>
                        """
            return """
                <tr><td>\(token.name)</td><td><code>\(token.prefix)…</code></td><td>\(token.role.rawValue)</td>
                <td>\(Layout.time(token.createdAt))</td><td>\(Layout.time(token.expiresAt))</td><td>\(token.lastUsedAt.map { Layout.time($0) } ?? view.t(.never))</td><td>\(action)</td></tr>
                """
        }
        let roleOptions: HTML = Role.allCases.map {
            "<option value=\"\($0.rawValue)\"\($0 == .viewer ? " selected" as HTML : .empty)>\($0.rawValue)</option>"
                as HTML
        }.joined()
        return Layout.page(
            view.t(.tokens),
            view,
            wide: true,
            body: """
                <h1>\(view.t(.tokens))</h1>
                \(created.map { "<div class=\"notice ok\" role=\"status\"><p>\(view.t(.tokenCreated))</p><code class=\"secret\">\($0)</code><p>\(view.t(.tokenSecretOnce))</p></div>" as HTML })
                <table><thead><tr><th>\(view.t(.tokenName))</th><th></th><th>\(view.t(.role))</th><th>\(view.t(.created))</th><th>\(view.l("Expires", "Vanhenee"))</th><th>\(view.t(.lastUsed))</th><th></th></tr></thead>
                <tbody>\(rows)</tbody></table>
                <h2>\(view.t(.createToken))</h2>
                \(Layout.errors(errors))
                <form method="post" action="\(Routes.tokenCreate.path())">\(view.csrfField)
                  <label for="name">\(view.t(.tokenName))</label><input id="name" name="name" required maxlength="100" value="\(form["name"] ?? "")">
                  <label for="role">\(view.t(.role))</label><select id="role" name="role">\(roleOptions)</select>
                  <label for="expires_in">\(view.l("Expires in (days, at most \(APITokenLifetime.maximumDays))", "Vanhenee (päivää, enintään \(APITokenLifetime.maximumDays))"))</label>
                  <input id="expires_in" name="expires_in" type="number" min="1" max="\(APITokenLifetime.maximumDays)" required value="\(form["expires_in"] ?? String(APITokenLifetime.defaultDays))">
                  <button type="submit">\(view.t(.createToken))</button>
                </form>
                """
        )
    }

    static func audit(
        _ view: ViewContext,
        entries: [AuditEntry],
        filter: AuditFilter,
        verification: AuditVerification,
        nextPage: String?
    ) -> HTML {
        let rows: [HTML] = entries.map { entry in
            "<tr><td>\(entry.id)</td><td>\(Layout.time(entry.at))</td><td>\(entry.actor)</td><td>\(entry.action)</td><td>\(entry.target)</td><td>\(entry.ip)</td><td>\(entry.detail)</td></tr>"
        }
        // Only the entries after the last verified checkpoint were checked; `kilpi audit verify` walks them all.
        let scope = view.l(
            verification.resumedAfter.map {
                "Entries after the checkpoint at entry \($0) were checked now; `kilpi audit verify` walks the whole chain."
            } ?? "The whole chain was checked.",
            verification.resumedAfter.map {
                "Tarkistuspisteen (merkintä \($0)) jälkeiset merkinnät tarkistettiin nyt; `kilpi audit verify` käy läpi koko ketjun."
            } ?? "Koko ketju tarkistettiin."
        )
        let head = view.l("Head", "Viimeisin") + ": \(verification.headID) \(verification.headHash)"
        let status: HTML =
            verification.isIntact
            ? Layout.notice("ok", view.t(.auditIntact(verification.checked)) + " " + scope + " " + head)
            : Layout.notice("error", view.t(.auditBroken(verification.problem?.description ?? "")) + " " + scope)
        return Layout.page(
            view.t(.auditLog),
            view,
            wide: true,
            body: """
                <h1>\(view.t(.auditLog))</h1>
                \(status)
                <form method="get" action="\(Routes.audit.path())" class="filters">
                  <label>\(view.t(.actor))<input name="actor" value="\(filter.actor ?? "")" placeholder="user:1"></label>
                  <label>\(view.t(.action))<input name="action" value="\(filter.actionPrefix ?? "")" placeholder="session"></label>
                  <label>\(view.t(.target))<input name="target" value="\(filter.target ?? "")"></label>
                  <label>From<input name="from" type="date" value="\(filter.from.map { String(Layout.time($0).prefix(10)) } ?? "")"></label>
                  <label>Until<input name="until" type="date" value="\(filter.until.map { String(Layout.time($0).prefix(10)) } ?? "")"></label>
                  <button type="submit">\(view.t(.apply))</button>
                </form>
                <table><thead><tr><th>#</th><th>\(view.t(.when))</th><th>\(view.t(.actor))</th><th>\(view.t(.action))</th><th>\(view.t(.target))</th><th>\(view.t(.ip))</th><th>\(view.t(.detail))</th></tr></thead>
                <tbody>\(rows)</tbody></table>
                \(nextPage.map { "<p><a href=\"\($0)\">\(view.t(.olderEntries))</a></p>" as HTML })
                """
        )
    }
}

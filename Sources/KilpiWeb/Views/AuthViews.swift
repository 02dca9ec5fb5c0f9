import KilpiCore

/// Sign-in, second factor, first-admin setup and enrolment pages.
enum AuthViews {
    static func login(_ view: ViewContext, email: String = "", error: String? = nil) -> HTML {
        Layout.page(
            view.t(.signInTitle),
            view,
            body: """
                <h1>\(view.t(.signInTitle))</h1>
                \(error.map { Layout.notice("error", $0) })
                <form method="post" action="\(Routes.loginSubmit.path())">\(view.csrfField)
                  <label for="email">\(view.t(.email))</label>
                  <input id="email" name="email" type="email" autocomplete="username" required value="\(email)">
                  <label for="password">\(view.t(.password))</label>
                  <input id="password" name="password" type="password" autocomplete="current-password" required>
                  <button type="submit">\(view.t(.signIn))</button>
                </form>
                """
        )
    }

    static func secondFactor(_ view: ViewContext, error: String? = nil) -> HTML {
        Layout.page(
            view.t(.secondFactorTitle),
            view,
            body: """
                <h1>\(view.t(.secondFactorTitle))</h1>
                <p>\(view.t(.secondFactorHelp))</p>
                \(error.map { Layout.notice("error", $0) })
                <form method="post" action="\(Routes.secondFactorSubmit.path())">\(view.csrfField)
                  <label for="code">\(view.t(.code))</label>
                  <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required autofocus>
                  <button type="submit">\(view.t(.verify))</button>
                </form>
                <form method="post" action="\(Routes.logout.path())">\(view.csrfField)<button class="secondary" type="submit">\(view.t(.cancel))</button></form>
                """
        )
    }

    static func setup(
        _ view: ViewContext,
        action: String,
        email: String = "",
        name: String = "",
        errors: [String] = []
    ) -> HTML {
        Layout.page(
            view.t(.setupTitle),
            view,
            body: """
                <h1>\(view.t(.setupTitle))</h1>
                <p>\(view.t(.setupHelp))</p>
                \(Layout.errors(errors))
                <form method="post" action="\(action)">\(view.csrfField)
                  <label for="name">\(view.t(.displayName))</label>
                  <input id="name" name="name" required maxlength="200" value="\(name)" autocomplete="name">
                  <label for="email">\(view.t(.email))</label>
                  <input id="email" name="email" type="email" required value="\(email)" autocomplete="username">
                  <label for="password">\(view.t(.password))</label>
                  <input id="password" name="password" type="password" required autocomplete="new-password" aria-describedby="rules">
                  <p id="rules" class="hint">\(view.t(.passwordRules(PasswordPolicy.minimumWithSecondFactor)))</p>
                  <button type="submit">\(view.t(.create))</button>
                </form>
                """
        )
    }

    static func enrol(_ view: ViewContext, action: String, user: StaffUser, errors: [String] = []) -> HTML {
        let minimum =
            user.role.requiresSecondFactor
            ? PasswordPolicy.minimumWithSecondFactor : PasswordPolicy.minimumWithoutSecondFactor
        return Layout.page(
            view.t(.enrolTitle),
            view,
            body: """
                <h1>\(view.t(.enrolTitle))</h1>
                <p>\(user.displayName) · \(user.email) · \(user.role.rawValue)</p>
                <p>\(view.t(.enrolHelp))</p>
                \(Layout.errors(errors))
                <form method="post" action="\(action)">\(view.csrfField)
                  <input type="hidden" name="username" value="\(user.email)" autocomplete="username">
                  <label for="password">\(view.t(.password))</label>
                  <input id="password" name="password" type="password" required autocomplete="new-password" aria-describedby="rules">
                  <p id="rules" class="hint">\(view.t(.passwordRules(minimum)))</p>
                  <button type="submit">\(view.t(.save))</button>
                </form>
                """
        )
    }

    static func linkInvalid(_ view: ViewContext) -> HTML {
        Layout.page(view.t(.linkInvalid), view, body: "<h1>Kilpi</h1>\(Layout.notice("error", view.t(.linkInvalid)))")
    }

    /// A password-only session of an account that must have a second factor but has none: it may not enrol one.
    static func enrolmentLinkNeeded(_ view: ViewContext) -> HTML {
        let message = view.l(
            "This account needs a second factor, and it can be set up only from the account's enrolment link. Ask an admin for a new enrolment link.",
            "Tili tarvitsee toisen tunnistautumistavan, ja sen voi ottaa käyttöön vain tilin käyttöönottolinkistä. Pyydä ylläpitäjältä uusi käyttöönottolinkki."
        )
        return Layout.page(
            view.t(.enrolTOTPTitle),
            view,
            body: """
                <h1>\(view.t(.enrolTOTPTitle))</h1>
                \(Layout.notice("error", message))
                <form method="post" action="\(Routes.logout.path())">\(view.csrfField)<button class="secondary" type="submit">\(view.t(.cancel))</button></form>
                """
        )
    }

    /// What the set-up form asks besides the new code: nothing in the enrolment link's session, the password in
    /// another signed-in session, a current code or the password when a factor is being replaced.
    enum CurrentField: Sendable {
        case none, password, codeOrPassword

        /// The field an account's session must show (see `AccountService.confirmTOTP`).
        static func `for`(_ session: ActiveSession) -> CurrentField {
            session.user.totpEnabled ? .codeOrPassword : session.session.mayEnrol ? .none : .password
        }
    }

    static func enrolTOTP(
        _ view: ViewContext,
        secret: String,
        uri: String,
        current field: CurrentField = .none,
        error: String? = nil
    ) -> HTML {
        let label =
            field == .codeOrPassword
            ? view.l(
                "Current code from your old app, or your password",
                "Nykyinen koodi vanhasta sovelluksesta tai salasanasi"
            )
            : view.t(.currentPassword)
        let current: HTML =
            field == .none
            ? .empty
            : """
            <label for="current">\(label)</label>
            <input id="current" name="current" type="password" required autocomplete="current-password">
            """
        let qr: HTML =
            (try? QRCode(encoding: uri)).map { HTML(unsafeRaw: $0.svg(moduleSize: 4, title: view.t(.enrolTOTPTitle))) }
            ?? .empty
        return Layout.page(
            view.t(.enrolTOTPTitle),
            view,
            body: """
                <h1>\(view.t(.enrolTOTPTitle))</h1>
                <p>\(view.t(.enrolTOTPHelp))</p>
                \(error.map { Layout.notice("error", $0) })
                <div class="qr">\(qr)</div>
                <p>\(view.t(.secretKey)):</p><code class="secret">\(spaced(secret))</code>
                <p class="hint"><a href="\(uri)">\(uri)</a></p>
                <form method="post" action="\(Routes.enrolSecondFactorSubmit.path())">\(view.csrfField)
                  <input type="hidden" name="secret" value="\(secret)">
                  \(current)
                  <label for="code">\(view.t(.code))</label>
                  <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required>
                  <button type="submit">\(view.t(.confirm))</button>
                </form>
                """
        )
    }

    static func recoveryCodes(_ view: ViewContext, codes: [String]) -> HTML {
        let items: [HTML] = codes.map { "<li>\($0)</li>" }
        return Layout.page(
            view.t(.recoveryCodesTitle),
            view,
            body: """
                <h1>\(view.t(.recoveryCodesTitle))</h1>
                \(Layout.notice("info", view.t(.recoveryCodesHelp)))
                <ol class="codes">\(items)</ol>
                <p><a class="button" href="\(Routes.dashboard.path())">\(view.t(.continueToConsole))</a></p>
                """
        )
    }

    /// Groups of four make a 32-character key easier to type.
    private static func spaced(_ secret: String) -> String {
        var out = ""
        for (index, character) in secret.enumerated() {
            if index > 0, index % 4 == 0 { out += " " }
            out.append(character)
        }
        return out
    }
}

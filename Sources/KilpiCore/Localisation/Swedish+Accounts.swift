// Swedish for account refusals (`AccountError` in KilpiStore, `PasswordProblem` in Core) and for form bodies that
// cannot be read (KilpiWeb's `FormError`).
// A first translation, awaiting native review like the rest of `Swedish.swift`; the same rules apply (the key is the
// English as the source writes it, templates as raw strings). `MessageCatalogue.swedish` merges it in.

extension Swedish {
    static let accountMessages: [String: String] = [
        "email: that does not look like an email address.": "email: det ser inte ut som en e-postadress.",
        "email: an account with that email address already exists.":
            "email: det finns redan ett konto med den e-postadressen.",
        "An admin already exists; the setup link no longer works.":
            "Det finns redan en administratör; installationslänken fungerar inte längre.",
        "code: that code is not valid. Check your authenticator app's clock and try the newest code.":
            "code: koden är inte giltig. Kontrollera klockan i din autentiseringsapp och försök med den senaste koden.",
        "No such account.": "Kontot finns inte.",
        "This is the last active admin; make another admin first.":
            "Detta är den sista aktiva administratören; utse först en annan administratör.",
        "name: enter 1 to 200 characters.": "name: ange 1–200 tecken.",
        "current: enter the current code from your authenticator app, or your password; nothing was changed.":
            "current: ange den aktuella koden från din autentiseringsapp eller ditt lösenord; inget ändrades.",
        "This account must set up a second factor from its enrolment link. Ask an admin for a new enrolment link.":
            "Det här kontot ska ställa in sin andra faktor via sin registreringslänk. Be en administratör om en ny registreringslänk.",
        "name: enter 1 to 100 characters.": "name: ange 1–100 tecken.",
        #"expires_in: enter a whole number of days from 1 to \(maximum)."#:
            #"expires_in: ange ett helt antal dagar från 1 till \(maximum)."#,
        #"password: at least \(minimum) characters are needed."#:
            #"password: lösenordet måste ha minst \(minimum) tecken."#,
        #"password: at most \(maximum) characters are allowed."#:
            #"password: lösenordet får ha högst \(maximum) tecken."#,
        "password: this password is too common or too easy to guess. Please choose another one.":
            "password: lösenordet är för vanligt eller för lätt att gissa. Välj ett annat.",
        "password: a repeated character or a simple sequence such as “aaaa” or “1234” is not allowed.":
            "password: ett upprepat tecken eller en enkel följd som ”aaaa” eller ”1234” är inte tillåtet.",
        "protected: revoke it with kilpi token revoke on the server":
            "skyddad: återkalla den med kilpi token revoke på servern",

        // MARK: Form bodies that cannot be read (KilpiWeb's FormError, the form size limit)
        "the form body is not valid URL encoding": "formulärets innehåll är inte giltig URL-kodning",
        #"\(name): not valid URL encoding"#: #"\(name): inte giltig URL-kodning"#,
        "the form body is not UTF-8 text": "formulärets innehåll är inte UTF-8-text",
        "a multipart part has no name": "en multipart-del saknar namn",
        #"\(name): the form's text fields are larger than 1 MB"#: #"\(name): formulärets textfält är större än 1 MB"#,
        "the upload is not multipart/form-data": "uppladdningen är inte multipart/form-data",
        "the upload was cut off": "uppladdningen avbröts",
        "malformed multipart body": "felaktigt multipart-innehåll",
        "malformed multipart part headers": "felaktiga rubriker i en multipart-del",
        #"The form is larger than \(megabytes) MB; nothing was saved."#:
            #"Formuläret är större än \(megabytes) MB; inget sparades."#,
    ]
}

import KilpiCore

/// Why an account operation was refused. Messages are safe to show to the person who asked.
public struct AccountError: Error, Equatable, CustomStringConvertible {
    public enum Code: Equatable, Sendable {
        case invalidEmail, emailTaken
        case weakPassword([PasswordProblem])
        case linkInvalid, adminExists
        case wrongCode, notFound, lastAdmin, invalidName
        /// Replacing a second factor or renewing recovery codes needs a current code or the password.
        case wrongCurrentProof
        /// The first second factor of an account that requires one is set up only from its enrolment link.
        case enrolmentLinkRequired
        case invalidTokenName, invalidTokenExpiry
    }
    public let code: Code

    public init(_ code: Code) { self.code = code }

    /// The form or API field the refusal is about, when it is about one.
    public var field: String? {
        switch code {
        case .invalidEmail, .emailTaken: "email"
        case .weakPassword: "password"
        case .invalidName: "name"
        case .wrongCurrentProof: "current"
        case .invalidTokenName: "name"
        case .invalidTokenExpiry: "expires_in"
        case .linkInvalid, .adminExists, .wrongCode, .notFound, .lastAdmin, .enrolmentLinkRequired: nil
        }
    }

    /// The refusal in English (the command line, logs of the refusal's kind).
    public var description: String { message(.en) }

    /// The refusal for a reader of `language`; the field at fault leads, as in every form error.
    public func message(_ language: Language) -> String {
        switch code {
        case .invalidEmail:
            language.l(
                "email: that does not look like an email address.",
                "email: tämä ei näytä sähköpostiosoitteelta."
            )
        case .emailTaken:
            language.l(
                "email: an account with that email address already exists.",
                "email: tällä sähköpostiosoitteella on jo tili."
            )
        case .weakPassword(let problems):
            problems.map { $0.message(language) }.joined(separator: " ")
        case .linkInvalid:
            language.l(
                "This link is invalid, used or expired. Ask an admin for a new one.",
                "Linkki on virheellinen, käytetty tai vanhentunut. Pyydä ylläpitäjältä uusi."
            )
        case .adminExists:
            language.l(
                "An admin already exists; the setup link no longer works.",
                "Ylläpitäjä on jo olemassa; käyttöönottolinkki ei enää toimi."
            )
        case .wrongCode:
            language.l(
                "code: that code is not valid. Check your authenticator app's clock and try the newest code.",
                "code: koodi ei kelpaa. Tarkista todennussovelluksen kello ja kokeile uusinta koodia."
            )
        case .notFound: language.l("No such account.", "Tiliä ei ole.")
        case .lastAdmin:
            language.l(
                "This is the last active admin; make another admin first.",
                "Tämä on viimeinen aktiivinen ylläpitäjä; nimeä ensin toinen ylläpitäjä."
            )
        case .invalidName: language.l("name: enter 1 to 200 characters.", "name: kirjoita 1–200 merkkiä.")
        case .wrongCurrentProof:
            language.l(
                "current: enter the current code from your authenticator app, or your password; nothing was changed.",
                "current: anna todennussovelluksen nykyinen koodi tai salasanasi; mitään ei muutettu."
            )
        case .enrolmentLinkRequired:
            language.l(
                "This account must set up a second factor from its enrolment link. Ask an admin for a new enrolment link.",
                "Tämän tilin toinen tunnistautumistapa otetaan käyttöön tilin käyttöönottolinkistä. Pyydä ylläpitäjältä uusi käyttöönottolinkki."
            )
        case .invalidTokenName: language.l("name: enter 1 to 100 characters.", "name: kirjoita 1–100 merkkiä.")
        case .invalidTokenExpiry:
            Self.expiryMessage(language, maximum: APITokenLifetime.maximumDays)
        }
    }

    private static func expiryMessage(_ language: Language, maximum: Int) -> String {
        language.l(
            "expires_in: enter a whole number of days from 1 to \(maximum).",
            "expires_in: anna kokonainen päivien määrä väliltä 1–\(maximum)."
        )
    }
}

extension Language {
    /// English and Finnish written here, any other language from its catalogue (`MessageCatalogue.text`).
    fileprivate func l(_ en: String, _ fi: String) -> String { MessageCatalogue.text(en: en, fi: fi, self) }
}

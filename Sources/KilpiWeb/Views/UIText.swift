import KilpiCore

/// Every user-interface string in English and Finnish (a missing one is a compile error); other languages come from
/// `MessageCatalogue`, keyed by the English (a missing entry fails `LocalisationTests`).
public enum UIText: Sendable {
    case appTagline, demoBanner, skipToContent, language
    case signIn, signOut, email, password, displayName, role, status, save, create, cancel
    case signInTitle, signInFailed, tooManyAttempts, signInBusy, secondFactorTitle, secondFactorHelp, code, verify
    case setupTitle, setupHelp, enrolTitle, enrolHelp
    case passwordRules(Int)
    case linkInvalid
    case enrolTOTPTitle, enrolTOTPHelp, secretKey, confirm, recoveryCodesTitle, recoveryCodesHelp, continueToConsole
    case dashboard, users, tokens, auditLog, account
    case dashboardWelcome(String)
    case dashboardIntro
    case addUser, userAdded, enrolmentLinkOnce, disable, enable, changeRole, pending, active, disabled, noUsers
    case tokenName, createToken, tokenCreated, tokenSecretOnce, revoke, revoked, lastUsed, never, created
    case auditFilter, actor, action, target, when, ip, detail, apply
    case auditIntact(Int)
    case auditBroken(String)
    case olderEntries
    case changePassword, currentPassword, newPassword, passwordChanged
    case recoveryCodesRemaining(Int)
    case newRecoveryCodes
    case signOutEverywhere
    case signedOutEverywhere(Int)
    case secondFactorOn, secondFactorOff, setUpSecondFactor
    case notFoundTitle, notFoundBody, forbiddenTitle, forbiddenBody, errorTitle, errorBody, badRequestTitle
    case csrfFailed, unknownRole
    case eraseNeedsID(String)
    case formTooLarge(Int)
    case yes, no, systems, customers
    case dataMapTotals(Int, Int)
    case importData, system, owner, location, encryptedAtRest
    case customersCount, categoriesHeld, categoryCatalogue, category, sensitivity, adviceToCustomer, noCustomerFound
    case country, phone, customerSearchLabel, search, stillHeld, dataSubjectRights, exportJSON
    case eraseConfirm(String)
    case eraseCustomer, customerErased, dataMap, heldFrom, heldUntil, importHelp, importKind, csvFile
    case importDone(Int, Int, Int, Int)
    case incidents, responsePlan
    case noticeTemplates
    case supportInbox
    case certificates, securityMeasures, trustPosts

    public func text(_ language: Language) -> String {
        let pair = strings
        return MessageCatalogue.text(en: pair.en, fi: pair.fi, language)
    }

    private var strings: (en: String, fi: String) {
        switch self {
        case .incidents: ("Incidents", "Tapaukset")
        case .responsePlan: ("Response plan", "Toimintasuunnitelma")
        case .noticeTemplates: ("Notice templates", "Ilmoituspohjat")
        case .supportInbox: ("Support inbox", "Tuen saapuneet")
        case .certificates: ("Certificates", "Sertifikaatit")
        case .securityMeasures: ("Security measures", "Suojaustoimet")
        case .trustPosts: ("Trust center posts", "Luottamuskeskuksen julkaisut")
        case .appTagline:
            ("Breach response and customer trust", "Tietoturvaloukkausten hallinta ja asiakkaiden luottamus")
        case .demoBanner:
            (
                "DEMO: fictional company and people. Do not enter real personal data.",
                "DEMO: kuvitteellinen yritys ja henkilöt. Älä syötä oikeita henkilötietoja."
            )
        case .skipToContent: ("Skip to content", "Siirry sisältöön")
        case .language: ("Language", "Kieli")
        case .signIn: ("Sign in", "Kirjaudu sisään")
        case .signOut: ("Sign out", "Kirjaudu ulos")
        case .email: ("Email", "Sähköposti")
        case .password: ("Password", "Salasana")
        case .displayName: ("Name", "Nimi")
        case .role: ("Role", "Rooli")
        case .status: ("Status", "Tila")
        case .save: ("Save", "Tallenna")
        case .create: ("Create", "Luo")
        case .cancel: ("Cancel", "Peruuta")
        case .signInTitle: ("Sign in to Kilpi", "Kirjaudu Kilpeen")
        case .signInFailed:
            (
                "Email or password is wrong, or the account is locked for a moment. Try again.",
                "Sähköposti tai salasana on väärin, tai tili on hetken lukittuna. Yritä uudelleen."
            )
        case .tooManyAttempts:
            (
                "Too many attempts from your address. Wait a few minutes and try again.",
                "Liian monta yritystä osoitteestasi. Odota muutama minuutti ja yritä uudelleen."
            )
        case .signInBusy:
            (
                "Kilpi is handling many sign-ins right now. Wait a moment and try again.",
                "Kilpi käsittelee juuri nyt monta kirjautumista. Odota hetki ja yritä uudelleen."
            )
        case .secondFactorTitle: ("Second factor", "Toinen tunnistautumistekijä")
        case .secondFactorHelp:
            (
                "Enter the 6-digit code from your authenticator app, or one of your recovery codes.",
                "Anna todennussovelluksesi 6-numeroinen koodi tai jokin varakoodeistasi."
            )
        case .code: ("Code", "Koodi")
        case .verify: ("Verify", "Vahvista")
        case .setupTitle: ("Create the first admin", "Luo ensimmäinen ylläpitäjä")
        case .setupHelp:
            (
                "This one-time link creates Kilpi's first administrator. Admins must also set up an authenticator app.",
                "Tällä kertakäyttöisellä linkillä luodaan Kilven ensimmäinen ylläpitäjä. Ylläpitäjän on myös otettava käyttöön todennussovellus."
            )
        case .enrolTitle: ("Set your password", "Aseta salasanasi")
        case .enrolHelp:
            (
                "Choose a long password you do not use anywhere else. A passphrase of several words works well.",
                "Valitse pitkä salasana, jota et käytä muualla. Useamman sanan salalause toimii hyvin."
            )
        case .passwordRules(let minimum):
            (
                "At least \(minimum) characters. Common passwords are refused. No other rules.",
                "Vähintään \(minimum) merkkiä. Yleisiä salasanoja ei hyväksytä. Muita sääntöjä ei ole."
            )
        case .linkInvalid:
            (
                "This link is invalid, used or expired. Ask an admin for a new one.",
                "Linkki on virheellinen, käytetty tai vanhentunut. Pyydä ylläpitäjältä uusi."
            )
        case .enrolTOTPTitle: ("Set up your authenticator app", "Ota todennussovellus käyttöön")
        case .enrolTOTPHelp:
            (
                "Scan the QR code or type the key into an authenticator app, then enter the code it shows.",
                "Lue QR-koodi tai kirjoita avain todennussovellukseen ja anna sen näyttämä koodi."
            )
        case .secretKey: ("Key", "Avain")
        case .confirm: ("Confirm", "Vahvista")
        case .recoveryCodesTitle: ("Your recovery codes", "Varakoodisi")
        case .recoveryCodesHelp:
            (
                "Store these codes somewhere safe. Each works once if you lose your phone. They are shown only now.",
                "Säilytä koodit turvallisessa paikassa. Kukin toimii kerran, jos puhelimesi katoaa. Ne näytetään vain nyt."
            )
        case .continueToConsole: ("Continue to the console", "Jatka hallintanäkymään")
        case .dashboard: ("Dashboard", "Yleiskuva")
        case .users: ("Users", "Käyttäjät")
        case .tokens: ("API tokens", "API-avaimet")
        case .auditLog: ("Audit log", "Tapahtumaloki")
        case .account: ("Your account", "Oma tili")
        case .dashboardWelcome(let name): ("Welcome, \(name)", "Tervetuloa, \(name)")
        case .dashboardIntro:
            (
                "Incidents, customers and notices will appear here as they are added.",
                "Poikkeamat, asiakkaat ja ilmoitukset näkyvät täällä, kun niitä lisätään."
            )
        case .addUser: ("Add a staff member", "Lisää henkilö")
        case .userAdded:
            (
                "Account created. Send this one-time enrolment link to the person (valid 72 hours):",
                "Tili luotu. Lähetä tämä kertakäyttöinen käyttöönottolinkki henkilölle (voimassa 72 tuntia):"
            )
        case .enrolmentLinkOnce: ("The link is shown only once.", "Linkki näytetään vain kerran.")
        case .disable: ("Disable", "Poista käytöstä")
        case .enable: ("Enable", "Ota käyttöön")
        case .changeRole: ("Change role", "Vaihda rooli")
        case .pending: ("pending", "odottaa")
        case .active: ("active", "aktiivinen")
        case .disabled: ("disabled", "poistettu käytöstä")
        case .noUsers: ("No accounts yet.", "Ei vielä tilejä.")
        case .tokenName: ("Token name", "Avaimen nimi")
        case .createToken: ("Create token", "Luo avain")
        case .tokenCreated: ("Token created. Copy it now:", "Avain luotu. Kopioi se nyt:")
        case .tokenSecretOnce:
            (
                "It is shown only once and stored only as a hash.",
                "Se näytetään vain kerran ja tallennetaan vain tiivisteenä."
            )
        case .revoke: ("Revoke", "Mitätöi")
        case .revoked: ("revoked", "mitätöity")
        case .lastUsed: ("Last used", "Viimeksi käytetty")
        case .never: ("never", "ei koskaan")
        case .created: ("Created", "Luotu")
        case .auditFilter: ("Filter", "Suodata")
        case .actor: ("Actor", "Tekijä")
        case .action: ("Action", "Toiminto")
        case .target: ("Target", "Kohde")
        case .when: ("Time (UTC)", "Aika (UTC)")
        case .ip: ("IP address", "IP-osoite")
        case .detail: ("Detail", "Lisätieto")
        case .apply: ("Apply", "Käytä")
        case .auditIntact(let count):
            ("Chain intact: \(count) entries verified.", "Ketju eheä: \(count) merkintää tarkistettu.")
        case .auditBroken(let why): ("CHAIN BROKEN: \(why)", "KETJU RIKKI: \(why)")
        case .olderEntries: ("Older entries", "Vanhemmat merkinnät")
        case .changePassword: ("Change password", "Vaihda salasana")
        case .currentPassword: ("Current password", "Nykyinen salasana")
        case .newPassword: ("New password", "Uusi salasana")
        case .passwordChanged: ("Password changed.", "Salasana vaihdettu.")
        case .recoveryCodesRemaining(let count):
            ("Unused recovery codes: \(count)", "Käyttämättömiä varakoodeja: \(count)")
        case .newRecoveryCodes: ("Make new recovery codes", "Luo uudet varakoodit")
        case .signOutEverywhere: ("Sign out everywhere", "Kirjaudu ulos kaikkialta")
        case .signedOutEverywhere(let count): ("Ended \(count) other sessions.", "Lopetettiin \(count) muuta istuntoa.")
        case .secondFactorOn: ("Authenticator app: on", "Todennussovellus: käytössä")
        case .secondFactorOff: ("Authenticator app: off", "Todennussovellus: ei käytössä")
        case .setUpSecondFactor: ("Set up an authenticator app", "Ota todennussovellus käyttöön")
        case .notFoundTitle: ("Not found", "Sivua ei löydy")
        case .notFoundBody: ("There is nothing at this address.", "Tässä osoitteessa ei ole mitään.")
        case .forbiddenTitle: ("Not allowed", "Ei oikeutta")
        case .forbiddenBody:
            (
                "Your role does not allow this. Ask an admin if you need it.",
                "Roolisi ei salli tätä. Pyydä ylläpitäjältä, jos tarvitset oikeuden."
            )
        case .errorTitle: ("Something went wrong", "Jokin meni vikaan")
        case .errorBody:
            (
                "The error was logged. Please try again; if it persists, tell your Kilpi admin.",
                "Virhe kirjattiin. Yritä uudelleen; jos virhe toistuu, kerro Kilven ylläpitäjälle."
            )
        case .badRequestTitle: ("Please check the form", "Tarkista lomake")
        case .yes: ("yes", "kyllä")
        case .no: ("no", "ei")
        case .systems: ("Systems", "Järjestelmät")
        case .customers: ("Customers", "Asiakkaat")
        case .dataMapTotals(let customers, let holdings):
            (
                "\(customers) customers, \(holdings) holdings (customer × system × data category).",
                "\(customers) asiakasta, \(holdings) tietoriviä (asiakas × järjestelmä × tietoryhmä)."
            )
        case .importData: ("Import CSV", "Tuo CSV")
        case .system: ("System", "Järjestelmä")
        case .owner: ("Owner", "Omistaja")
        case .location: ("Hosting / location", "Sijainti")
        case .encryptedAtRest: ("Encrypted at rest", "Salattu levyllä")
        case .customersCount: ("Customers", "Asiakkaita")
        case .categoriesHeld: ("Data categories (customers)", "Tietoryhmät (asiakkaita)")
        case .categoryCatalogue: ("Data categories", "Tietoryhmät")
        case .category: ("Category", "Tietoryhmä")
        case .sensitivity: ("Sensitivity", "Arkaluonteisuus")
        case .adviceToCustomer: ("Advice to an affected person", "Neuvo asianomaiselle")
        case .noCustomerFound:
            (
                "No customer has that id or email address.",
                "Tällä tunnisteella tai sähköpostiosoitteella ei löydy asiakasta."
            )
        case .country: ("Country", "Maa")
        case .phone: ("Phone", "Puhelin")
        case .customerSearchLabel: ("Customer id or exact email address", "Asiakastunniste tai tarkka sähköpostiosoite")
        case .search: ("Search", "Hae")
        case .stillHeld: ("still held", "edelleen")
        case .dataSubjectRights: ("Data subject rights", "Rekisteröidyn oikeudet")
        case .exportJSON: ("Export all data (JSON, GDPR Art. 15)", "Vie kaikki tiedot (JSON, GDPR 15 art.)")
        case .eraseConfirm(let id):
            (
                "To erase this customer (GDPR Art. 17), type their id \(id):",
                "Poista asiakkaan tiedot (GDPR 17 art.) kirjoittamalla tunniste \(id):"
            )
        case .eraseCustomer: ("Erase personal data", "Poista henkilötiedot")
        case .customerErased:
            (
                "This customer was erased: personal data is gone; the data map remains as anonymous counts.",
                "Asiakkaan tiedot on poistettu: henkilötiedot ovat poissa, tietokartta säilyy nimettöminä lukuina."
            )
        case .dataMap: ("Data map", "Tietokartta")
        case .heldFrom: ("From", "Alkaen")
        case .heldUntil: ("Until", "Asti")
        case .importHelp:
            (
                "UTF-8 CSV with a header row. Each file is all-or-nothing: any bad row rejects the file and nothing is written.",
                "UTF-8-muotoinen CSV otsikkorivillä. Tiedosto tuodaan kokonaan tai ei lainkaan: yksikin virheellinen rivi hylkää tiedoston."
            )
        case .importKind: ("The file holds", "Tiedosto sisältää")
        case .csvFile: ("CSV file", "CSV-tiedosto")
        case .importDone(let rows, let new, let changed, let same):
            (
                "Imported \(rows) rows: \(new) new, \(changed) changed, \(same) unchanged.",
                "Tuotiin \(rows) riviä: \(new) uutta, \(changed) muuttunutta, \(same) ennallaan."
            )
        case .csrfFailed:
            (
                "The form expired or came from another site. Reload the page and try again.",
                "Lomake vanheni tai tuli toiselta sivustolta. Lataa sivu uudelleen ja yritä uudelleen."
            )
        case .unknownRole: ("role: choose one of the listed roles.", "role: valitse jokin luetelluista rooleista.")
        case .formTooLarge(let megabytes):
            (
                "The form is larger than \(megabytes) MB; nothing was saved.",
                "Lomake on yli \(megabytes) Mt; mitään ei tallennettu."
            )
        case .eraseNeedsID(let id):
            (
                "confirm: type the customer's id \(id) to erase.",
                "confirm: kirjoita asiakkaan tunnus \(id) poistaaksesi."
            )
        }
    }
}

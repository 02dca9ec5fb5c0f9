/// How much harm exposure of a category of personal data can do.
public enum Sensitivity: String, Sendable, CaseIterable, Codable, Comparable {
    /// Little harm on its own; mostly makes scams more convincing (a name, an IP address).
    case low
    /// Enables targeted scams or contact (email, phone, address, order history).
    case medium
    /// Enables direct loss: money, accounts, physical safety (cards, bank accounts, credentials, location).
    case high
    /// GDPR Art. 9 and 10 data, and national identity numbers, which the law treats apart.
    case special

    public static func < (lhs: Sensitivity, rhs: Sensitivity) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// A kind of personal data a system may hold about a customer, with what to tell a person whose data of this kind
/// was exposed. Notices and the support portal quote the advice word for word, so it is written for the customer.
public struct DataCategory: Sendable, Equatable, Codable, Identifiable {
    /// Stable snake_case key, used in import files and stored holdings; never renamed.
    public let id: String
    public var nameEN: String
    public var nameFI: String
    public var sensitivity: Sensitivity
    /// One to three plain sentences: what the affected person should do.
    public var adviceEN: String
    public var adviceFI: String

    public init(
        id: String,
        nameEN: String,
        nameFI: String,
        sensitivity: Sensitivity,
        adviceEN: String,
        adviceFI: String
    ) {
        self.id = id
        self.nameEN = nameEN
        self.nameFI = nameFI
        self.sensitivity = sensitivity
        self.adviceEN = adviceEN
        self.adviceFI = adviceFI
    }
}

extension DataCategory {
    /// The categories Kilpi ships with; an installation may edit them and add its own.
    ///
    /// The advice stays conservative on purpose: it names only services known to exist (the free voluntary credit
    /// ban in the Finnish Tax Administration's positive credit register) and otherwise points to the bank, the card
    /// issuer and the police.
    public static let catalogue: [DataCategory] = [
        DataCategory(
            id: "name",
            nameEN: "Name",
            nameFI: "Nimi",
            sensitivity: .low,
            adviceEN: """
                Your name alone is of little use to criminals, but it can make scam messages look more convincing. Be \
                wary of unexpected messages that address you by name and ask you to open a link, pay or give personal \
                details.
                """,
            adviceFI: """
                Pelkällä nimellä rikolliset eivät juuri voi tehdä vahinkoa, mutta sen avulla huijausviestit voivat \
                näyttää uskottavammilta. Suhtaudu varauksella odottamattomiin viesteihin, joissa sinua puhutellaan \
                nimeltä ja pyydetään avaamaan linkki, maksamaan tai antamaan henkilötietoja.
                """
        ),
        DataCategory(
            id: "email",
            nameEN: "Email address",
            nameFI: "Sähköpostiosoite",
            sensitivity: .medium,
            adviceEN: """
                Expect phishing: be suspicious of messages that claim to come from us or another company and ask you \
                to log in, pay or confirm your details. Go to our website by typing its address yourself instead of \
                following links in messages, and never send passwords or card details by email.
                """,
            adviceFI: """
                Varaudu tietojenkalasteluun: suhtaudu epäluuloisesti viesteihin, jotka väittävät tulevansa meiltä tai \
                muulta yritykseltä ja pyytävät sinua kirjautumaan, maksamaan tai vahvistamaan tietojasi. Mene \
                verkkosivuillemme kirjoittamalla osoite itse selaimeen äläkä seuraa viestien linkkejä. Älä koskaan \
                lähetä salasanoja tai korttitietoja sähköpostilla.
                """
        ),
        DataCategory(
            id: "phone",
            nameEN: "Phone number",
            nameFI: "Puhelinnumero",
            sensitivity: .medium,
            adviceEN: """
                Be wary of unexpected calls and text messages, even if they seem to come from us, your bank or an \
                authority. Never give passwords, online banking codes or card details over the phone; if in doubt, \
                hang up and call back on a number you know to be genuine.
                """,
            adviceFI: """
                Suhtaudu varauksella odottamattomiin puheluihin ja tekstiviesteihin, vaikka ne näyttäisivät tulevan \
                meiltä, pankiltasi tai viranomaiselta. Älä koskaan kerro puhelimessa salasanoja, verkkopankkitunnuksia \
                tai korttitietoja. Jos olet epävarma, lopeta puhelu ja soita itse numeroon, jonka tiedät oikeaksi.
                """
        ),
        DataCategory(
            id: "postal_address",
            nameEN: "Postal address",
            nameFI: "Postiosoite",
            sensitivity: .medium,
            adviceEN: """
                Look out for letters, invoices or parcels you did not order, and be wary of post that asks you to pay \
                or to update your details. If you suspect misuse, contact the sender and, if needed, the police.
                """,
            adviceFI: """
                Seuraa, tuleeko sinulle kirjeitä, laskuja tai paketteja, joita et ole tilannut, ja suhtaudu \
                varauksella postiin, jossa pyydetään maksamaan tai päivittämään tietojasi. Jos epäilet väärinkäyttöä, \
                ota yhteyttä lähettäjään ja tarvittaessa poliisiin.
                """
        ),
        DataCategory(
            id: "date_of_birth",
            nameEN: "Date of birth",
            nameFI: "Syntymäaika",
            sensitivity: .medium,
            adviceEN: """
                Your date of birth is often used with your name to check who you are. Do not use it in passwords or as \
                an answer to security questions, and watch out for accounts or credit applied for in your name.
                """,
            adviceFI: """
                Syntymäaikaa käytetään usein yhdessä nimen kanssa henkilöllisyyden tarkistamiseen. Älä käytä sitä \
                salasanoissa tai turvakysymysten vastauksena, ja ole tarkkana, jos nimissäsi haetaan luottoa tai \
                avataan tilejä.
                """
        ),
        DataCategory(
            id: "national_id",
            nameEN: "National identity number",
            nameFI: "Henkilötunnus",
            sensitivity: .special,
            adviceEN: """
                Someone could try to take out loans or buy on credit in your name. Watch for invoices, debt collection \
                letters or credit decisions you do not recognise, and consider a credit freeze where your country \
                offers one (in Finland, a free voluntary credit ban in the Tax Administration's positive credit \
                register). If your identity is misused, report it to the police.
                """,
            adviceFI: """
                Joku voi yrittää ottaa lainaa tai tehdä luotto-ostoksia nimissäsi. Seuraa, tuleeko sinulle laskuja, \
                perintäkirjeitä tai luottopäätöksiä, joita et tunnista, ja harkitse maksutonta vapaaehtoista \
                luottokieltoa, jonka voit tehdä Verohallinnon positiiviseen luottotietorekisteriin. Jos \
                henkilöllisyyttäsi käytetään väärin, tee rikosilmoitus poliisille.
                """
        ),
        DataCategory(
            id: "identity_document",
            nameEN: "Identity document details (passport, identity card, driving licence)",
            nameFI: "Henkilöllisyystodistuksen tiedot (passi, henkilökortti, ajokortti)",
            sensitivity: .high,
            adviceEN: """
                A copy or the number of your identity document could be used to pose as you, for example to open \
                accounts or take out credit. Watch for contracts, invoices or credit decisions you do not recognise, \
                and report any misuse to the police.
                """,
            adviceFI: """
                Henkilöllisyystodistuksesi kopion tai numeron avulla joku voi yrittää esiintyä sinuna, esimerkiksi \
                avata tilejä tai hakea luottoa nimissäsi. Seuraa, tuleeko sinulle sopimuksia, laskuja tai \
                luottopäätöksiä, joita et tunnista, ja tee väärinkäytöstä rikosilmoitus poliisille.
                """
        ),
        // The full card number; card-brand rules apply to it, not to the masked form below.
        DataCategory(
            id: "payment_card",
            nameEN: "Payment card details (full card number)",
            nameFI: "Maksukortin tiedot (koko kortinnumero)",
            sensitivity: .high,
            adviceEN: """
                Check your card transactions closely and report any payment you do not recognise to your card issuer \
                straight away. Ask your bank or card issuer to close the card and send you a new one.
                """,
            adviceFI: """
                Tarkista korttitapahtumasi huolellisesti ja ilmoita tuntemattomista veloituksista heti kortin \
                myöntäjälle. Pyydä pankkiasi tai kortin myöntäjää sulkemaan kortti ja lähettämään sinulle uusi.
                """
        ),
        DataCategory(
            id: "payment_card_last4",
            nameEN: "Partial payment card details (last four digits, expiry date)",
            nameFI: "Maksukortin osittaiset tiedot (neljä viimeistä numeroa, voimassaoloaika)",
            sensitivity: .medium,
            adviceEN: """
                These details are not enough to pay with your card, but they can make scam messages and calls look \
                genuine. Be suspicious of anyone who quotes them and asks for your full card number, security code or \
                online banking codes.
                """,
            adviceFI: """
                Näillä tiedoilla ei voi maksaa kortillasi, mutta niiden avulla huijausviestit ja -puhelut voivat \
                näyttää aidoilta. Suhtaudu epäluuloisesti, jos joku mainitsee nämä tiedot ja pyytää koko \
                kortinnumeroa, turvakoodia tai verkkopankkitunnuksiasi.
                """
        ),
        DataCategory(
            id: "bank_account",
            nameEN: "Bank account number (IBAN)",
            nameFI: "Pankkitilin numero (IBAN)",
            sensitivity: .high,
            adviceEN: """
                Check your account statements for direct debits or payments you did not authorise, and report them to \
                your bank straight away. Be wary of invoices and messages that quote your account number to look \
                genuine.
                """,
            adviceFI: """
                Tarkista tilitapahtumasi ja ilmoita heti pankillesi veloituksista tai maksuista, joita et ole \
                hyväksynyt. Suhtaudu varauksella laskuihin ja viesteihin, jotka mainitsevat tilinumerosi näyttääkseen \
                aidoilta.
                """
        ),
        DataCategory(
            id: "credentials",
            nameEN: "Account credentials (username and password hash)",
            nameFI: "Kirjautumistiedot (käyttäjätunnus ja salasanan tiiviste)",
            sensitivity: .high,
            adviceEN: """
                Change your password for our service now, and anywhere else you have used the same or a similar \
                password. Turn on two-step verification wherever it is offered, and consider a password manager so \
                that every service gets its own password.
                """,
            adviceFI: """
                Vaihda salasanasi palveluumme heti, samoin kaikkiin muihin palveluihin, joissa olet käyttänyt samaa \
                tai samankaltaista salasanaa. Ota kaksivaiheinen tunnistautuminen käyttöön kaikkialla, missä se on \
                mahdollista, ja harkitse salasanojen hallintaohjelmaa, jotta jokaisessa palvelussa on eri salasana.
                """
        ),
        DataCategory(
            id: "order_history",
            nameEN: "Order history",
            nameFI: "Tilaushistoria",
            sensitivity: .medium,
            adviceEN: """
                Your past orders could be used to make scam messages look genuine, such as fake delivery or refund \
                notices. Be wary of messages about orders, deliveries or refunds that ask you to pay, log in or give \
                card details.
                """,
            adviceFI: """
                Tilaushistoriasi avulla huijausviestit, kuten väärennetyt toimitus- tai hyvitysilmoitukset, voidaan \
                saada näyttämään aidoilta. Suhtaudu varauksella tilauksia, toimituksia tai hyvityksiä koskeviin \
                viesteihin, joissa pyydetään maksamaan, kirjautumaan tai antamaan korttitietoja.
                """
        ),
        DataCategory(
            id: "support_messages",
            nameEN: "Customer service messages",
            nameFI: "Asiakaspalveluviestit",
            sensitivity: .medium,
            adviceEN: """
                Your messages with our customer service may include details you shared with us, and could be used to \
                make scams look genuine. Be suspicious of anyone who refers to your earlier conversations with us and \
                asks for passwords, payments or card details.
                """,
            adviceFI: """
                Asiakaspalvelulle lähettämäsi viestit voivat sisältää tietoja, joita olet kertonut meille, ja niiden \
                avulla huijaukset voidaan saada näyttämään aidoilta. Suhtaudu epäluuloisesti, jos joku viittaa \
                aiempiin keskusteluihisi kanssamme ja pyytää salasanoja, maksuja tai korttitietoja.
                """
        ),
        DataCategory(
            id: "location",
            nameEN: "Location data",
            nameFI: "Sijaintitiedot",
            sensitivity: .high,
            adviceEN: """
                Location data can show where you live, work or spend your time. If you are worried about your safety, \
                contact the police; you can also review the location settings of your apps and devices.
                """,
            adviceFI: """
                Sijaintitiedoista voi päätellä, missä asut, työskentelet tai liikut. Jos olet huolissasi \
                turvallisuudestasi, ota yhteyttä poliisiin. Voit myös tarkistaa sovellustesi ja laitteidesi \
                sijaintiasetukset.
                """
        ),
        DataCategory(
            id: "health",
            nameEN: "Health data",
            nameFI: "Terveystiedot",
            sensitivity: .special,
            adviceEN: """
                Health information is especially private, and criminals may use it to pressure or blackmail people. If \
                anyone threatens to publish your information or demands money, do not pay or reply; keep the messages \
                and report them to the police.
                """,
            adviceFI: """
                Terveystiedot ovat erityisen arkaluonteisia, ja rikolliset voivat yrittää käyttää niitä painostamiseen \
                tai kiristämiseen. Jos joku uhkaa julkaista tietojasi tai vaatii rahaa, älä maksa äläkä vastaa. \
                Tallenna viestit ja tee rikosilmoitus poliisille.
                """
        ),
        DataCategory(
            id: "ip_address",
            nameEN: "IP address",
            nameFI: "IP-osoite",
            sensitivity: .low,
            adviceEN: """
                An IP address on its own says little about you, usually only your approximate location and your \
                internet provider. You do not need to do anything, but stay alert to scam messages.
                """,
            adviceFI: """
                Pelkkä IP-osoite kertoo sinusta vähän, yleensä vain likimääräisen sijaintisi ja internetliittymäsi \
                tarjoajan. Sinun ei tarvitse tehdä mitään, mutta suhtaudu edelleen varauksella epäilyttäviin \
                viesteihin.
                """
        ),
    ]
}

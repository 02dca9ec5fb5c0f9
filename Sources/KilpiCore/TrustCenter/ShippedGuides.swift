// The guides the trust center ships with, one per topic and language. These are first versions: the Swedish
// awaits review by a native speaker, like the rest of Kilpi's Swedish (see `Swedish.swift`), and a communicator
// may publish an edited guide in their place.
//
// The bodies are Markdown for Ink and the sanitiser: `## ` headings only (the page supplies the h1), paragraphs,
// `- ` lists, `**bold**`, and relative links to `/verify` and `/support` only. No URL, phone number, authority or
// law is named: the company's own are not known here. A wrapped line never begins with `-`, `#`, `<` or `` ` ``,
// which would end Ink's paragraph or start a new list item.

/// What a guide teaches. Five topics follow an incident's `ThreatKind`; the sixth, fake breach notices, is what
/// criminals send after any breach made public.
public enum GuideTopic: String, Sendable, CaseIterable {
    case phishing
    case socialEngineering = "social_engineering"
    case malware
    case denialOfService = "denial_of_service"
    case afterDataBreach = "after_data_breach"
    case fakeBreachNotices = "fake_breach_notices"

    /// The guide for an incident of `kind` (nil for .other).
    public init?(threat kind: ThreatKind) {
        switch kind {
        case .phishing: self = .phishing
        case .malware: self = .malware
        case .denialOfService: self = .denialOfService
        case .socialEngineering: self = .socialEngineering
        case .dataBreach: self = .afterDataBreach
        case .other: return nil
        }
    }
}

/// A guide as shipped: the trust center shows it until a communicator publishes an edited one.
public struct ShippedGuide: Sendable, Equatable {
    public let topic: GuideTopic
    public let language: Language
    public let title: String
    /// One sentence for the guides list.
    public let summary: String
    /// The body in Markdown.
    public let markdown: String
}

public enum ShippedGuides {
    public static func guide(_ topic: GuideTopic, _ language: Language) -> ShippedGuide {
        switch (topic, language) {
        case (.phishing, .fi): phishingFI
        case (.phishing, .sv): phishingSV
        case (.phishing, .en): phishingEN
        case (.socialEngineering, .fi): socialEngineeringFI
        case (.socialEngineering, .sv): socialEngineeringSV
        case (.socialEngineering, .en): socialEngineeringEN
        case (.malware, .fi): malwareFI
        case (.malware, .sv): malwareSV
        case (.malware, .en): malwareEN
        case (.denialOfService, .fi): denialOfServiceFI
        case (.denialOfService, .sv): denialOfServiceSV
        case (.denialOfService, .en): denialOfServiceEN
        case (.afterDataBreach, .fi): afterDataBreachFI
        case (.afterDataBreach, .sv): afterDataBreachSV
        case (.afterDataBreach, .en): afterDataBreachEN
        case (.fakeBreachNotices, .fi): fakeBreachNoticesFI
        case (.fakeBreachNotices, .sv): fakeBreachNoticesSV
        case (.fakeBreachNotices, .en): fakeBreachNoticesEN
        }
    }

    /// Every topic in every language: topic by topic, each in Finnish, Swedish and English.
    public static let all: [ShippedGuide] = GuideTopic.allCases.flatMap { topic in
        [Language.fi, .sv, .en].map { guide(topic, $0) }
    }

    private static let phishingFI = ShippedGuide(
        topic: .phishing,
        language: .fi,
        title: "Näin tunnistat tietojenkalastelun",
        summary: "Miten tunnistat huijausviestit ja -puhelut ja mitä teet, jos olet jo avannut linkin.",
        markdown: """
            Tietojenkalastelussa rikolliset lähettävät viestejä, jotka näyttävät tulevan meiltä, pankiltasi tai muulta
            yritykseltä, johon luotat. Tarkoitus on saada sinut antamaan salasanasi, korttitietosi tai rahaa. Viesti voi
            tulla sähköpostina tai tekstiviestinä, ja huijari voi myös soittaa.

            ## Varoitusmerkit

            - **Lähettäjän osoite.** Näkyvä nimi on helppo väärentää. Katso itse osoitetta: pienikin kirjoitusvirhe tai
            tuntematon verkkotunnus on varoitusmerkki.
            - **Kiire tai uhkailu.** ”Tilisi suljetaan tänään” tai ”vahvista maksu tunnin kuluessa”. Oikeat yritykset
            hoputtavat harvoin.
            - **Linkki kirjautumissivulle.** Sivu voi näyttää täsmälleen samalta kuin meidän sivumme ja olla silti
            kopio, joka tallentaa kaiken, mitä kirjoitat.
            - **Odottamaton liite.** Lasku, lähetysilmoitus tai kuitti, jota et odottanut, voi sisältää haittaohjelman.
            - **Koodien kysely.** Luotettava yritys ei koskaan pyydä salasanaasi, kertakäyttöistä koodia tai kortin koko
            numeroa.

            ## Tarkista itse

            Älä käytä viestissä olevaa linkkiä tai puhelinnumeroa. Kirjoita osoitteemme selaimeen itse ja kirjaudu sitä
            kautta. Jos viesti on aito, löydät saman tiedon myös tililtäsi. Jos viesti väittää olevansa meidän
            ilmoituksemme tietoturvatapauksesta, voit tarkistaa sen viitekoodin [tarkistussivullamme](/verify).

            ## Jos avasit linkin tai annoit tietojasi

            - Jos kirjoitit salasanan, vaihda se heti sekä meillä että kaikissa palveluissa, joissa käytät samaa
            salasanaa.
            - Ota kaksivaiheinen tunnistautuminen käyttöön kaikkialla, missä se on mahdollista.
            - Jos annoit korttitietoja, soita heti pankkiisi ja pyydä sulkemaan kortti.
            - Jos avasit liitteen, lue myös haittaohjelmia käsittelevä oppaamme.
            - Kerro asiasta meille [tukisivumme](/support) kautta, niin voimme varoittaa muita.
            """
    )

    private static let phishingSV = ShippedGuide(
        topic: .phishing,
        language: .sv,
        title: "Så känner du igen nätfiske",
        summary: "Så avslöjar du falska e-postmeddelanden, sms och samtal, och vad du gör om du redan har klickat.",
        markdown: """
            Vid nätfiske skickar bedragare meddelanden som ser ut att komma från oss, din bank eller något annat företag
            som du litar på. Syftet är att få dig att lämna ut ditt lösenord, dina kortuppgifter eller pengar.
            Meddelandet kan komma per e-post eller sms, och bedragaren kan också ringa.

            ## Varningstecken

            - **Avsändarens adress.** Namnet som visas är lätt att förfalska. Titta på själva adressen: ett litet
            stavfel eller en okänd domän är ett varningstecken.
            - **Brådska eller hot.** ”Ditt konto stängs i dag” eller ”bekräfta betalningen inom en timme”. Seriösa
            företag stressar sällan sina kunder.
            - **En länk till en inloggningssida.** Sidan kan se ut precis som vår och ändå vara en kopia som samlar in
            allt du skriver.
            - **En oväntad bilaga.** En faktura, ett leveransbesked eller ett kvitto som du inte väntade dig kan
            innehålla skadlig kod.
            - **Frågor om koder.** Ett seriöst företag ber dig aldrig om ditt lösenord, en engångskod eller hela ditt
            kortnummer.

            ## Kontrollera själv

            Använd inte länken eller telefonnumret i meddelandet. Skriv själv in vår adress i webbläsaren och logga in
            där. Om meddelandet är äkta hittar du samma information på ditt konto. Gäller det ett meddelande från oss om
            en incident kan du kontrollera dess referenskod på [vår kontrollsida](/verify).

            ## Om du har klickat eller lämnat ut något

            - Om du skrev in ett lösenord, byt det genast, både hos oss och överallt där du använder samma lösenord.
            - Slå på tvåstegsverifiering överallt där det erbjuds.
            - Om du lämnade ut kortuppgifter, ring genast din bank och be dem spärra kortet.
            - Om du öppnade en bilaga, läs också vår guide om skadlig kod.
            - Berätta för oss via [vår supportsida](/support), så att vi kan varna andra.
            """
    )

    private static let phishingEN = ShippedGuide(
        topic: .phishing,
        language: .en,
        title: "How to recognise phishing",
        summary: "How to spot a fake email, text message or call, and what to do if you have already clicked.",
        markdown: """
            Phishing means messages that pretend to come from us, your bank or another company you trust. The aim is to
            get you to give away your password, your card details or money. The message may come by email or text
            message, and the fraudster may also call you.

            ## Warning signs

            - **The sender's address.** The name shown is easy to fake. Look at the address itself: even a small
            misspelling or an unfamiliar domain is a warning sign.
            - **Urgency or threats.** "Your account will be closed today" or "confirm your payment within an hour". Real
            companies rarely rush you.
            - **A link to a sign-in page.** The page can look exactly like ours and still be a copy that records
            everything you type.
            - **An unexpected attachment.** An invoice, a delivery note or a receipt you were not expecting can carry
            malware.
            - **Requests for codes.** A company you can trust never asks for your password, a one-time code or your full
            card number.

            ## Check it yourself

            Do not use the link or the phone number in the message. Type our address into your browser yourself and sign
            in there. If the message is real, you will find the same information in your account. If the message claims
            to be our notice about an incident, you can check its reference code on [our code check page](/verify).

            ## If you clicked or gave something away

            - If you typed in a password, change it at once, both with us and everywhere else you use the same password.
            - Turn on two-step verification wherever it is offered.
            - If you gave card details, call your bank straight away and ask them to close the card.
            - If you opened an attachment, read our guide to malware as well.
            - Tell us through [our support page](/support), so that we can warn others.
            """
    )

    private static let socialEngineeringFI = ShippedGuide(
        topic: .socialEngineering,
        language: .fi,
        title: "Näin tunnistat sosiaalisen manipuloinnin",
        summary: "Huijari voi esiintyä asiakaspalvelijana tai esihenkilönä ja painostaa sinua: näin et mene lankaan.",
        markdown: """
            Sosiaalisessa manipuloinnissa huijataan ihmistä eikä tietokonetta. Huijari keksii uskottavan tarinan ja
            ottaa yhteyttä puhelimitse, chatissa, tekstiviestillä tai sosiaalisessa mediassa. Hän voi väittää olevansa
            asiakaspalvelustamme, pankistasi, kuljetusyhtiöstä, poliisista tai IT-tuesta. Työpaikalla viesti voi näyttää
            tulevan toimitusjohtajalta, joka pyytää kiireellistä maksua.

            ## Tavallisia keinoja

            - **Painostus.** ”Tilillesi on murtauduttu, meidän on toimittava heti.” Kiireen tarkoitus on, ettet ehdi
            miettiä.
            - **Valetuki.** Joku tarjoutuu korjaamaan ongelman, josta et tiennyt, ja pyytää sinua asentamaan
            etäkäyttöohjelman tai lukemaan hänelle koodin.
            - **Lainattu arvovalta.** ”Pomo” tai ”toimitusjohtaja” pyytää sähköpostilla tai chatissa nopeaa tilisiirtoa
            tai lahjakortteja ja kehottaa pitämään asian omana tietonasi.
            - **Aidolta kuulostavat tiedot.** Huijari voi jo tietää nimesi, osoitteesi tai sen, mitä tilasit. Se ei tee
            hänestä aitoa: tiedot voivat olla peräisin aiemmasta tietomurrosta.

            ## Tätä emme koskaan kysy

            Emme koskaan pyydä salasanaasi, kertakäyttöisiä koodejasi tai kortin koko numeroa: emme puhelimessa,
            chatissa, sähköpostilla emmekä tekstiviestillä. Jos joku pyytää niitä meidän nimissämme, kyse on
            huijauksesta.

            ## Näin toimit

            - Älä kiirehdi. Luotettava yritys ei pahastu, jos lopetat puhelun.
            - Katkaise puhelu ja soita takaisin numeroon, jonka tiedät oikeaksi: se löytyy verkkosivuiltamme (kirjoita
            osoite itse), kortistasi tai omista papereistasi. Älä soita numeroon, jonka soittaja antaa.
            - Älä asenna sovelluksia äläkä avaa linkkejä tuntemattoman pyynnöstä.
            - Jos annoit jo koodin tai salasanan, vaihda salasanasi ja kerro asiasta meille [tukisivumme](/support)
            kautta. Jos kortti- tai pankkitietoja oli mukana, soita myös pankkiisi.
            """
    )

    private static let socialEngineeringSV = ShippedGuide(
        topic: .socialEngineering,
        language: .sv,
        title: "Så känner du igen social manipulation",
        summary: """
            Bedragare utger sig för att vara kundtjänst eller chefer och sätter press på dig: så går du inte på det.
            """,
        markdown: """
            Vid social manipulation luras människor, inte datorer. Bedragaren hittar på en trovärdig historia och
            kontaktar dig per telefon, i en chatt, per sms eller i sociala medier. Det kan vara någon som säger sig
            komma från vår kundtjänst, din bank, ett budföretag, polisen eller en it-support. På jobbet kan ett
            meddelande se ut att komma från din vd, som ber om en brådskande betalning.

            ## Vanliga knep

            - **Press.** ”Ditt konto har kapats, vi måste agera nu.” Brådskan ska hindra dig från att tänka efter.
            - **Falsk support.** Någon erbjuder sig att lösa ett problem som du inte visste att du hade och ber dig
            installera ett program för fjärråtkomst eller läsa upp en kod.
            - **Lånad auktoritet.** En ”chef” eller ”vd” ber per e-post eller i chatten om en snabb överföring eller
            presentkort, och ber dig hålla tyst om saken.
            - **Uppgifter som låter äkta.** Bedragaren kan redan känna till ditt namn, din adress eller vad du har
            beställt. Det gör inte kontakten äkta: uppgifterna kan komma från ett tidigare dataintrång.

            ## Det här ber vi aldrig om

            Vi ber aldrig om ditt lösenord, dina engångskoder eller hela ditt kortnummer: inte per telefon, inte i
            chatten, inte per e-post och inte per sms. Den som ber om dem i vårt namn är inte vi.

            ## Så gör du

            - Ta god tid på dig. Ett seriöst företag har inget emot att du avslutar samtalet.
            - Lägg på och ring tillbaka till ett nummer som du vet stämmer: det som står på vår webbplats (skriv in
            adressen själv), på ditt kort eller i dina egna papper. Ring aldrig numret som uppringaren ger dig.
            - Installera inga appar och öppna inga länkar på en främlings begäran.
            - Om du redan har lämnat ut en kod eller ett lösenord, byt lösenord och berätta det för oss via [vår
            supportsida](/support). Om kort- eller bankuppgifter berördes, ring också din bank.
            """
    )

    private static let socialEngineeringEN = ShippedGuide(
        topic: .socialEngineering,
        language: .en,
        title: "How to recognise social engineering",
        summary: """
            Fraudsters pose as support staff or managers and put you under pressure: here is how not to fall for it.
            """,
        markdown: """
            Social engineering means tricking people rather than computers. The fraudster makes up a believable story
            and contacts you by phone, chat, text message or social media. They may claim to be from our customer
            service, your bank, a delivery company, the police or an IT helpdesk. At work, a message may seem to come
            from your managing director, asking for an urgent payment.

            ## Common tricks

            - **Pressure.** "Your account has been hacked, we must act right now." The hurry is meant to stop you
            thinking.
            - **Fake support.** Someone offers to fix a problem you did not know you had, and asks you to install a
            remote access app or read out a code.
            - **Borrowed authority.** A "boss" or "CEO" asks by email or chat for a quick transfer or gift cards, and
            asks you to keep it to yourself.
            - **Details that sound real.** They may already know your name, your address or what you ordered. That does
            not make them genuine: such details can come from an earlier data breach.

            ## What we never ask for

            We never ask for your password, your one-time codes or your full card number: not by phone, not by chat, not
            by email and not by text message. Anyone who asks for them in our name is not us.

            ## What to do

            - Take your time. A company you can trust will not mind if you end the call.
            - Hang up and call back on a number you know is right: the one on our website (type the address yourself),
            on your card or in your own papers. Never call the number the caller gives you.
            - Do not install apps or open links because a stranger asks you to.
            - If you already gave a code or a password, change your password and tell us through [our support
            page](/support). If card or bank details were involved, call your bank as well.
            """
    )

    private static let malwareFI = ShippedGuide(
        topic: .malware,
        language: .fi,
        title: "Näin suojaudut haittaohjelmilta",
        summary: "Miten haittaohjelma päätyy laitteellesi, mistä tartunnan tunnistaa ja mitä silloin kannattaa tehdä.",
        markdown: """
            Haittaohjelma on ohjelma, joka päätyy tietokoneellesi tai puhelimeesi ilman lupaasi. Sillä voidaan varastaa
            salasanoja ja korttitietoja, vakoilla sinua tai lukita tiedostosi. Tietoturvatapauksen jälkeen rikolliset
            yrittävät usein levittää haittaohjelmia viesteillä, jotka näyttävät tulevan meiltä.

            ## Näin se pääsee laitteelle

            - Odottamattomien sähköpostien liitteinä: laskuina, lähetysilmoituksina ja ”tilausvahvistuksina”.
            - Sovellusten mukana, kun ne asennetaan viestin linkistä eikä laitteen virallisesta sovelluskaupasta.
            - Verkkosivuilla näkyvien väärennettyjen päivitys- tai ”tietoturvatarkistus”-ikkunoiden kautta.

            ## Merkkejä tartunnasta

            - Laite hidastuu yhtäkkiä, kaatuilee tai sen akku tyhjenee nopeasti.
            - Näytölle ponnahtelee ikkunoita tai laitteeseen ilmestyy sovelluksia, joita et ole asentanut.
            - Selain avaa sivuja, joita et valinnut.
            - Tuttavasi saavat sinulta viestejä, joita et lähettänyt, tai salasanasi lakkaavat toimimasta.

            ## Näin suojaudut

            - Älä avaa liitteitä, joita et odottanut, vaikka lähettäjä näyttäisi tutulta. Ilmoituksissamme ei ole
            koskaan liitteitä.
            - Asenna sovelluksia vain laitteesi virallisesta sovelluskaupasta, älä koskaan linkin kautta.
            - Pidä käyttöjärjestelmä, selain ja sovellukset ajan tasalla ja ota automaattiset päivitykset käyttöön.
            - Käytä virustorjuntaohjelmaa ja pidä se päällä. Monessa tietokoneessa sellainen on valmiina.

            ## Jos epäilet tartuntaa

            - Katkaise laitteen verkkoyhteys (wifi ja mobiilidata pois päältä), jotta se ei voi lähettää enempää
            tietoja.
            - Tee virustorjuntaohjelmalla täydellinen tarkistus ja poista, mitä se löytää. Jos olet epävarma, pyydä apua
            ammattilaiselta.
            - Vaihda tärkeät salasanasi toisella, puhtaalla laitteella: ensin sähköpostisi, sitten verkkopankin ja
            verkkokauppojen, meidän kauppamme mukaan lukien.
            - Jos olet saattanut syöttää kortti- tai pankkitietoja saastuneella laitteella, soita pankkiisi.
            - Jos haittaohjelma tuli viestissä, joka näytti tulevan meiltä, kerro siitä meille [tukisivumme](/support)
            kautta.
            """
    )

    private static let malwareSV = ShippedGuide(
        topic: .malware,
        language: .sv,
        title: "Så skyddar du dig mot skadlig kod",
        summary: "Hur skadlig kod tar sig in i dina enheter, hur du märker att något är fel och vad du gör då.",
        markdown: """
            Skadlig kod är program som hamnar på din dator eller telefon utan ditt samtycke, för att stjäla lösenord och
            kortuppgifter, spionera på dig eller låsa dina filer. Efter en incident försöker brottslingar ofta sprida
            skadlig kod med meddelanden som ser ut att komma från oss.

            ## Så tar den sig in

            - Som bilagor i oväntade e-postmeddelanden: fakturor, leveransbesked och ”orderbekräftelser”.
            - I appar som installeras via en länk i ett meddelande i stället för från enhetens officiella appbutik.
            - Via falska fönster på webbplatser som uppmanar dig att uppdatera eller göra en ”säkerhetskontroll”.

            ## Tecken på att enheten är infekterad

            - Enheten blir plötsligt långsam eller kraschar, eller batteriet tar snabbt slut.
            - Det dyker upp popup-fönster eller appar som du inte har installerat.
            - Webbläsaren öppnar sidor som du inte har valt.
            - Dina vänner får meddelanden från dig som du inte har skickat, eller dina lösenord slutar fungera.

            ## Så skyddar du dig

            - Öppna inte bilagor som du inte väntade dig, även om avsändaren verkar bekant. Våra meddelanden har aldrig
            bilagor.
            - Installera appar bara från enhetens officiella appbutik, aldrig via en länk.
            - Håll operativsystem, webbläsare och appar uppdaterade och slå på automatiska uppdateringar.
            - Använd ett antivirusprogram och håll det påslaget. Många datorer har ett inbyggt.

            ## Om du tror att enheten är infekterad

            - Koppla bort den från internet (stäng av wifi och mobildata) så att den inte kan skicka något mer.
            - Gör en fullständig genomsökning med antivirusprogrammet och ta bort det som hittas. Be en expert om hjälp
            om du är osäker.
            - Byt dina viktigaste lösenord på en annan, ren enhet: börja med e-posten, sedan nätbanken och nätbutikerna,
            även vår.
            - Om du kan ha skrivit in kort- eller bankuppgifter på den infekterade enheten, ring din bank.
            - Om den skadliga koden kom i ett meddelande som verkade vara från oss, berätta det för oss via [vår
            supportsida](/support).
            """
    )

    private static let malwareEN = ShippedGuide(
        topic: .malware,
        language: .en,
        title: "How to protect yourself from malware",
        summary: "How malware gets onto your devices, the signs of an infection and what to do about it.",
        markdown: """
            Malware is software that gets onto your computer or phone without your consent, to steal passwords and card
            details, spy on you or lock your files. After an incident, criminals often try to spread it with messages
            that look as if they came from us.

            ## How it gets in

            - As attachments to unexpected emails: invoices, delivery notes and "order confirmations".
            - In apps installed from a link in a message rather than from your device's official app store.
            - Through fake windows on websites that urge you to update something or run a "security check".

            ## Signs of an infection

            - Your device suddenly slows down or crashes, or the battery runs down fast.
            - Pop-up windows or apps appear that you did not install.
            - Your browser opens pages you did not choose.
            - Friends get messages from you that you did not send, or your passwords stop working.

            ## How to protect yourself

            - Do not open attachments you were not expecting, even if the sender looks familiar. Our notices never carry
            attachments.
            - Install apps only from your device's official app store, never from a link.
            - Keep your operating system, browser and apps up to date, and turn on automatic updates.
            - Use antivirus software and keep it switched on. Many computers come with one built in.

            ## If you think your device is infected

            - Disconnect it from the internet (turn off Wi-Fi and mobile data) so that it cannot send anything more.
            - Run a full scan with your antivirus software and remove what it finds. If you are unsure, ask a
            professional for help.
            - Change your important passwords on another, clean device: your email first, then online banking and online
            shops, ours included.
            - If you may have typed card or bank details on the infected device, call your bank.
            - If the malware came in a message that seemed to be from us, tell us through [our support page](/support).
            """
    )

    private static let denialOfServiceFI = ShippedGuide(
        topic: .denialOfService,
        language: .fi,
        title: "Mitä palvelunestohyökkäys tarkoittaa sinulle",
        summary: """
            Miksi palvelumme voi hyökkäyksen aikana olla hidas tai poissa käytöstä ja miksi tietosi ovat yleensä \
            turvassa.
            """,
        markdown: """
            Palvelunestohyökkäyksessä rikolliset kuormittavat palveluamme niin suurella määrällä turhaa liikennettä,
            etteivät oikeat asiakkaat pääse läpi. Tarkoitus on kaataa palvelu, ei murtautua sinne.

            ## Mitä saatat huomata

            - Verkkokauppamme voi olla hidas, näyttää virheilmoituksia tai jäädä kokonaan aukeamatta.
            - Tilaaminen, maksaminen tai kirjautuminen voi epäonnistua.
            - Meiltä tulevat sähköpostit, kuten tilausvahvistukset, voivat viivästyä.

            ## Ovatko tietosi turvassa?

            Pelkkä palvelunestohyökkäys ei yleensä paljasta tietojasi: hyökkääjät tukkivat sisäänkäynnin mutta eivät
            pääse sisälle. Jos selvitys osoittaa, että hyökkäys on ulottunut asiakastietoihin, kerromme siitä
            asianomaisille asiakkaille. Voit tarkistaa jokaisen meiltä tulleen ilmoituksen
            [tarkistussivullamme](/verify).

            ## Näin toimit katkon aikana

            - Ole kärsivällinen ja yritä myöhemmin uudelleen.
            - Jos maksu näytti epäonnistuvan, tarkista tiliotteesi tai korttitapahtumasi ennen kuin yrität uudelleen,
            ettei sinua veloiteta kahdesti.
            - Älä käytä ”vaihtoehtoisia” sivustoja, varaosoitteita tai linkkejä, joita tuntemattomat tarjoavat
            sähköpostissa, tekstiviestissä tai sosiaalisessa mediassa. Rikolliset käyttävät katkoja hyväkseen ja
            houkuttelevat ihmisiä valekauppoihin.
            - Syötä korttitietosi vain verkkokauppamme omaan kassaan, jonne pääset kirjoittamalla osoitteemme itse
            selaimeen.
            - Seuraa luottamuskeskustamme: kerromme siellä, miten tilanne etenee.
            """
    )

    private static let denialOfServiceSV = ShippedGuide(
        topic: .denialOfService,
        language: .sv,
        title: "Vad en överbelastningsattack betyder för dig",
        summary: """
            Varför vår tjänst kan vara långsam eller otillgänglig under en attack, och varför dina uppgifter oftast är \
            säkra.
            """,
        markdown: """
            Vid en överbelastningsattack översvämmar brottslingar vår tjänst med så mycket falsk trafik att riktiga
            kunder inte kommer fram. Syftet är att slå ut tjänsten, inte att ta sig in i den.

            ## Det här kan du märka

            - Vår nätbutik kan vara långsam, visa felmeddelanden eller inte öppnas alls.
            - Beställningar, betalningar och inloggningar kan misslyckas.
            - E-post från oss, till exempel orderbekräftelser, kan komma fram sent.

            ## Är dina uppgifter säkra?

            En överbelastningsattack i sig röjer oftast inte dina uppgifter: angriparna blockerar ingången men tar sig
            inte in. Om utredningen visar att attacken har nått kunduppgifter, informerar vi de kunder som berörs. Du
            kan kontrollera varje meddelande från oss på [vår kontrollsida](/verify).

            ## Så gör du under avbrottet

            - Ha tålamod och försök igen senare.
            - Om en betalning verkade misslyckas, kontrollera ditt konto- eller kortutdrag innan du försöker igen, så
            att du inte debiteras två gånger.
            - Använd inte ”alternativa” webbplatser, reservadresser eller länkar som främlingar erbjuder dig per e-post,
            sms eller i sociala medier. Brottslingar utnyttjar avbrott för att locka folk till falska butiker.
            - Lämna dina kortuppgifter bara i vår nätbutiks egen kassa, som du når genom att själv skriva in vår adress
            i webbläsaren.
            - Följ vårt förtroendecenter, där vi berättar hur läget utvecklas.
            """
    )

    private static let denialOfServiceEN = ShippedGuide(
        topic: .denialOfService,
        language: .en,
        title: "What a denial-of-service attack means for you",
        summary: "Why our service may be slow or unreachable during an attack, and why your data is usually safe.",
        markdown: """
            In a denial-of-service attack, criminals flood our service with so much fake traffic that real customers
            cannot get through. The aim is to knock the service out, not to break into it.

            ## What you may notice

            - Our shop may be slow, show error messages or not open at all.
            - Placing an order, paying or signing in may fail.
            - Emails from us, such as order confirmations, may arrive late.

            ## Is your data safe?

            A denial-of-service attack on its own usually does not expose your data: the attackers block the way in, but
            they do not get inside. If our investigation shows that the attack reached customer data, we will tell the
            customers concerned. You can check any notice from us on [our code check page](/verify).

            ## What to do during an outage

            - Be patient and try again later.
            - If a payment seemed to fail, check your bank or card statement before you try again, so that you are not
            charged twice.
            - Do not use "alternative" sites, backup addresses or links that strangers offer you by email, text message
            or social media. Criminals use outages to lure people to fake shops.
            - Give your card details only at our shop's own checkout, which you reach by typing our address into your
            browser yourself.
            - Follow our trust center, where we tell you how the situation is developing.
            """
    )

    private static let afterDataBreachFI = ShippedGuide(
        topic: .afterDataBreach,
        language: .fi,
        title: "Näin toimit tietomurron jälkeen",
        summary: "Tietosi olivat mukana tietomurrossa: näin suojaat itsesi nyt, ja nämä oikeudet sinulla on.",
        markdown: """
            Jos olemme kertoneet sinulle, että tietojasi oli mukana tietomurrossa, näillä toimilla suojaat itseäsi.
            Kaikki kohdat eivät koske kaikkia: henkilökohtainen ilmoituksesi kertoo, mitä tietojasi murto koski.

            ## Lue henkilökohtainen ilmoituksesi

            Ilmoituksessa luetellaan tarkasti, mitä tietojasi murto koski, esimerkiksi sähköpostiosoitteesi,
            postiosoitteesi, tilaushistoriasi tai maksukorttisi tiedot. Pääset omalle sivullesi ilmoituksesi linkistä
            tai voit kirjoittaa ilmoituksen viitekoodin ja sähköpostiosoitteesi [tukisivullemme](/support). Jos et ole
            varma, onko ilmoitus todella meiltä, tarkista sen koodi [tarkistussivullamme](/verify).

            ## Vaihda salasanasi

            - Vaihda salasanasi palveluumme.
            - Vaihda se myös kaikkialla muualla, missä olet käyttänyt samaa tai samankaltaista salasanaa: rikolliset
            kokeilevat vuotaneita salasanoja muihin palveluihin.
            - Ota kaksivaiheinen tunnistautuminen käyttöön kaikkialla, missä se on mahdollista.

            ## Seuraa tilitapahtumiasi

            - Käy kortti- ja tilitapahtumasi huolellisesti läpi ja etsi maksuja, joita et tunnista.
            - Jos korttitietojasi oli mukana tai huomaat jotain outoa, soita pankkiisi tai kortin myöntäjälle ja pyydä
            sulkemaan kortti ja lähettämään uusi.

            ## Varaudu tietojenkalasteluun

            Rikolliset käyttävät vuotaneita tietoja tehdäkseen viesteistään uskottavia: viesti, jossa mainitaan nimesi,
            osoitteesi tai viimeisin tilauksesi, voi silti olla väärennös. Emme koskaan pyydä salasanaasi, kortin
            numeroa tai pankkitunnuksia, eivätkä ilmoituksemme koskaan pyydä kirjautumaan linkin kautta.

            ## Harkitse luottokieltoa

            Jos asuinmaassasi on siihen mahdollisuus, voit pyytää luottokiellon tai vastaavan eston, jotta kukaan ei voi
            ottaa lainaa tai ostaa luotolla nimissäsi. Pankkisi osaa kertoa, mitä vaihtoehtoja sinulla on.

            ## Oikeutesi

            Sinulla on oikeus kysyä meiltä, mitä henkilötietoja meillä on sinusta ja miten käytämme niitä. Kysy
            [tukisivumme](/support) kautta.
            """
    )

    private static let afterDataBreachSV = ShippedGuide(
        topic: .afterDataBreach,
        language: .sv,
        title: "Så gör du efter ett dataintrång",
        summary: "Dina uppgifter fanns med i ett dataintrång: så skyddar du dig nu, och de här rättigheterna har du.",
        markdown: """
            Om vi har berättat för dig att dina uppgifter berördes av ett dataintrång, hjälper de här stegen dig att
            skydda dig. Alla steg gäller inte alla: ditt personliga meddelande visar vilka av dina uppgifter som
            berördes.

            ## Läs ditt personliga meddelande

            Meddelandet räknar upp exakt vilka av dina uppgifter som berördes, till exempel din e-postadress,
            postadress, orderhistorik eller dina betalkortsuppgifter. Öppna din egen sida via länken i ditt meddelande,
            eller skriv meddelandets referenskod och din e-postadress på [vår supportsida](/support). Om du är osäker på
            om meddelandet verkligen är från oss, kontrollera koden på [vår kontrollsida](/verify).

            ## Byt lösenord

            - Byt ditt lösenord till vår tjänst.
            - Byt det också överallt där du har använt samma eller ett liknande lösenord: brottslingar provar läckta
            lösenord på andra tjänster.
            - Slå på tvåstegsverifiering överallt där det erbjuds.

            ## Håll koll på din ekonomi

            - Granska dina kort- och kontoutdrag noga efter betalningar som du inte känner igen.
            - Om kortuppgifter berördes eller om du ser något konstigt, ring din bank eller kortutgivaren och be dem
            spärra kortet och skicka dig ett nytt.

            ## Räkna med nätfiske

            Brottslingar använder läckta uppgifter för att göra sina meddelanden trovärdiga: ett meddelande som nämner
            ditt namn, din adress eller din senaste beställning kan ändå vara falskt. Vi ber aldrig om ditt lösenord,
            ditt kortnummer eller dina bankkoder, och våra meddelanden ber dig aldrig logga in via en länk.

            ## Överväg en kreditspärr

            Om ditt land erbjuder det kan du begära en kreditspärr eller motsvarande, så att ingen kan ta lån eller
            handla på kredit i ditt namn. Din bank kan berätta vilka möjligheter som finns.

            ## Dina rättigheter

            Du har rätt att fråga oss vilka personuppgifter vi har om dig och hur vi använder dem. Fråga via [vår
            supportsida](/support).
            """
    )

    private static let afterDataBreachEN = ShippedGuide(
        topic: .afterDataBreach,
        language: .en,
        title: "What to do after a data breach",
        summary: "Your data was in a data breach: how to protect yourself now, and the rights you have.",
        markdown: """
            If we have told you that your data was involved in a data breach, these steps will help you protect
            yourself. Not every step applies to everyone: your personal notice says which of your data were affected.

            ## Read your personal notice

            Your notice lists exactly which of your data were involved, for example your email address, postal address,
            order history or payment card details. Open your own page through the link in your notice, or type the
            notice's reference code and your email address on [our support page](/support). If you are not sure a notice
            is really from us, check its code on [our code check page](/verify).

            ## Change your passwords

            - Change your password for our service.
            - Change it everywhere else you have used the same or a similar password too: criminals try leaked passwords
            on other services.
            - Turn on two-step verification wherever it is offered.

            ## Keep an eye on your money

            - Check your card and bank statements closely for payments you do not recognise.
            - If card details were involved, or you see anything odd, call your bank or card issuer and ask them to
            close the card and send you a new one.

            ## Expect phishing

            Criminals use leaked data to make their messages believable: a message that mentions your name, your address
            or your last order can still be fake. We never ask for your password, card number or bank codes, and our
            notices never ask you to sign in through a link.

            ## Consider a credit freeze

            Where your country offers it, you can ask for a credit freeze or a similar block, so that nobody can take
            out a loan or buy on credit in your name. Your bank can tell you what is available.

            ## Your rights

            You have the right to ask us what personal data we hold about you and how we use it. Ask through [our
            support page](/support).
            """
    )

    private static let fakeBreachNoticesFI = ShippedGuide(
        topic: .fakeBreachNotices,
        language: .fi,
        title: "Näin tunnistat väärennetyn ilmoituksen",
        summary: "Tietomurron jälkeen liikkuu väärennettyjä ilmoituksia: näin erotat ne meidän ilmoituksistamme.",
        markdown: """
            Tietomurron jälkeen rikolliset lähettävät väärennettyjä ilmoituksia, jotka näyttävät aidoilta. Ne voivat
            jäljitellä nimeämme, ulkoasuamme ja sanamuotojamme, ja niiden tarkoitus on saada sinut kirjautumaan,
            maksamaan tai antamaan korttitietosi.

            ## Jokaisessa aidossa ilmoituksessa on viitekoodi

            Jokaisessa lähettämässämme ilmoituksessa on oma viitekoodinsa: kahdeksan kirjainta ja numeroa, esimerkiksi
            **K7M4-Q2XD**. Kirjoita viestissä oleva koodi [tarkistussivullemme](/verify), niin näet, lähetimmekö sen.
            Sivu kertoo vain, onko koodi meidän.

            Koodi todistaa vain itsensä: rikollinen voi kopioida aidon koodin väärennettyyn viestiin. Katso siksi aina
            myös, mitä viesti pyytää sinua tekemään.

            ## Tätä ilmoituksemme eivät koskaan tee

            - Emme koskaan pyydä salasanaasi, kortin numeroa tai pankkitunnuksia: emme sähköpostilla, puhelimessa emmekä
            tekstiviestillä.
            - Ilmoituksemme eivät koskaan pyydä kirjautumaan linkin kautta, eikä niissä ole kirjautumislinkkejä tai
            liitteitä. Ilmoituksesi linkki avaa oman sivusi, eikä se kysy salasanaa.

            ## Muita varoitusmerkkejä

            - Lähettäjän nimi on helppo väärentää. Kirjoita osoitteemme selaimeen itse äläkä seuraa viestissä olevaa
            linkkiä.
            - Viesti, joka hoputtaa, uhkailee tai lupaa palkkion heti toimimisesta, on varoitusmerkki.

            ## Jos epäröit

            Tarkista koodi [tarkistussivullamme](/verify) tai kysy meiltä [tukisivumme](/support)
            yhteydenottolomakkeella. Jos koodi ei ole meidän, viesti ei ole meiltä: älä avaa sen linkkejä tai liitteitä
            äläkä vastaa siihen. Jos annoit jo salasanan, vaihda se heti; jos annoit korttitietoja, soita pankkiisi.
            """
    )

    private static let fakeBreachNoticesSV = ShippedGuide(
        topic: .fakeBreachNotices,
        language: .sv,
        title: "Så känner du igen ett falskt meddelande",
        summary: "Efter ett dataintrång skickas falska meddelanden: så skiljer du dem från våra.",
        markdown: """
            Efter ett dataintrång skickar brottslingar falska meddelanden som ser äkta ut. De kan härma vårt namn, vårt
            utseende och våra formuleringar, och syftet är att få dig att logga in, betala eller lämna ut dina
            kortuppgifter.

            ## Varje äkta meddelande har en referenskod

            Varje meddelande vi skickar har en egen referenskod: åtta bokstäver och siffror, till exempel **K7M4-Q2XD**.
            Skriv koden från meddelandet på [vår kontrollsida](/verify) för att se om vi har skickat det. Sidan berättar
            bara om koden är vår.

            En äkta kod bevisar bara att koden är vår: en bedragare kan kopiera en äkta kod till ett falskt meddelande.
            Titta därför alltid också på vad meddelandet ber dig göra.

            ## Det här gör våra meddelanden aldrig

            - Vi ber aldrig om ditt lösenord, kortnummer eller dina bankkoder: inte per e-post, inte per telefon och
            inte per sms.
            - Våra meddelanden ber dig aldrig logga in via en länk, och de innehåller varken inloggningslänkar eller
            bilagor. Länken i ditt meddelande öppnar din egen sida och frågar aldrig efter något lösenord.

            ## Andra varningstecken

            - Avsändarens namn är lätt att förfalska. Skriv själv in vår adress i webbläsaren i stället för att följa en
            länk i ett meddelande.
            - Ett meddelande som stressar dig, hotar dig eller lovar en belöning om du agerar genast är ett
            varningstecken.

            ## Om du är osäker

            Kontrollera koden på [vår kontrollsida](/verify) eller fråga oss via kontaktformuläret på [vår
            supportsida](/support). Om koden inte är vår är meddelandet inte från oss: klicka inte på länkarna, öppna
            inte bilagorna och svara inte på det. Om du redan har lämnat ett lösenord, byt det nu; om du har lämnat
            kortuppgifter, ring din bank.
            """
    )

    private static let fakeBreachNoticesEN = ShippedGuide(
        topic: .fakeBreachNotices,
        language: .en,
        title: "How to recognise a fake notice",
        summary: "After a data breach, fake notices go round: here is how to tell them from ours.",
        markdown: """
            After a data breach, criminals send fake notices that look like real ones. They may copy our name, our look
            and our wording, and they want you to sign in, pay or give your card details.

            ## Every real notice has a reference code

            Every notice we send carries its own reference code: eight letters and digits, like **K7M4-Q2XD**. Type the
            code from the message on [our code check page](/verify) to check whether we sent it. The page tells you only
            whether the code is ours.

            A code proves only itself: a criminal can copy a genuine code into a fake message. So always look at what
            the message asks you to do as well.

            ## What our notices never do

            - We never ask for your password, card number or bank codes: not by email, not by phone, not by text
            message.
            - Our notices never ask you to sign in through a link, and they contain no sign-in links and no attachments.
            The link in your notice opens your own page and never asks for a password.

            ## Other warning signs

            - The sender's name is easy to fake. Type our address into your browser yourself rather than following a
            link in a message.
            - A message that rushes you, threatens you or offers a reward for acting at once is a warning sign.

            ## When in doubt

            Check the code on [our code check page](/verify), or ask us through the contact form on [our support
            page](/support). If the code is not ours, the message is not from us: do not follow its links, do not open
            its attachments and do not reply. If you already gave a password, change it now; if you gave card details,
            call your bank.
            """
    )
}

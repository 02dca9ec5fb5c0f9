// The shipped notice wording in English, Finnish and Swedish. The Finnish and Swedish are written for this notice
// (not translated word for word) and await review by native speakers before a real campaign, like the rest of
// Kilpi's Finnish and Swedish. California's title and headings stay in English, as the statute words them; the
// Finnish and Swedish add their own after a dash.

extension ShippedNoticeTemplate {
    static let english = ShippedNoticeTemplate(
        subject: "{{company_name}}: a data breach involved your personal data",
        californiaTitle: "Notice of Data Breach",
        greetingNamed: "Dear {{customer_name}},",
        greetingAnonymous: "Dear customer,",
        opening: """
            We are writing to tell you about a data breach at {{company_name}} that involved your personal data. \
            We are sorry. Keeping your data safe is our responsibility, and this time we did not do it well enough.
            """,
        happened: Heading(plain: "What happened", california: "What Happened"),
        occurred: "The incident began on {{occurred_at}}.",
        aware: "We learnt on {{aware_at}} that personal data was affected.",
        involved: Heading(plain: "Which of your data was involved", california: "What Information Was Involved"),
        involvedIntro: "The incident involved the following data about you:",
        involvedUnknown: "We are still establishing exactly which of your data was involved, and we will tell you.",
        doing: Heading(plain: "What we have done and are doing", california: "What We Are Doing"),
        contained: "We stopped the unauthorised access on {{contained_at}}.",
        notContained: "We are working to stop the unauthorised access.",
        doingMore: """
            We are investigating what happened, we are strengthening the protection of our systems, and we are \
            telling every customer whose data was involved.
            """,
        youCan: Heading(plain: "What you should do now", california: "What You Can Do"),
        checkHeading: "How to check that this notice is from us",
        check: """
            The reference code of this notice is {{reference_code}}. After a real incident, criminals sometimes send \
            fake notices. To check that this one is really from us, type the address {{trust_center_url}} into your \
            browser yourself and enter the code there. We will never ask you to sign in or to give your password \
            because of this incident.
            """,
        moreInfo: Heading(plain: "Where to ask", california: "For More Information"),
        ask: "If you have questions, write to us at {{contact_email}}.",
        askPage: "You can also read more at {{contact_url}}.",
        askLink: """
            Your personal page shows only which of your data was involved and lets you ask us a question. It never \
            asks for a password:
            """,
        askCode: """
            You can also type the address {{support_site_url}} into your browser yourself and enter the reference \
            code {{reference_code}} and your email address there.
            """,
        closing: "Once again, we are sorry for what has happened.",
        regards: "Yours sincerely,"
    )

    static let finnish = ShippedNoticeTemplate(
        subject: "{{company_name}}: tietoturvaloukkaus – mitä tapahtui ja mitä voit tehdä",
        californiaTitle: "Notice of Data Breach – Ilmoitus tietoturvaloukkauksesta",
        greetingNamed: "Hyvä {{customer_name}},",
        greetingAnonymous: "Hyvä asiakkaamme,",
        opening: """
            Kerromme tällä viestillä tietoturvaloukkauksesta, jossa myös sinun henkilötietosi ovat vaarantuneet. \
            Olemme tapahtuneesta todella pahoillamme ja pyydämme sitä anteeksi. Tietojesi suojaaminen on meidän \
            vastuullamme, emmekä tällä kertaa onnistuneet siinä riittävän hyvin.
            """,
        happened: Heading(plain: "Mitä tapahtui", california: "What Happened – Mitä tapahtui"),
        occurred: "Tietoturvaloukkaus alkoi {{occurred_at}}.",
        aware: "Saimme tiedon henkilötietojen vaarantumisesta {{aware_at}}.",
        involved: Heading(
            plain: "Mitä tietojasi loukkaus koski",
            california: "What Information Was Involved – Mitä tietojasi loukkaus koski"
        ),
        involvedIntro: "Loukkaus koski seuraavia sinua koskevia tietoja:",
        involvedUnknown: "Selvitämme vielä, mitä tietojasi loukkaus tarkalleen koski, ja kerromme siitä sinulle.",
        doing: Heading(
            plain: "Mitä olemme tehneet ja teemme",
            california: "What We Are Doing – Mitä olemme tehneet ja teemme"
        ),
        contained: "Katkaisimme luvattoman pääsyn järjestelmiimme {{contained_at}}.",
        notContained: "Pyrimme parhaillaan katkaisemaan luvattoman pääsyn järjestelmiimme.",
        doingMore: """
            Selvitämme tapahtunutta, vahvistamme järjestelmiemme suojausta ja kerromme asiasta henkilökohtaisesti \
            jokaiselle asiakkaalle, jonka tietoja loukkaus koski.
            """,
        youCan: Heading(plain: "Mitä sinun kannattaa tehdä nyt", california: "What You Can Do – Mitä voit tehdä"),
        checkHeading: "Näin tarkistat, että ilmoitus on meiltä",
        check: """
            Tämän ilmoituksen viitekoodi on {{reference_code}}. Rikolliset lähettävät joskus todellisen \
            tietoturvaloukkauksen jälkeen väärennettyjä ilmoituksia. Voit varmistaa, että tämä viesti on todella \
            meiltä: kirjoita osoite {{trust_center_url}} itse selaimeesi ja syötä koodi sivulla olevaan \
            kenttään. Emme koskaan pyydä sinua kirjautumaan tai kertomaan salasanaasi tämän asian vuoksi.
            """,
        moreInfo: Heading(plain: "Mistä saat lisätietoa", california: "For More Information – Lisätietoa"),
        ask: "Jos sinulla on kysyttävää, kirjoita meille osoitteeseen {{contact_email}}.",
        askPage: "Lisätietoa on myös osoitteessa {{contact_url}}.",
        askLink: """
            Henkilökohtainen sivusi näyttää vain sen, mitä tietojasi loukkaus koski, ja sillä voit kysyä meiltä. \
            Se ei koskaan kysy salasanaa:
            """,
        askCode: """
            Voit myös kirjoittaa osoitteen {{support_site_url}} itse selaimeesi ja syöttää sivulla viitekoodin \
            {{reference_code}} ja sähköpostiosoitteesi.
            """,
        closing: "Pahoittelemme tapahtunutta vielä kerran.",
        regards: "Ystävällisin terveisin"
    )

    static let swedish = ShippedNoticeTemplate(
        subject: "{{company_name}}: dataintrång – vad som har hänt och vad du kan göra",
        californiaTitle: "Notice of Data Breach – Meddelande om dataintrång",
        greetingNamed: "Hej {{customer_name}},",
        greetingAnonymous: "Hej,",
        opening: """
            Vi skriver för att berätta om ett dataintrång hos oss som har berört dina personuppgifter. Vi ber om \
            ursäkt för det. Det är vårt ansvar att skydda dina uppgifter, och den här gången lyckades vi inte med det.
            """,
        happened: Heading(plain: "Vad som har hänt", california: "What Happened – Vad som har hänt"),
        occurred: "Intrånget började den {{occurred_at}}.",
        aware: "Den {{aware_at}} fick vi veta att personuppgifter hade berörts.",
        involved: Heading(
            plain: "Vilka av dina uppgifter som berörs",
            california: "What Information Was Involved – Vilka av dina uppgifter som berörs"
        ),
        involvedIntro: "Intrånget gäller följande uppgifter om dig:",
        involvedUnknown: "Vi utreder fortfarande exakt vilka av dina uppgifter som berörs och återkommer till dig.",
        doing: Heading(
            plain: "Vad vi har gjort och gör",
            california: "What We Are Doing – Vad vi har gjort och gör"
        ),
        contained: "Den {{contained_at}} stoppade vi den obehöriga åtkomsten.",
        notContained: "Vi arbetar med att stoppa den obehöriga åtkomsten.",
        doingMore: """
            Vi utreder vad som har hänt, stärker skyddet av våra system och informerar personligen varje kund vars \
            uppgifter berörs.
            """,
        youCan: Heading(plain: "Vad du bör göra nu", california: "What You Can Do – Vad du kan göra"),
        checkHeading: "Så kontrollerar du att meddelandet kommer från oss",
        check: """
            Det här meddelandets referenskod är {{reference_code}}. Efter ett verkligt intrång skickar brottslingar \
            ibland falska meddelanden. Du kan kontrollera att det här meddelandet verkligen kommer från oss: skriv \
            själv in adressen {{trust_center_url}} i din webbläsare och ange koden där. Vi kommer aldrig att be dig \
            logga in eller lämna ditt lösenord på grund av det här intrånget.
            """,
        moreInfo: Heading(plain: "Var du kan fråga", california: "For More Information – Mer information"),
        ask: "Om du har frågor kan du skriva till oss på {{contact_email}}.",
        askPage: "Du kan också läsa mer på {{contact_url}}.",
        askLink: """
            Din personliga sida visar bara vilka av dina uppgifter som berörs, och där kan du ställa frågor till \
            oss. Den ber dig aldrig om ett lösenord:
            """,
        askCode: """
            Du kan också själv skriva in adressen {{support_site_url}} i din webbläsare och ange referenskoden \
            {{reference_code}} och din e-postadress där.
            """,
        closing: "Vi ber än en gång om ursäkt för det som har hänt.",
        regards: "Med vänliga hälsningar"
    )
}

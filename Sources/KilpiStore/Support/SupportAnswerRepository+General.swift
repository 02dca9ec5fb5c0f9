import KilpiCore

/// The general FAQ Kilpi ships: what customers ask first after any breach notice, in every language. A customer's
/// page shows it until staff write the incident's own FAQ in that language.
extension SupportAnswerRepository {
    public static func general(_ language: Language) -> [SupportFAQEntry] {
        switch language {
        case .en:
            [
                SupportFAQEntry(
                    question: "Is this message really from you?",
                    answer: """
                        Yes, if you reached this page by typing our support address yourself and entering the \
                        reference code from your notice. We never ask for your password, card number or bank \
                        codes by email, text message or phone. If a message asks for them, it is not from us: do \
                        not open its links, and forward it to us through this page.
                        """
                ),
                SupportFAQEntry(
                    question: "What should I do now?",
                    answer: """
                        Read the advice given above for each kind of your data that was involved. Be careful with \
                        messages that refer to this incident, change your password if advised, and watch your \
                        accounts and card statements for anything you do not recognise. If you are unsure, ask us \
                        here.
                        """
                ),
                SupportFAQEntry(
                    question: "Was my password exposed?",
                    answer: """
                        This page lists exactly which kinds of your data were involved. If passwords are not \
                        listed, your password was not among them. If they are, change it here and in every other \
                        service where you have used the same password.
                        """
                ),
                SupportFAQEntry(
                    question: "How do I get an answer to my own question?",
                    answer: """
                        Write it in the form on this page. We answer by email and you can read the whole \
                        conversation here; we aim to answer within one business day.
                        """
                ),
            ]
        case .fi:
            [
                SupportFAQEntry(
                    question: "Onko tämä viesti todella teiltä?",
                    answer: """
                        Kyllä, jos tulit tälle sivulle kirjoittamalla tukisivumme osoitteen itse ja antamalla \
                        ilmoituksesi viitekoodin. Emme koskaan kysy salasanaasi, kortin numeroa tai \
                        pankkitunnuksia sähköpostilla, tekstiviestillä tai puhelimessa. Jos viesti kysyy niitä, se \
                        ei ole meiltä: älä avaa sen linkkejä, ja lähetä se meille tämän sivun kautta.
                        """
                ),
                SupportFAQEntry(
                    question: "Mitä minun pitäisi tehdä nyt?",
                    answer: """
                        Lue yllä olevat ohjeet jokaisesta tietojesi lajista, jota tapaus koski. Suhtaudu \
                        varauksella viesteihin, jotka viittaavat tähän tapaukseen, vaihda salasanasi, jos niin \
                        neuvotaan, ja seuraa tilejäsi ja korttisi tapahtumia. Jos olet epävarma, kysy meiltä täällä.
                        """
                ),
                SupportFAQEntry(
                    question: "Paljastuiko salasanani?",
                    answer: """
                        Tällä sivulla luetellaan tarkalleen, mitä tietojesi lajeja tapaus koski. Jos salasanoja ei \
                        ole luettelossa, salasanasi ei ollut niiden joukossa. Jos on, vaihda se meillä ja kaikissa \
                        muissa palveluissa, joissa olet käyttänyt samaa salasanaa.
                        """
                ),
                SupportFAQEntry(
                    question: "Miten saan vastauksen omaan kysymykseeni?",
                    answer: """
                        Kirjoita se tämän sivun lomakkeeseen. Vastaamme sähköpostilla, ja voit lukea koko \
                        keskustelun täällä; pyrimme vastaamaan yhden arkipäivän kuluessa.
                        """
                ),
            ]
        case .sv:
            [
                SupportFAQEntry(
                    question: "Kommer det här meddelandet verkligen från er?",
                    answer: """
                        Ja, om du kom till den här sidan genom att själv skriva in adressen till vår support och \
                        ange referenskoden från ditt meddelande. Vi ber aldrig om ditt lösenord, kortnummer eller \
                        bankkoder per e-post, sms eller telefon. Om ett meddelande ber om dem kommer det inte från \
                        oss: öppna inte dess länkar och skicka det till oss via den här sidan.
                        """
                ),
                SupportFAQEntry(
                    question: "Vad ska jag göra nu?",
                    answer: """
                        Läs råden ovan för varje slag av dina uppgifter som berördes. Var försiktig med meddelanden \
                        som hänvisar till den här händelsen, byt lösenord om du råds till det och håll ett öga på \
                        dina konton och korttransaktioner. Om du är osäker, fråga oss här.
                        """
                ),
                SupportFAQEntry(
                    question: "Röjdes mitt lösenord?",
                    answer: """
                        Den här sidan visar exakt vilka slag av dina uppgifter som berördes. Om lösenord inte finns \
                        med var ditt lösenord inte bland dem. Om de finns med, byt det hos oss och i alla andra \
                        tjänster där du har använt samma lösenord.
                        """
                ),
                SupportFAQEntry(
                    question: "Hur får jag svar på min egen fråga?",
                    answer: """
                        Skriv den i formuläret på den här sidan. Vi svarar per e-post och du kan läsa hela \
                        konversationen här; vi strävar efter att svara inom en arbetsdag.
                        """
                ),
            ]
        }
    }
}

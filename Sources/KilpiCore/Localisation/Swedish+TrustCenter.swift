// Swedish for the public trust center in KilpiWeb ("Is this message from us?", the guide to fake notices,
// security.txt's page). A first translation, awaiting native review like the rest of `Swedish.swift`; the same
// rules apply (the key is the English as the source writes it, templates as raw strings).
// `MessageCatalogue.swedish` merges it in.

extension Swedish {
    static let trustCenterMessages: [String: String] = [
        "Is this message from us?": "Är det här meddelandet från oss?",
        "Trust center": "Förtroendecenter",
        "After a data breach, criminals send fake notices that look like real ones. Every notice we send carries its own reference code. Type the code from the message to check whether we sent it.":
            "Efter ett dataintrång skickar brottslingar falska meddelanden som ser äkta ut. Varje meddelande vi skickar har en egen referenskod. Skriv koden från meddelandet för att se om vi har skickat det.",
        "Check the code": "Kontrollera koden",
        "Yes, we sent a notice with this code": "Ja, vi har skickat ett meddelande med den här koden",
        #"\(company) sent a notice that carries this reference code. Each notice has a code of its own, and a code proves only itself: if the message you have asks for your password or card details, or asks you to sign in through a link, it is not from us, whatever code it shows."#:
            #"\(company) har skickat ett meddelande med den här referenskoden. Varje meddelande har en egen kod, och en äkta kod bevisar bara att koden är vår: om meddelandet du har ber om ditt lösenord eller dina kortuppgifter, eller ber dig logga in via en länk, är det inte från oss, vilken kod det än visar."#,
        "To read what our notice to you says, open your own page with the code and your email address. It opens only for the notice we sent to you.":
            "Öppna din egen sida med koden och din e-postadress för att läsa vad vårt meddelande till dig säger. Den öppnas bara för meddelandet vi skickade till dig.",
        "No, we have not sent a notice with this code": "Nej, vi har inte skickat något meddelande med den här koden",
        "Check that you typed the code as it appears in the message. If it is right, the message is not from us: do not follow its links, do not open its attachments and do not reply. If you already gave a password, change it now; if you gave card details, call your bank.":
            "Kontrollera att du skrev koden så som den står i meddelandet. Om den stämmer är meddelandet inte från oss: klicka inte på länkarna, öppna inte bilagorna och svara inte på det. Om du redan har lämnat ett lösenord, byt det nu; om du har lämnat kortuppgifter, ring din bank.",
        "Still think you should have heard from us?": "Borde du ändå ha fått ett meddelande från oss?",
        "our codes are eight letters and digits, like K7M4-Q2XD; check what you typed":
            "våra koder består av åtta bokstäver och siffror, till exempel K7M4-Q2XD; kontrollera vad du skrev",
        #"There have been too many checks from here lately. Please try again in \(retryMinutes) min."#:
            #"Det har gjorts för många kontroller härifrån den senaste tiden. Försök igen om \(retryMinutes) min."#,
        "We never ask for your password, card number or bank codes: not by email, not by phone, not by text message.":
            "Vi ber aldrig om ditt lösenord, kortnummer eller dina bankkoder: inte per e-post, inte per telefon och inte per sms.",
        "Our notices never ask you to sign in through a link, and carry no attachments.":
            "Våra meddelanden ber dig aldrig logga in via en länk, och de har inga bilagor.",
        "The sender's name is easy to fake. Type our address into your browser yourself rather than following a link in a message.":
            "Avsändarens namn är lätt att förfalska. Skriv själv in vår adress i webbläsaren i stället för att följa en länk i ett meddelande.",
        "A message that rushes you, threatens you or offers a reward for acting at once is a warning sign.":
            "Ett meddelande som stressar dig, hotar dig eller lovar en belöning om du agerar genast är ett varningstecken.",
        "When in doubt, check the code here, or ask us through the contact form.":
            "Om du är osäker, kontrollera koden här eller fråga oss via kontaktformuläret.",
        "How to recognise a fake notice": "Så känner du igen ett falskt meddelande",
        "Not sure a message is really from us?": "Osäker på om ett meddelande verkligen är från oss?",
        "Check its reference code": "Kontrollera dess referenskod",
        "Certificates": "Certifikat",
        "public": "offentlig",
        "Remove from the register": "Ta bort ur registret",
        "What the company is certified for. Those marked public are listed on the trust center's certificates page, expired ones marked as such; admins are reminded on the dashboard 30 days before a certificate's last valid day.":
            "Vad företaget är certifierat för. De som är markerade som offentliga visas på förtroendecentrets certifikatsida, utgångna markerade som sådana; administratörer påminns på startsidan 30 dagar före ett certifikats sista giltighetsdag.",
        "No certificate yet.": "Inga certifikat ännu.",
        "Add a certificate": "Lägg till ett certifikat",
        "Standard": "Standard",
        "Issued by": "Utfärdat av",
        "Valid from": "Giltigt från",
        "Valid until (last day)": "Giltigt till (sista dagen)",
        "Show on the trust center": "Visa i förtroendecentret",
        "valid": "giltigt",
        #"expires in \(days) days"#: #"går ut om \(days) dagar"#,
        "not yet valid": "ännu inte giltigt",
        "last valid day today": "sista giltighetsdag i dag",
        "expires after tomorrow": "går ut efter i morgon",
        "last valid day": "sista giltighetsdag",
        "Certificates about to expire": "Certifikat som snart går ut",
        "Valid": "Giltigt",
        "The certificates and attestations we hold: who issued each, what it covers and for how long.":
            "De certifikat och intyg vi har: vem som utfärdade vart och ett, vad det omfattar och hur länge det gäller.",
        "No certificate is listed yet.": "Inga certifikat listas ännu.",
        "fill this in": "fyll i detta",
        #"at most \(limit) characters"#: #"högst \(limit) tecken"#,
        #""\(shown)" is not a day between 1970 and 9999 (YYYY-MM-DD)"#:
            #""\(shown)" är inte en dag mellan 1970 och 9999 (ÅÅÅÅ-MM-DD)"#,
        "the last valid day comes before the first": "den sista giltighetsdagen infaller före den första",
        #"How \(company) protects your data, and how you can check that a message is really from us."#:
            #"Hur \(company) skyddar dina uppgifter, och hur du kan kontrollera att ett meddelande verkligen är från oss."#,
        "Every notice we send carries its own reference code. Type it here to see whether we sent it, and learn how to recognise a fake.":
            "Varje meddelande vi skickar har en egen referenskod. Skriv den här för att se om vi har skickat det, och lär dig känna igen ett falskt.",
        "Open your own page with the code and your email address: what happened, which of your data were involved, what you can do, and a way to ask us.":
            "Öppna din egen sida med koden och din e-postadress: vad som hände, vilka av dina uppgifter som berördes, vad du kan göra och hur du kan fråga oss.",
        "Report a vulnerability": "Rapportera en sårbarhet",
    ]
}

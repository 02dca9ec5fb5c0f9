// Swedish for notice templates and their checks (KilpiMail/Templates). A first translation, awaiting native review like the rest of `Swedish.swift`; the same rules
// apply (the key is the English as the source writes it, templates as raw strings). `MessageCatalogue.swedish`
// merges it in.

extension Swedish {
    static let templateMessages: [String: String] = noticeActionMessages.merging(noticeVariableMessages) { a, _ in a }
        .merging(templateCheckMessages) { a, _ in a }

    /// `NoticeActions`: the steps a notice asks of the customer.
    static let noticeActionMessages: [String: String] = [
        "Check your card statements closely and call your bank or card issuer straight away about any payment you do not recognise. Ask them to close the card and send you a new one.":
            "Granska dina korttransaktioner noga och ring genast din bank eller kortutgivaren om du ser en betalning som du inte känner igen. Be dem spärra kortet och skicka dig ett nytt.",
        "Check your bank account statements for payments or direct debits you did not authorise, and tell your bank at once.":
            "Granska dina kontoutdrag efter betalningar eller autogireringar som du inte har godkänt, och meddela genast din bank.",
        "Change your password for our service now, and also wherever you have used the same or a similar password. Turn on two-step verification wherever it is offered.":
            "Byt genast ditt lösenord till vår tjänst, och även överallt där du har använt samma eller ett liknande lösenord. Slå på tvåstegsverifiering överallt där det erbjuds.",
        "Watch for invoices, debt collection letters, contracts or credit decisions in your name that you do not recognise, and report any misuse of your identity to the police.":
            "Håll utkik efter fakturor, inkassobrev, avtal eller kreditbeslut i ditt namn som du inte känner igen, och anmäl allt missbruk av din identitet till polisen.",
        "If anyone threatens to publish your information or demands money, do not pay or reply; keep the messages and report them to the police.":
            "Om någon hotar att publicera dina uppgifter eller kräver pengar, betala inte och svara inte; spara meddelandena och anmäl dem till polisen.",
        "If you are worried about your safety, contact the police.":
            "Om du är orolig för din säkerhet, kontakta polisen.",
        "Expect phishing: be suspicious of messages that seem to come from us or another company and ask you to sign in, pay or confirm your details.":
            "Räkna med nätfiske: var misstänksam mot meddelanden som verkar komma från oss eller ett annat företag och ber dig logga in, betala eller bekräfta dina uppgifter.",
        "We will never ask for your password or send you a link to sign in. Go to our website by typing its address yourself.":
            "Vi kommer aldrig att be dig om ditt lösenord eller skicka dig en länk för att logga in. Gå till vår webbplats genom att själv skriva in adressen.",
        "Be wary of unexpected calls and text messages; never give passwords, card details or online banking codes over the phone.":
            "Var försiktig med oväntade samtal och textmeddelanden; lämna aldrig ut lösenord, kortuppgifter eller nätbankskoder per telefon.",
        "If you have given your password, card details or banking codes in reply to a message or call that seemed to come from us, change your password and call your bank now.":
            "Om du har lämnat ut ditt lösenord, dina kortuppgifter eller bankkoder som svar på ett meddelande eller samtal som verkade komma från oss, byt lösenord och ring din bank nu.",
        "Be wary of messages, calls and letters that quote your details to look genuine and then ask you to pay, sign in or give card details.":
            "Var försiktig med meddelanden, samtal och brev som nämner dina uppgifter för att verka äkta och sedan ber dig betala, logga in eller lämna kortuppgifter.",
        "You do not need to do anything now, but stay alert to unexpected messages.":
            "Du behöver inte göra något nu, men var fortsatt uppmärksam på oväntade meddelanden.",
    ]

    /// `NoticeVariable.all`: what each template variable means.
    static let noticeVariableMessages: [String: String] = [
        "The notice's language tag (fi, sv, en)": "Meddelandets språkkod (fi, sv, en)",
        "The company's name": "Företagets namn",
        "Where to ask about the incident": "Var man kan fråga om händelsen",
        "A public page with more information": "En offentlig sida med mer information",
        "The trust center page where a reference code can be checked":
            "Sidan i förtroendecentret där en referenskod kan kontrolleras",
        "The customer's name, when known": "Kundens namn, om det är känt",
        "The customer's personal support page (a link only they get)":
            "Kundens personliga supportsida (en länk som bara kunden får)",
        "The support site, where the reference code and email address open the same page":
            "Supportwebbplatsen, där referenskoden och e-postadressen öppnar samma sida",
        "The incident's title": "Incidentens rubrik",
        "The incident's summary": "Incidentens sammanfattning",
        "The incident's threat kinds": "Incidentens hottyper",
        "The threat kind": "Hottypen",
        "The threat kinds as one phrase": "Hottyperna som en fras",
        "When the attack began (UTC)": "När attacken började (UTC)",
        "When we learnt that personal data was affected (UTC)": "När vi fick veta att personuppgifter berördes (UTC)",
        "When the attack was stopped (UTC)": "När attacken stoppades (UTC)",
        "The date of the notice": "Meddelandets datum",
        "The customer's exposed data, most harmful first": "Kundens exponerade uppgifter, de mest skadliga först",
        "The category's key": "Kategorins nyckel",
        "The category's name": "Kategorins namn",
        "The category's advice": "Kategorins råd",
        "High or special sensitivity": "Hög eller särskild känslighet",
        "The language of the name": "Namnets språk",
        "The language of the advice": "Rådets språk",
        "The category names as one phrase": "Kategoriernas namn som en fras",
        "What the customer should do now": "Vad kunden bör göra nu",
        "One step": "Ett steg",
        "The customer is in California (US-CA)": "Kunden bor i Kalifornien (US-CA)",
        "The notice's reference code": "Meddelandets referenskod",
    ]

    /// `MustacheTemplateChecker` (KilpiMail): problems of a template, each naming its part and line.
    static let templateCheckMessages: [String: String] = [
        "line 2: the subject must be one line": "rad 2: ämnesraden måste vara en enda rad",
        #"line \(line): functions such as “\(name)” are not supported"#:
            #"rad \(line): funktioner som ”\(name)” stöds inte"#,
        #"line \(line): “\(name)” exists only inside {{#\(list)}} … {{/\(list)}}"#:
            #"rad \(line): ”\(name)” finns bara inuti {{#\(list)}} … {{/\(list)}}"#,
        #"line \(line): unknown variable “\(name)”"#: #"rad \(line): okänd variabel ”\(name)”"#,
        #"line \(line): changing the delimiters is not supported"#: #"rad \(line): att byta avgränsare stöds inte"#,
        #"line \(line): pragmas are not supported"#: #"rad \(line): pragman stöds inte"#,
        #"line \(line): partials and blocks are not supported"#: #"rad \(line): delmallar och block stöds inte"#,
        #"line \(line): the HTML part must not write “\(name)” unescaped: write {{\(name)}}"#:
            #"rad \(line): HTML-delen får inte skriva ut ”\(name)” utan escapning: skriv {{\(name)}}"#,
        #"line \(line): “\(name)” is a list: use {{#\(name)}} … {{/\(name)}}"#:
            #"rad \(line): ”\(name)” är en lista: använd {{#\(name)}} … {{/\(name)}}"#,
        #"line \(line): {{/\(name)}} does not close the open section {{#\(open)}} from line \(openLine)"#:
            #"rad \(line): {{/\(name)}} stänger inte det öppna avsnittet {{#\(open)}} från rad \(openLine)"#,
        #"line \(line): {{/\(name)}} closes no open section"#:
            #"rad \(line): {{/\(name)}} stänger inget öppet avsnitt"#,
        #"line \(line): section {{#\(name)}} is never closed: add {{/\(name)}}"#:
            #"rad \(line): avsnittet {{#\(name)}} stängs aldrig: lägg till {{/\(name)}}"#,
        #"line \(line): “\(name)” did not render with sample content"#:
            #"rad \(line): ”\(name)” gav ingen text med exempelinnehållet"#,
        #"line \(line): a section is closed with another name than it was opened with"#:
            #"rad \(line): ett avsnitt stängs med ett annat namn än det öppnades med"#,
        #"line \(line): a tag is not finished: a name has only letters, digits and _, then }}"#:
            #"rad \(line): en tagg är inte avslutad: ett namn har bara bokstäver, siffror och _, sedan }}"#,
        #"line \(line): a section is opened but never closed"#: #"rad \(line): ett avsnitt öppnas men stängs aldrig"#,
        #"line \(line): the template's syntax is wrong here"#: #"rad \(line): mallens syntax är fel här"#,
        // NoticeContent.sample
        "Unauthorised access to the web shop": "Obehörig åtkomst till webbutiken",
        "Someone used a stolen staff password to copy customer records from the web shop's database.":
            "Någon använde ett stulet lösenord från en anställd för att kopiera kunduppgifter från webbutikens databas.",
    ]
}

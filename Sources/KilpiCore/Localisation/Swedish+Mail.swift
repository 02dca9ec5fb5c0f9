// Swedish for SMTP configuration, delivery and bounce files (KilpiMail). A first translation, awaiting native review like the rest of `Swedish.swift`; the same rules
// apply (the key is the English as the source writes it, templates as raw strings). `MessageCatalogue.swedish`
// merges it in.

extension Swedish {
    static let mailMessages: [String: String] = [
        // Bounces (KilpiMail/Bounces): what each message of a bounce file turned out to be (H4's entries here)
        #"message \(messageIndex), line \(line)"#: #"meddelande \(messageIndex), rad \(line)"#,
        "delivery failed permanently (no status given)": "leveransen misslyckades permanent (ingen statuskod angiven)",
        #"delivery failed permanently (\(status))"#: #"leveransen misslyckades permanent (\(status))"#,
        "delivery delayed and still being retried: not marked bounced":
            "leveransen är försenad och försöks fortfarande: markeras inte som studsad",
        #"delivery delayed (\(status)) and still being retried: not marked bounced"#:
            #"leveransen är försenad (\(status)) och försöks fortfarande: markeras inte som studsad"#,
        #"a report of successful delivery (\(action)), not a bounce"#:
            #"en rapport om lyckad leverans (\(action)), ingen studs"#,
        #"names none of our notices (no X-Kilpi-Notice header, no bounces+<id> address at \(domain))"#:
            #"gäller inget av våra meddelanden (inget X-Kilpi-Notice-huvud, ingen bounces+<id>-adress på \(domain))"#,
        "names two different notices (its X-Kilpi-Notice header and the address it was sent to disagree)":
            "gäller två olika meddelanden (dess X-Kilpi-Notice-huvud och adressen det skickades till stämmer inte överens)",
        "not a delivery status notification or a bounce": "inte en leveransrapport eller en studs",
        "an empty message": "ett tomt meddelande",
        #"larger than \(mebibytes) MiB, not read"#: #"större än \(mebibytes) MiB, inte läst"#,
        "the header does not end (a truncated message?)": "huvudet tar inte slut (ett avkortat meddelande?)",
        "a delivery report without its message/delivery-status part (a truncated message?)":
            "en leveransrapport utan sin message/delivery-status-del (ett avkortat meddelande?)",
        "the message/delivery-status part names no recipient (Final-Recipient, Action, Status)":
            "message/delivery-status-delen nämner ingen mottagare (Final-Recipient, Action, Status)",
        "a recipient's report has neither Action nor Status": "en mottagares rapport har varken Action eller Status",
        // (The file errors reuse "no such file", "is a directory", ... from Swedish+Parsers.swift.)

        // MARK: SMTP (KilpiMail/SMTP): the --smtp URL, its CA file, connecting (sorted; keep H1's entries here)
        "contains a control character or a space": "innehåller ett styrtecken eller ett mellanslag",
        "contains no PEM certificate": "innehåller inget PEM-certifikat",
        #"could not connect to the mail server \(endpoint)"#: #"kunde inte ansluta till e-postservern \(endpoint)"#,
        "has an invalid percent-encoding or a control character":
            "har en ogiltig procentkodning eller ett styrtecken",
        "is empty": "är tom",
        "is missing": "saknas",
        "is missing (write user:password@)": "saknas (skriv användare:lösenord@)",
        "is not a host name or IP address": "är inte ett värdnamn eller en IP-adress",
        "is not an SMTP URL (smtp://host:port or smtps://host:port)":
            "är inte en SMTP-adress (smtp://värd:port eller smtps://värd:port)",
        "must be a number from 1 to 65535": "måste vara ett tal från 1 till 65535",
        "must be empty (nothing after the host and port)": "måste vara tom (inget efter värd och port)",
        "must be smtp:// (STARTTLS) or smtps:// (implicit TLS)":
            "måste vara smtp:// (STARTTLS) eller smtps:// (implicit TLS)",
        "no such file or not readable": "filen finns inte eller kan inte läsas",
        "the TLS handshake failed: the server's certificate was not accepted (check the CA file and that the certificate names the host)":
            "TLS-handskakningen misslyckades: serverns certifikat godtogs inte (kontrollera CA-filen och att certifikatet namnger servern)",
        "the mail server broke the SMTP protocol": "e-postservern bröt mot SMTP-protokollet",
        "stopped sending: the previous message's acceptance could not be recorded":
            "sändningen avbröts: att föregående meddelande togs emot kunde inte registreras",
        "the mail server closed the connection": "e-postservern stängde anslutningen",
        "the mail server did not answer in time": "e-postservern svarade inte i tid",
        "the mail server does not offer STARTTLS; Kilpi sends plain text only to a loopback relay without a password":
            "e-postservern erbjuder inte STARTTLS; Kilpi skickar okrypterat endast till ett lokalt relä utan lösenord",
        "the mail server offers neither AUTH PLAIN nor AUTH LOGIN":
            "e-postservern erbjuder varken AUTH PLAIN eller AUTH LOGIN",
        #"the mail server refused \(command)"#: #"e-postservern avvisade \(command)"#,
        "the mail server refused the connection": "e-postservern avvisade anslutningen",
        "the mail server refused the user name or password":
            "e-postservern godtog inte användarnamnet eller lösenordet",
    ]
}

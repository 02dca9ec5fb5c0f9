// Swedish for the staff side of the support channel (the inbox, its FAQ and canned answers, the link check on
// replies, the support API). A first translation, awaiting native review like the rest of `Swedish.swift`; the
// same rules apply (the key is the English as the source writes it, templates as raw strings).
// `MessageCatalogue.swedish` merges it in.

extension Swedish {
    static let supportInboxMessages: [String: String] = [
        // MARK: Answers (KilpiStore)
        #"answer \(id) does not exist"#: #"svaret \(id) finns inte"#,
        "remove the control characters": "ta bort styrtecknen",
        "write the question": "skriv frågan",
        "write the answer": "skriv svaret",
        #"use a whole number from 0 to \(maximumPosition)"#: #"använd ett heltal från 0 till \(maximumPosition)"#,

        // MARK: Links in replies
        "a link has no host: write it as https://example.com/…":
            "en länk saknar värd: skriv den som https://example.com/…",
        "a link has a name before its host (name@host): it would lead elsewhere than it seems":
            "en länk har ett namn före värden (namn@värd): den skulle leda någon annanstans än det verkar",
        "a link's host has non-ASCII letters that can imitate another address: use its xn-- form":
            "en länks värd har andra tecken än ASCII som kan efterlikna en annan adress: använd dess xn--form",
        #"only http:// and https:// links may be sent (this has \(scheme):)"#:
            #"endast http://- och https://-länkar får skickas (här finns \(scheme):)"#,
        // MARK: Inbox, thread and metrics (KilpiWeb)
        "Support inbox": "Supportinkorg",
        #"use a whole number from 0 to \(SupportAnswerRepository.maximumPosition)"#:
            #"använd ett heltal från 0 till \(SupportAnswerRepository.maximumPosition)"#,
        "canned": "färdigt svar",
        "Delete": "Radera",
        "Add an answer": "Lägg till ett svar",
        "FAQ and canned answers": "Vanliga frågor och färdiga svar",
        "Answers marked FAQ appear on this incident's customers' support pages in their language; until there is one in a language, the general FAQ is shown. Every answer can be inserted into a reply. Only http:// and https:// links are allowed.":
            "Svar som markerats som vanliga frågor visas på den här incidentens kunders supportsidor på deras språk; tills det finns ett på ett språk visas de allmänna vanliga frågorna. Varje svar kan infogas i ett svar till kunden. Endast http://- och https://-länkar är tillåtna.",
        "No answer yet.": "Inga svar ännu.",
        "Question": "Fråga",
        "Answer (plain text)": "Svar (ren text)",
        "Show in the customers' FAQ": "Visa bland kundernas vanliga frågor",
        "Position": "Ordning",
        "choose a status": "välj en status",
        "choose a staff member": "välj en medarbetare",
        #"staff member \(assignee) does not exist or is disabled"#:
            #"medarbetaren \(assignee) finns inte eller är avstängd"#,
        "new": "ny",
        "open": "öppen",
        "waiting for customer": "väntar på kunden",
        "on time": "i tid",
        "due soon": "förfaller snart",
        "met": "uppnått",
        "missed": "missat",
        "nobody": "ingen",
        "Older inquiries": "Äldre frågor",
        "No inquiry matches.": "Ingen fråga matchar.",
        "Assignee": "Handläggare",
        "Received": "Mottagen",
        "First response": "Första svar",
        "Resolution": "Lösning",
        "Support metrics": "Supportmått",
        "all": "alla",
        "anyone": "vem som helst",
        "Inquiries matching": "Matchande frågor",
        "Customer": "Kund",
        "Reply": "Svar",
        "Internal note": "Intern anteckning",
        "Customer's exposure": "Kundens exponering",
        "Not in the latest scope.": "Inte med i den senaste avgränsningen.",
        "Canned answer": "Färdigt svar",
        "Insert into the reply": "Infoga i svaret",
        "Reply to the customer": "Svara kunden",
        "Reply (plain text, emailed to the customer; only http:// and https:// links)":
            "Svar (ren text, skickas till kunden per e-post; endast http://- och https://-länkar)",
        "Send reply": "Skicka svar",
        "Note (never shown to the customer)": "Anteckning (visas aldrig för kunden)",
        "Add note": "Lägg till anteckning",
        "Status and assignee": "Status och handläggare",
        "Inquiry": "Fråga",
        "Support escalations": "Supporteskaleringar",
        "Overdue inquiries": "Försenade frågor",
        "Show": "Visa",
        "Inquiries": "Frågor",
        "Answered": "Besvarade",
        "First response p50 / p90": "Första svar p50 / p90",
        "First response p50 / p90 in business hours": "Första svar p50 / p90 under kontorstid",
        "First responses within target": "Första svar inom målet",
        "Resolutions within target": "Lösningar inom målet",
        "Open backlog, last 14 days": "Öppna frågor, de senaste 14 dagarna",
        "Time": "Tid",

        // MARK: Closing customers' pages
        "Customer's page": "Kundens sida",
        "Customers' pages": "Kundernas sidor",
        "Close the notice's page": "Stäng meddelandets sida",
        "Closed: the notice's links and reference code no longer open the page.":
            "Stängd: meddelandets länkar och referenskod öppnar inte längre sidan.",
        "If the customer says their notice reached someone else, close its page: every link of the notice and its reference code stop working at once, for good. Replies to this thread still go to the customer's address on file: if that address is wrong or not theirs alone, correct it in the data map before you reply. A new campaign gives them a new page.":
            "Om kunden säger att meddelandet nådde någon annan, stäng dess sida: alla meddelandets länkar och dess referenskod slutar fungera genast och för gott. Svar i den här tråden går fortfarande till kundens sparade adress: om adressen är fel eller inte bara kundens, rätta den i datakartan innan du svarar. En ny kampanj ger kunden en ny sida.",
        #"Closed \(FormTime.show(revoked)): the notices' links and reference codes no longer open a page."#:
            #"Stängd \(FormTime.show(revoked)): meddelandenas länkar och referenskoder öppnar inte längre någon sida."#,
        "If the notices' links leaked (a forwarded list, a compromised mailbox provider), close every page of this campaign at once: its links and reference codes stop working for good, and a new campaign gives customers new ones.":
            "Om meddelandenas länkar har läckt (en vidarebefordrad lista, en komprometterad e-postleverantör), stäng alla kampanjens sidor på en gång: länkarna och referenskoderna slutar fungera för gott, och en ny kampanj ger kunderna nya.",
        "I understand that no customer of this campaign can open their page afterwards":
            "Jag förstår att ingen kund i den här kampanjen kan öppna sin sida efteråt",
        "Revoke every link and code": "Återkalla alla länkar och koder",
        "tick the box to confirm that every page of the campaign closes":
            "kryssa i rutan för att bekräfta att alla kampanjens sidor stängs",
        #"notice \(outboxID) does not exist"#: #"meddelandet \(outboxID) finns inte"#,
        "this inquiry came from the contact form: there is no notice page to close":
            "den här frågan kom via kontaktformuläret: det finns ingen meddelandesida att stänga",
    ]
}

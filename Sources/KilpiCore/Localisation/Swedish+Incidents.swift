// Swedish for the incident area's messages made in Core and Store: typed timeline events (`TimelineEvent`) and
// field problems (`FieldProblem`). A first translation, awaiting native review like the rest of `Swedish.swift`;
// the same rules apply (the key is the English as the source writes it, templates as raw strings). Kept in a file
// of its own so the incident messages are found in one place; `MessageCatalogue.swedish` merges it in.

extension Swedish {
    static let incidentMessages: [String: String] = [
        // MARK: Timeline events
        #"Declared a \(severity) incident (\(kinds)): \(title)"#:
            #"Förklarade en \(severity)-incident (\(kinds)): \(title)"#,
        #"Title: "\(from)" → "\(to)""#: #"Rubrik: "\(from)" → "\(to)""#,
        "Summary changed": "Sammanfattningen ändrades",
        #"Threat kinds: \(from) → \(to)"#: #"Hottyper: \(from) → \(to)"#,
        #"Severity: \(from) → \(to)"#: #"Allvarlighetsgrad: \(from) → \(to)"#,
        #"Key time \(time): \(from) → \(to)"#: #"Tidpunkt \(time): \(from) → \(to)"#,
        #"Status: \(from) → \(to)"#: #"Status: \(from) → \(to)"#,
        #"Role \(role) left empty"#: #"Rollen \(role) lämnades tom"#,
        #"Role \(role) given to \(person)"#: #"Rollen \(role) gavs till \(person)"#,
        "Lessons learnt updated": "Lärdomarna uppdaterades",
        "(recorded by a newer version of Kilpi)": "(registrerad av en nyare version av Kilpi)",
        "Impact assumptions updated": "Antagandena för konsekvensbedömningen uppdaterades",
        #"Playbook tasks added: \(tasks)"#: #"Uppgifter från åtgärdsplaner tillagda: \(tasks)"#,
        #"Done: \(task)"#: #"Klar: \(task)"#,
        #"Done, \(delay) late: \(task)"#: #"Klar, \(delay) försenad: \(task)"#,
        #"Reopened: \(task)"#: #"Öppnades igen: \(task)"#,
        #"Scope v\(version): \(systems) system(s), \(window); \(customers) customers exposed"#:
            #"Omfattning v\(version): \(systems) system, \(window); \(customers) kunder exponerade"#,
        #"Scope v\(version): \(systems) system(s), \(window); \(customers) customers exposed (+\(added) / −\(removed), \(widened) widened, \(narrowed) narrowed)"#:
            #"Omfattning v\(version): \(systems) system, \(window); \(customers) kunder exponerade (+\(added) / −\(removed), \(widened) utvidgade, \(narrowed) minskade)"#,
        "Change": "Ändring",
        "occurred": "inträffade",
        "detected": "upptäcktes",
        "became aware": "fick kännedom",
        "contained": "begränsades",
        "resolved": "löstes",
        // MARK: Field problems and refusals
        #"must not be before \(earlierName)"#: #"får inte vara före \(earlierName)"#,
        #"enter 1 to \(maximum) characters"#: #"skriv 1–\(maximum) tecken"#,
        #"at most \(maximum) characters"#: #"högst \(maximum) tecken"#,
        "choose at least one threat kind": "välj minst en hottyp",
        #"unknown threat kind "\(value)"; use \(choices)"#: #"okänd hottyp "\(value)"; använd någon av: \(choices)"#,
        #"choose one of \(choices)"#: #"välj en av: \(choices)"#,
        #"use one of \(choices)"#: #"använd en av: \(choices)"#,
        #""\(value)" is not an ISO 8601 time such as 2026-11-25T08:00:00Z"#:
            #""\(value)" är inte en ISO 8601-tidpunkt som 2026-11-25T08:00:00Z"#,
        #""\(value)" is not between 1970 and 9999: check the year"#:
            #""\(value)" ligger inte mellan 1970 och 9999: kontrollera året"#,
        #""\(value)" is not a time (YYYY-MM-DDTHH:MM, UTC)"#:
            #""\(value)" är inte en tidpunkt (ÅÅÅÅ-MM-DDTHH:MM, UTC)"#,
        "choose at least one affected system": "välj minst ett berört system",
        #"the window ends before it starts (window_start is \(start))"#:
            #"tidsfönstret slutar innan det börjar (window_start är \(start))"#,
        "use a three-letter ISO 4217 code such as EUR": "använd en ISO 4217-kod med tre bokstäver, till exempel EUR",
        "must be zero or more": "måste vara noll eller mer",
        "low ≤ likely ≤ high, none negative": "lägsta ≤ troligaste ≤ högsta, inga negativa",
        "a share: at most 1 (100 %)": "en andel: högst 1 (100 %)",
        #"at most \(maximum) ids"#: #"högst \(maximum) id:n"#,
        #"unknown system id \(id)"#: #"okänt system-id \(id)"#,
        #"unknown category "\(id)""#: #"okänd kategori "\(id)""#,
        #"unknown customer id "\(id)""#: #"okänt kund-id "\(id)""#,
        #"… and \(more) more unknown ids"#: #"… och \(more) okända id:n till"#,
        #"is "\(found)" but this page edits "\(expectedID)""#:
            #"är "\(found)" men den här sidan redigerar "\(expectedID)""#,
        "choose an active staff member": "välj en aktiv medarbetare",
        "an incident always has a commander": "en incident har alltid en incidentledare",
        "cannot be in the future": "får inte ligga i framtiden",
        "use note, decision or notice": "använd note, decision eller notice",
        #"incident \(id) does not exist"#: #"incident \(id) finns inte"#,
        #"task \(id) does not belong to this incident"#: #"uppgift \(id) hör inte till den här incidenten"#,
        #"cannot move from \(current) to \(wanted); allowed next: \(allowed)"#:
            #"kan inte gå från \(current) till \(wanted); tillåtna härnäst: \(allowed)"#,
        "choose the incident commander": "välj incidentledare",
        "unknown value": "okänt värde",
        #""\(value)" is not a system id"#: #""\(value)" är inte ett system-id"#,
        "enter when the window starts": "ange när tidsfönstret börjar",
        "enter when the window ends": "ange när tidsfönstret slutar",
        #""\(value)" is not a number"#: #""\(value)" är inte ett tal"#,
        "choose art83_4 or art83_5": "välj art83_4 eller art83_5",
        "the contact rows arrived incomplete; reload the page and try again":
            "kontaktraderna kom fram ofullständiga; ladda om sidan och försök igen",
        "the exercise rows arrived incomplete; reload the page and try again":
            "övningsraderna kom fram ofullständiga; ladda om sidan och försök igen",
    ]
}

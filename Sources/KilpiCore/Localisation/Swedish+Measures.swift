// Swedish for the security measures register: its areas and states (KilpiCore/TrustCenter/SecurityMeasure), the
// checks of its form (MeasureInput, FormFields, the store's MeasureRepository), the console's register and the
// public page. A first translation awaiting native review, keyed by the English as the source writes it;
// `MessageCatalogue.swedish` merges it in.

extension Swedish {
    static let measureMessages: [String: String] = [
        // MARK: Areas and states
        "Authentication": "Autentisering",
        "Encryption at rest": "Kryptering av lagrade data",
        "Encryption in transit": "Kryptering vid överföring",
        "Network security": "Nätverkssäkerhet",
        "Vulnerability assessments": "Sårbarhetsbedömningar",
        "Penetration tests": "Penetrationstester",
        "Threat detection": "Hotdetektering",
        "Backups": "Säkerhetskopior",
        "Staff training": "Utbildning av personalen",
        "Incident response plan": "Plan för incidenthantering",
        "Other measures": "Övriga åtgärder",
        "Planned": "Planerad",
        "In progress": "Pågår",
        "In place": "Införd",

        // MARK: Checks
        #"a whole number from \(range.lowerBound) to \(range.upperBound)"#:
            #"ett heltal från \(range.lowerBound) till \(range.upperBound)"#,
        "say what it does for the customers: the public reads it":
            "säg vad den gör för kunderna: allmänheten läser det",
        "more findings closed than found": "fler åtgärdade fynd än fynd",
        "say how many are closed": "ange hur många som är åtgärdade",
        "say how many were found": "ange hur många som hittades",
        "a task belongs to an incident: name it": "en uppgift hör till en incident: ange den",
        "a measure in place says when it was last reviewed":
            "för en införd åtgärd anges när den senast granskades",
        "no such user": "ingen sådan användare",
        #"incident \(incident) does not exist"#: #"incidenten \(incident) finns inte"#,
        #"task \(task) is not one of this incident's"#: #"uppgiften \(task) hör inte till den här incidenten"#,
        #"measure \(otherID) already tracks this task: change that one"#:
            #"åtgärden \(otherID) följer redan den här uppgiften: ändra den"#,
        "say 1 (show) or 0 (take off)": "ange 1 (visa) eller 0 (ta bort)",

        // MARK: Console
        "Security measures": "Säkerhetsåtgärder",
        "Trust center posts": "Förtroendecentrets inlägg",
        "Security measure": "Säkerhetsåtgärd",
        "Track as a security measure": "Följ som säkerhetsåtgärd",
        "What the company does to protect its customers' data, each with its owner, due day, status and last review. A measure promised after an incident starts from that incident's task and is tracked here until it is in place. The public trust center lists only the measures a trust-center keeper chooses to show.":
            "Vad företaget gör för att skydda kundernas data, var och en med ansvarig, förfallodag, status och senaste granskning. En åtgärd som utlovats efter en incident utgår från incidentens uppgift och följs här tills den är införd. Det offentliga förtroendecentret visar bara de åtgärder som en förvaltare av förtroendecentret väljer att visa.",
        "No measure yet.": "Inga åtgärder ännu.",
        "Measure": "Åtgärd",
        "Area": "Område",
        "Last reviewed": "Senast granskad",
        "Add a measure": "Lägg till en åtgärd",
        "Take off the trust center": "Ta bort från förtroendecentret",
        "not public": "inte offentlig",
        "Promised after incident": "Utlovad efter incidenten",
        "Language of the text": "Textens språk",
        "What it does for the customers (public)": "Vad den gör för kunderna (offentligt)",
        "Assessments, tests and exercises": "Bedömningar, tester och övningar",
        "Last carried out": "Senast genomförd",
        "Findings": "Fynd",
        "of them closed": "varav åtgärdade",
        "Evidence (never public: a report, a ticket, a link)":
            "Belägg (aldrig offentligt: en rapport, ett ärende, en länk)",

        // MARK: Public page
        #"What \(frame.company) does to protect your data, and where each measure stands."#:
            #"Vad \(frame.company) gör för att skydda dina data, och hur långt varje åtgärd har kommit."#,
        "No measure is listed yet.": "Inga åtgärder är listade ännu.",
        "last reviewed": "senast granskad",
        "last carried out": "senast genomförd",
        "findings closed": "åtgärdade fynd",
        #"Security measures: \(inPlace) in place, \(underWay) planned or in progress."#:
            #"Säkerhetsåtgärder: \(inPlace) införda, \(underWay) planerade eller pågående."#,
        "See what we do": "Se vad vi gör",
    ]
}

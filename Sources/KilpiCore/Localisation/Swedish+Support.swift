// Swedish for the support channel's response-time targets (KilpiCore/Support: business calendar, holidays, targets,
// metrics). A first translation, awaiting native review like the rest of `Swedish.swift`; the same rules apply (the
// key is the English as the source writes it, templates as raw strings). `MessageCatalogue.swedish` merges it in.

extension Swedish {
    static let slaMessages: [String: String] = [
        // MARK: Opening hours and the calendar's settings
        "use times from 00:00 to 24:00": "använd tider från 00:00 till 24:00",
        "the closing time must be after the opening time": "stängningstiden måste vara efter öppningstiden",
        "write the hours as HH:MM-HH:MM, for example 08:00-16:00":
            "skriv tiderna som HH:MM-HH:MM, till exempel 08:00-16:00",
        "unknown time zone: use an IANA name such as Europe/Helsinki":
            "okänd tidszon: använd ett IANA-namn som Europe/Helsinki",
        "the opening hours of one day overlap": "öppettiderna för en dag överlappar varandra",
        "open on at least one weekday": "öppet minst en veckodag",

        // MARK: Targets
        "must be more than zero": "måste vara mer än noll",
        "business days count only on the business-hours clock": "arbetsdagar räknas bara med öppettidsklockan",
        "give targets for every severity": "ange mål för varje allvarlighetsgrad",
        "must be more than 0 and less than 1": "måste vara större än 0 och mindre än 1",

        // MARK: Metrics
        "must not be after the end of the range": "får inte vara efter periodens slut",
        #"at most \(maximumBacklogPoints) points: choose a shorter range or a longer step"#:
            #"högst \(maximumBacklogPoints) punkter: välj en kortare period eller ett längre intervall"#,

        // MARK: Finland's holidays (the names Finland-Swedes use)
        "New Year's Day": "Nyårsdagen",
        "Epiphany": "Trettondedag jul",
        "Good Friday": "Långfredagen",
        "Easter Sunday": "Påskdagen",
        "Easter Monday": "Annandag påsk",
        "May Day": "Första maj",
        "Ascension Day": "Kristi himmelsfärdsdag",
        "Whitsun": "Pingstdagen",
        "Midsummer Eve": "Midsommarafton",
        "Midsummer Day": "Midsommardagen",
        "All Saints' Day": "Alla helgons dag",
        "Independence Day": "Självständighetsdagen",
        "Christmas Eve": "Julafton",
        "Christmas Day": "Juldagen",
        "St Stephen's Day": "Annandag jul",
    ]
}

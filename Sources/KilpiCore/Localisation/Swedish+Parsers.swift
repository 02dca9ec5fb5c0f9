// Swedish for what the file and document readers refuse: CSV files (`CSVError`, `CSVFileError`, `CSVHeader`,
// `CustomerIDList` in Core; the data-map importer's row problems in KilpiStore) and hand-edited JSON documents
// (`DocumentError` from the playbook parser and the response plan). A first translation, awaiting native review like
// the rest of `Swedish.swift`; the same rules apply (the key is the English as the source writes it, templates as
// raw strings). Column names, field paths and values from the file stay as written. `MessageCatalogue.swedish`
// merges it in.

extension Swedish {
    static let parserMessages: [String: String] = [
        // MARK: Where: a line and column in a file, the file as a whole
        #"line \(line), column \(column):"#: #"rad \(line), kolumn \(column):"#,
        #"line \(line):"#: #"rad \(line):"#,
        "file:": "fil:",

        // MARK: Reading CSV (CSVReader, CSVHeader, CSVFile)
        "unterminated quoted field": "ett citerat fält saknar avslutande citattecken",
        "quote in an unquoted field (quote the whole field and double the quotes inside it)":
            "citattecken i ett fält utan citattecken (citera hela fältet och dubblera citattecknen i det)",
        "unexpected character after a closing quote": "oväntat tecken efter ett avslutande citattecken",
        "carriage return without a line feed (line ends must be LF or CRLF)":
            "vagnretur (CR) utan radmatning (LF) (radslut måste vara LF eller CRLF)",
        "invalid UTF-8": "ogiltig UTF-8",
        "binary data (NUL byte)": "binärdata (NUL-byte)",
        "UTF-16 text (save the file as UTF-8)": "UTF-16-text (spara filen som UTF-8)",
        #"record longer than \(mebibytes) MiB"#: #"posten är längre än \(mebibytes) MiB"#,
        #"record longer than \(kibibytes) KiB"#: #"posten är längre än \(kibibytes) KiB"#,
        "record longer than 1 byte": "posten är längre än 1 byte",
        #"record longer than \(limit) bytes"#: #"posten är längre än \(limit) byte"#,
        "the file is empty": "filen är tom",
        "empty column name": "tomt kolumnnamn",
        #"duplicate column "\(name)" (also column \(earlier))"#:
            #"kolumnen "\(name)" förekommer två gånger (även kolumn \(earlier))"#,
        #"unknown column "\(name)""#: #"okänd kolumn "\(name)""#,
        #"unknown column "\(name)" (column \(number))"#: #"okänd kolumn "\(name)" (kolumn \(number))"#,
        #"missing required column: \(missingNames)"#: #"obligatorisk kolumn saknas: \(missingNames)"#,
        #"missing required columns: \(missingNames)"#: #"obligatoriska kolumner saknas: \(missingNames)"#,
        #"the columns can be: \(choices)"#: #"kolumnerna kan vara: \(choices)"#,
        "no such file": "filen finns inte",
        "is a directory": "är en katalog",
        "cannot be opened (check its permissions)": "kan inte öppnas (kontrollera behörigheterna)",
        "read failed": "läsningen misslyckades",
        #"read failed (\(detail))"#: #"läsningen misslyckades (\(detail))"#,

        // MARK: An uploaded list of affected customers (CustomerIDList)
        "external_id is empty": "external_id är tomt",
        #"more than \(maximum) customers"#: #"fler än \(maximum) kunder"#,
        "the file is empty; the first line must name the columns, e.g. external_id":
            "filen är tom; första raden måste namnge kolumnerna, t.ex. external_id",
        "the file names no customers": "filen namnger inga kunder",

        // MARK: Data-map import rows (ImportSession in KilpiStore)
        #"has \(fields) fields; the header has \(columns)"#: #"har \(fields) fält; rubrikraden har \(columns)"#,
        "enter a name of 1 to 200 characters": "ange ett namn på 1–200 tecken",
        #"duplicate system "\(name)" (also on line \(earlier))"#:
            #"systemet "\(name)" förekommer två gånger (även på rad \(earlier))"#,
        #"unknown kind "\(kindText)"; use one of \(choices)"#: #"okänd typ "\(kindText)"; använd en av: \(choices)"#,
        "use yes or no": "använd yes eller no",
        #"longer than \(maximum) characters"#: #"längre än \(maximum) tecken"#,
        "enter an id of 1 to 200 characters": "ange ett id på 1–200 tecken",
        #"ids starting with "erased-" are reserved for erased customers"#:
            #"id som börjar med "erased-" är reserverade för raderade kunder"#,
        #"duplicate external_id (also on line \(earlier))"#:
            #"external_id förekommer två gånger (även på rad \(earlier))"#,
        "not a valid email address": "ingen giltig e-postadress",
        "not a phone number (digits, spaces, + - ( ) only; 5 to 20 digits)":
            "inget telefonnummer (endast siffror, mellanslag och + - ( ); 5–20 siffror)",
        "use a two-letter language code such as fi, sv, en or de":
            "använd en språkkod på två bokstäver, till exempel fi, sv, en eller de",
        "unknown country code UK (the ISO code is GB)": "okänd landskod UK (ISO-koden är GB)",
        #"unknown country code "\(countryText)" (use ISO 3166-1 alpha-2, e.g. FI)"#:
            #"okänd landskod "\(countryText)" (använd ISO 3166-1 alpha-2, t.ex. FI)"#,
        "a US customer needs a two-letter US state code, e.g. CA":
            "en kund i USA behöver en delstatskod på två bokstäver, t.ex. CA",
        "missing": "saknas",
        #"unknown system "\(systemName)" (import it with `kilpi import systems` first)"#:
            #"okänt system "\(systemName)" (importera det först med `kilpi import systems`)"#,
        "not a date in YYYY-MM-DD form": "inget datum i formen ÅÅÅÅ-MM-DD",
        "not a date in YYYY-MM-DD form (leave empty while still held)":
            "inget datum i formen ÅÅÅÅ-MM-DD (lämna tomt så länge uppgiften finns kvar)",
        "ends before held_from": "slutar före held_from",
        #"duplicate holding (also on line \(earlier))"#:
            #"samma innehav förekommer två gånger (även på rad \(earlier))"#,
        #"unknown customer "\(id)" (import customers first)"#: #"okänd kund "\(id)" (importera kunderna först)"#,

        // MARK: The upload forms' own problems (data-map import, the scope's customer list)
        "kind: choose systems, customers or holdings": "kind: välj systems, customers eller holdings",
        "file: choose a CSV file": "file: välj en CSV-fil",
        #"file: larger than \(Self.maximumUpload >> 20) MB; use `kilpi import` for big files"#:
            #"file: större än \(Self.maximumUpload >> 20) MB; importera stora filer med `kilpi import`"#,
        #"customers: the list is larger than \(Self.maximumCustomerList >> 20) MB"#:
            #"customers: listan är större än \(Self.maximumCustomerList >> 20) MB"#,

        // MARK: Hand-edited JSON documents: playbooks and the response plan (DocumentError)
        "not valid JSON": "ogiltig JSON",
        #"line \(line), column \(column): not valid JSON"#: #"rad \(line), kolumn \(column): ogiltig JSON"#,
        #"larger than \(kilobytes) KB"#: #"större än \(kilobytes) kB"#,
        "not UTF-8 text": "ingen UTF-8-text",
        "use 1 to 63 lowercase letters, digits and hyphens": "använd 1–63 gemener, siffror och bindestreck",
        #"unknown threat kind "\(kindText)"; use one of \(choices)"#:
            #"okänd hottyp "\(kindText)"; använd en av: \(choices)"#,
        #""\(text)" is not a date (YYYY-MM-DD)"#: #""\(text)" är inget datum (ÅÅÅÅ-MM-DD)"#,
        "must be a list of steps": "måste vara en lista med steg",
        "a playbook needs at least one step": "en åtgärdsplan behöver minst ett steg",
        #"at most \(maximum) steps"#: #"högst \(maximum) steg"#,
        #"unknown phase "\(phaseText)"; use one of \(choices)"#: #"okänd fas "\(phaseText)"; använd en av: \(choices)"#,
        #"unknown role "\(ownerText)"; use one of \(choices)"#: #"okänd roll "\(ownerText)"; använd en av: \(choices)"#,
        "must be a whole number of hours from 0 to 8760": "måste vara ett helt antal timmar från 0 till 8760",
        #"unknown purpose "\(text)"; use one of \(choices)"#: #"okänt syfte "\(text)"; använd en av: \(choices)"#,
        "must be a list (it may be empty)": "måste vara en lista (den får vara tom)",
        #"unknown field; known fields are \(names)"#: #"okänt fält; kända fält är \(names)"#,
        "must be text": "måste vara text",
        "must not be empty": "får inte vara tomt",
        "must be a list": "måste vara en lista",
        #"unknown role; use one of \(choices)"#: #"okänd roll; använd en av: \(choices)"#,
        "give a phone number or an email address": "ange ett telefonnummer eller en e-postadress",
        "missing from the build": "saknas i bygget",
    ]
}

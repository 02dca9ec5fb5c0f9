import ArgumentParser
import Foundation
import KilpiCore
import KilpiMail

/// `--smtp`, `--mail-from` and the DKIM key, shared by `serve` and `notices`; each falls back to its environment
/// variable. Every problem names the flag (or variable) it came from.
struct MailOptions: ParsableArguments {
    @Option(
        name: .customLong("smtp"),
        help: ArgumentHelp(
            "The mail relay: smtp://user:pass@host:587 (STARTTLS), smtps://host:465 (TLS), or smtp://127.0.0.1:2525 for a local relay without TLS (default: KILPI_SMTP_URL). Without it no notice is sent.",
            valueName: "url"
        )
    )
    var smtp: String?

    @Option(
        name: .customLong("smtp-ca"),
        help: ArgumentHelp(
            "A CA certificate (PEM) to trust for the relay besides the system's (default: KILPI_SMTP_CA_FILE).",
            valueName: "file"
        )
    )
    var smtpCA: String?

    @Option(
        name: .customLong("mail-from"),
        help: ArgumentHelp(
            "The From of every notice, e.g. \"Aurora Security <security@aurora.example>\" (default: KILPI_MAIL_FROM).",
            valueName: "address"
        )
    )
    var mailFrom: String?

    @Option(
        name: .customLong("dkim-key"),
        help: ArgumentHelp("RSA private key (PEM) for DKIM signing (default: KILPI_DKIM_KEY_FILE).", valueName: "file")
    )
    var dkimKey: String?

    @Option(name: .customLong("dkim-selector"), help: "DKIM selector, s= (default: KILPI_DKIM_SELECTOR).")
    var dkimSelector: String?

    @Option(name: .customLong("dkim-domain"), help: "DKIM signing domain, d= (default: KILPI_DKIM_DOMAIN).")
    var dkimDomain: String?

    @Option(
        name: .customLong("contact-email"),
        help: ArgumentHelp(
            "Where customers ask about a notice, printed in it (default: KILPI_CONTACT_EMAIL, else the --mail-from address).",
            valueName: "address"
        )
    )
    var contactEmail: String?

    @Option(
        name: .customLong("smtp-connections"),
        help: "Connections to the relay this process keeps open (default 4)."
    )
    var connections: Int = 4

    static func value(_ flag: String?, _ variable: String) -> String? {
        if let flag, !flag.isEmpty { return flag }
        if let value = ProcessInfo.processInfo.environment[variable], !value.isEmpty { return value }
        return nil
    }

    /// Whether delivery is configured at all (`serve` runs no delivery workers without a relay).
    var isConfigured: Bool { Self.value(smtp, "KILPI_SMTP_URL") != nil }

    /// The delivery settings, or a clear error naming the flag or variable at fault.
    func settings() throws -> DeliverySettings {
        guard let url = Self.value(smtp, "KILPI_SMTP_URL") else {
            throw ValidationError("--smtp (or KILPI_SMTP_URL) is required to send notices")
        }
        guard (1...64).contains(connections) else {
            throw ValidationError("--smtp-connections must be between 1 and 64")
        }
        let configuration: SMTPConfiguration
        do {
            configuration = try SMTPConfiguration(url: url, caFile: Self.value(smtpCA, "KILPI_SMTP_CA_FILE"))
        } catch {
            throw ValidationError("--smtp: \(error.field): \(error.message.en)")
        }
        guard let fromText = Self.value(mailFrom, "KILPI_MAIL_FROM") else {
            throw ValidationError("--mail-from (or KILPI_MAIL_FROM) is required to send notices")
        }
        let from = try Self.parseAddress(fromText)
        return DeliverySettings(smtp: configuration, from: from, dkim: try signer(), connections: connections)
    }

    /// The DKIM signer, nil when no key is given; a key without its selector and domain (or the reverse) is an
    /// error, not a silently unsigned campaign.
    func signer() throws -> DKIMSigner? {
        let key = Self.value(dkimKey, "KILPI_DKIM_KEY_FILE")
        let selector = Self.value(dkimSelector, "KILPI_DKIM_SELECTOR")
        let domain = Self.value(dkimDomain, "KILPI_DKIM_DOMAIN")
        guard key != nil || selector != nil || domain != nil else { return nil }
        guard let key else { throw ValidationError("--dkim-key (or KILPI_DKIM_KEY_FILE) is missing") }
        guard let selector else { throw ValidationError("--dkim-selector (or KILPI_DKIM_SELECTOR) is missing") }
        guard let domain else { throw ValidationError("--dkim-domain (or KILPI_DKIM_DOMAIN) is missing") }
        do {
            return try DKIMSigner(key: try DKIMKey(contentsOfFile: key), domain: domain, selector: selector)
        } catch {
            throw ValidationError("--dkim-key: \(error)")
        }
    }

    /// Who the notices come from, as they name the company: `KILPI_COMPANY_NAME` (the data controller, as
    /// `serve` names it), the contact address, and the trust center page where a reference code can be checked.
    func company(publicURL: String, name: String? = nil) throws -> NoticeCompany {
        let environment = ProcessInfo.processInfo.environment
        let sender = Self.value(mailFrom, "KILPI_MAIL_FROM").flatMap { try? Self.parseAddress($0) }
        let contact = try Self.value(contactEmail, "KILPI_CONTACT_EMAIL").map {
            try Self.checked(MailAddress($0), flag: "--contact-email")
        }
        return NoticeCompany(
            name: name ?? environment["KILPI_COMPANY_NAME"].flatMap { $0.isEmpty ? nil : $0 } ?? "the company",
            contactEmail: (contact ?? sender)?.address ?? "",
            contactURL: environment["KILPI_CONTACT_URL"].flatMap { $0.isEmpty ? nil : $0 },
            trustCenterURL: publicURL + NoticeCompany.verifyPath,
            // `serve` hands over its configured URL as written: no double slash before the token.
            supportURL: publicURL.trimmingCharacters(in: CharacterSet(charactersIn: "/")) + NoticeCompany.supportPath
        )
    }

    /// `Name <user@domain>` or a bare `user@domain`.
    static func parseAddress(_ text: String) throws -> MailAddress {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let open = trimmed.lastIndex(of: "<"), trimmed.hasSuffix(">") {
            let address = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
            let name = trimmed[..<open].trimmingCharacters(in: CharacterSet(charactersIn: " \""))
            return try checked(MailAddress(address, displayName: name.isEmpty ? nil : name))
        }
        return try checked(MailAddress(trimmed))
    }

    static func checked(_ address: MailAddress, flag: String = "--mail-from") throws -> MailAddress {
        do {
            _ = try address.validated(field: flag)
            return address
        } catch {
            throw ValidationError("\(flag): \(error.reason)")
        }
    }
}

import Foundation
import KilpiCore
import NIOSSL

/// How long the client waits at each step before it gives up on the connection.
public struct SMTPTimeouts: Sendable, Equatable {
    /// Opening the TCP connection.
    public var connect: Duration
    /// The server's 220 greeting (with implicit TLS, the handshake too).
    public var greeting: Duration
    /// Each reply to a command (EHLO, STARTTLS and its handshake, AUTH, MAIL, RCPT, DATA, RSET, QUIT).
    public var reply: Duration
    /// The reply after the end of a message's data (servers may scan the message first).
    public var dataEnd: Duration

    public init(
        connect: Duration = .seconds(10),
        greeting: Duration = .seconds(30),
        reply: Duration = .seconds(60),
        dataEnd: Duration = .seconds(120)
    ) {
        self.connect = connect
        self.greeting = greeting
        self.reply = reply
        self.dataEnd = dataEnd
    }
}

/// Where and how to deliver: parsed from `smtp://[user:pass@]host[:port]` (STARTTLS, port 587 by default) or
/// `smtps://[user:pass@]host[:port]` (implicit TLS, port 465 by default).
///
/// Plain text is used only with `smtp://` to a loopback host (127.0.0.0/8, ::1, localhost), without credentials,
/// when the server does not offer STARTTLS; any other server that does not offer STARTTLS is refused. Certificates
/// are always verified (chain and name); `caFile` adds trust roots to the system's. Credentials never appear in
/// `description`, in a mirror (`dump`) or in errors.
public struct SMTPConfiguration: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public enum Security: Sendable, Equatable {
        /// `smtp://`: STARTTLS (plain only on loopback without credentials, see the type's comment).
        case startTLS
        /// `smtps://`: TLS from the first byte.
        case implicitTLS
    }

    public var host: String
    public var port: Int
    public var security: Security
    public var timeouts: SMTPTimeouts
    /// The name this client gives in EHLO; the machine's host name by default (set it to the sending domain's
    /// host when that is better known).
    public var heloName: String
    /// Certificates read from `caFile`, trusted in addition to the system's roots.
    let additionalTrustRoots: [NIOSSLCertificate]
    let credentials: SMTPCredentials?

    public init(url: String, caFile: String? = nil) throws(SMTPConfigurationError) {
        let parsed = try SMTPURL.parse(url)
        host = parsed.host
        port = parsed.port
        security = parsed.security
        credentials = parsed.credentials
        timeouts = SMTPTimeouts()
        heloName = Self.defaultHeloName()
        additionalTrustRoots = try caFile.map { path throws(SMTPConfigurationError) in try Self.loadCA(path) } ?? []
    }

    /// Whether a user name and password were given (they are sent only over TLS).
    public var hasCredentials: Bool { credentials != nil }

    /// 127.0.0.0/8, ::1 and localhost.
    public var isLoopback: Bool { Self.isLoopback(host) }

    public var description: String {
        let scheme = security == .implicitTLS ? "smtps" : "smtp"
        let userinfo = credentials == nil ? "" : "***@"
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "\(scheme)://\(userinfo)\(shownHost):\(port)"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(
            self,
            children: ["url": description, "timeouts": timeouts, "heloName": heloName],
            displayStyle: .struct
        )
    }

    static func isLoopback(_ host: String) -> Bool {
        let host = host.lowercased()
        if host == "localhost" || host == "::1" || host == "0:0:0:0:0:0:0:1" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    static func defaultHeloName() -> String {
        let name = ProcessInfo.processInfo.hostName
        let allowed = name.utf8.allSatisfy { MailAddress.isHostnameByte($0) || $0 == UInt8(ascii: ".") }
        return !name.isEmpty && name.utf8.count <= 253 && allowed ? name : "localhost"
    }

    static func loadCA(_ path: String) throws(SMTPConfigurationError) -> [NIOSSLCertificate] {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw SMTPConfigurationError(
                field: "caFile",
                message: .l("no such file or not readable", "tiedostoa ei ole tai sitä ei voi lukea")
            )
        }
        let certificates = (try? NIOSSLCertificate.fromPEMFile(path)) ?? []
        guard !certificates.isEmpty else {
            throw SMTPConfigurationError(
                field: "caFile",
                message: .l("contains no PEM certificate", "ei sisällä PEM-varmennetta")
            )
        }
        return certificates
    }
}

/// A user name and password. Its description and mirror hide both, so a stray `print` or `dump` leaks nothing.
struct SMTPCredentials: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    let user: String
    let password: String

    var description: String { "(credentials)" }
    var debugDescription: String { description }
    var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

/// The parser of SMTP URLs; each refusal names the part of the URL at fault and never repeats a credential.
enum SMTPURL {
    struct Parsed {
        var security: SMTPConfiguration.Security
        var host: String
        var port: Int
        var credentials: SMTPCredentials?
    }

    static func parse(_ url: String) throws(SMTPConfigurationError) -> Parsed {
        guard
            !url.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F || $0.properties.isControlLike })
        else {
            throw SMTPConfigurationError(
                field: "url",
                message: .l("contains a control character or a space", "sisältää ohjausmerkin tai välilyönnin")
            )
        }
        guard let separator = url.range(of: "://") else {
            throw SMTPConfigurationError(
                field: "url",
                message: .l(
                    "is not an SMTP URL (smtp://host:port or smtps://host:port)",
                    "ei ole SMTP-osoite (smtp://palvelin:portti tai smtps://palvelin:portti)"
                )
            )
        }
        let security: SMTPConfiguration.Security
        switch url[..<separator.lowerBound].lowercased() {
        case "smtp": security = .startTLS
        case "smtps": security = .implicitTLS
        default:
            throw SMTPConfigurationError(
                field: "scheme",
                message: .l(
                    "must be smtp:// (STARTTLS) or smtps:// (implicit TLS)",
                    "on oltava smtp:// (STARTTLS) tai smtps:// (TLS alusta alkaen)"
                )
            )
        }
        let rest = url[separator.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        let tail = rest[authorityEnd...]
        guard tail.isEmpty || tail == "/" else {
            throw SMTPConfigurationError(
                field: "path",
                message: .l(
                    "must be empty (nothing after the host and port)",
                    "on oltava tyhjä (ei mitään palvelimen ja portin jälkeen)"
                )
            )
        }
        var credentials: SMTPCredentials?
        var hostPort = authority
        if let at = authority.lastIndex(of: "@") {
            credentials = try parseCredentials(authority[..<at])
            hostPort = authority[authority.index(after: at)...]
        }
        let (host, portText) = try splitHostPort(hostPort)
        var port = security == .implicitTLS ? 465 : 587
        if let portText {
            guard portText.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(portText),
                (1...65535).contains(number)
            else {
                throw SMTPConfigurationError(
                    field: "port",
                    message: .l("must be a number from 1 to 65535", "on oltava luku väliltä 1–65535")
                )
            }
            port = number
        }
        return Parsed(security: security, host: host, port: port, credentials: credentials)
    }

    private static func parseCredentials(_ userinfo: Substring) throws(SMTPConfigurationError) -> SMTPCredentials {
        let colon = userinfo.firstIndex(of: ":")
        let rawUser = userinfo[..<(colon ?? userinfo.endIndex)]
        guard !rawUser.isEmpty else {
            throw SMTPConfigurationError(field: "user", message: .l("is empty", "on tyhjä"))
        }
        guard let colon, userinfo.index(after: colon) < userinfo.endIndex else {
            throw SMTPConfigurationError(
                field: "password",
                message: .l("is missing (write user:password@)", "puuttuu (kirjoita käyttäjä:salasana@)")
            )
        }
        let rawPassword = userinfo[userinfo.index(after: colon)...]
        let badEncoding = LocalizedMessage.l(
            "has an invalid percent-encoding or a control character",
            "sisältää virheellisen %-koodauksen tai ohjausmerkin"
        )
        guard let user = decode(rawUser) else { throw SMTPConfigurationError(field: "user", message: badEncoding) }
        guard let password = decode(rawPassword) else {
            throw SMTPConfigurationError(field: "password", message: badEncoding)
        }
        return SMTPCredentials(user: user, password: password)
    }

    /// Percent-decoding; nil for a broken escape, invalid UTF-8 or a decoded control character (NUL would split
    /// an AUTH PLAIN message, CR/LF a command).
    private static func decode(_ text: Substring) -> String? {
        guard let decoded = String(text).removingPercentEncoding, !decoded.isEmpty,
            !decoded.unicodeScalars.contains(where: { $0.properties.isControlLike })
        else { return nil }
        return decoded
    }

    private static func splitHostPort(
        _ hostPort: Substring
    ) throws(SMTPConfigurationError) -> (host: String, port: Substring?) {
        let badHost = SMTPConfigurationError(
            field: "host",
            message: .l("is not a host name or IP address", "ei ole palvelimen nimi eikä IP-osoite")
        )
        guard !hostPort.isEmpty, hostPort.first != ":" else {
            throw SMTPConfigurationError(field: "host", message: .l("is missing", "puuttuu"))
        }
        var host: Substring
        var port: Substring?
        if hostPort.first == "[" {
            guard let close = hostPort.firstIndex(of: "]") else { throw badHost }
            host = hostPort[hostPort.index(after: hostPort.startIndex)..<close]
            let after = hostPort[hostPort.index(after: close)...]
            if !after.isEmpty {
                guard after.first == ":" else { throw badHost }
                port = after.dropFirst()
            }
            guard !host.isEmpty, host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }), host.contains(":")
            else { throw badHost }
        } else {
            if let colon = hostPort.firstIndex(of: ":") {
                host = hostPort[..<colon]
                port = hostPort[hostPort.index(after: colon)...]
            } else {
                host = hostPort
            }
            let labels = host.split(separator: ".", omittingEmptySubsequences: false)
            guard host.utf8.count <= 253,
                labels.allSatisfy({ label in
                    (1...63).contains(label.utf8.count) && label.first != "-" && label.last != "-"
                        && label.utf8.allSatisfy { MailAddress.isHostnameByte($0) || $0 == UInt8(ascii: "_") }
                })
            else { throw badHost }
        }
        if let port, port.isEmpty {
            throw SMTPConfigurationError(
                field: "port",
                message: .l("must be a number from 1 to 65535", "on oltava luku väliltä 1–65535")
            )
        }
        return (host.lowercased(), port)
    }
}

/// Who did something, as the audit log and the timeline record it: never a name or an email, so neither holds
/// personal data. The text form (`user:7`, `token:3`, `system`, `cli`, `anonymous`) is what is stored.
public enum Actor: Sendable, Hashable, CustomStringConvertible {
    case user(Int64)
    case token(Int64)
    /// Kilpi itself (start-up, schedulers).
    case system
    /// The `kilpi` command line, run by whoever holds the server's files.
    case cli
    /// Someone not signed in.
    case anonymous

    public var description: String {
        switch self {
        case .user(let id): "user:\(id)"
        case .token(let id): "token:\(id)"
        case .system: "system"
        case .cli: "cli"
        case .anonymous: "anonymous"
        }
    }

    /// Reads the stored text form back; nil for anything else.
    public init?(_ text: String) {
        switch text {
        case "system": self = .system
        case "cli": self = .cli
        case "anonymous": self = .anonymous
        default:
            let parts = text.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, let id = Int64(parts[1]), id > 0 else { return nil }
            switch parts[0] {
            case "user": self = .user(id)
            case "token": self = .token(id)
            default: return nil
            }
        }
    }
}

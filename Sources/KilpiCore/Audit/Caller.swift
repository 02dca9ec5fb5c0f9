/// Who asks a use case to do something, and from where: what its audit entry records.
public struct Caller: Sendable, Equatable {
    public let actor: Actor
    /// The client address as Kilpi sees it (`local` for the command line).
    public let ip: String

    public init(_ actor: Actor, ip: String) {
        self.actor = actor
        self.ip = ip
    }

    /// The command line, run on the server itself.
    public static let cli = Caller(.cli, ip: "local")

    /// An audit event by this caller.
    public func event(_ action: AuditAction, target: String, detail: String = "") -> AuditEvent {
        AuditEvent(actor, action, target: target, ip: ip, detail: detail)
    }
}

import KilpiCore

extension KilpiRequestContext {
    /// Whoever is calling, as the use cases record them.
    var caller: Caller {
        if let session { return Caller(.user(session.user.id), ip: remoteIP) }
        if let apiToken { return Caller(.token(apiToken.id), ip: remoteIP) }
        return Caller(.anonymous, ip: remoteIP)
    }
}

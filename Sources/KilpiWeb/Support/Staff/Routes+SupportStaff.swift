import KilpiCore

/// The staff side of the support channel: the inbox, threads, FAQ and canned answers, and the inquiries API.
extension Routes {
    public static let supportStaff: [Route] = []
}

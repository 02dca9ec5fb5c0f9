import KilpiCore

/// The customers' side of the support channel: their personal page, the way in by reference code and email
/// address, questions and the public contact form. All public (the link, the code or the email is the key).
extension Routes {
    public static let supportCustomer: [Route] = []
}

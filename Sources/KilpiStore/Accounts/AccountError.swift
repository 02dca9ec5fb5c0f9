import KilpiCore

/// Why an account operation was refused. Messages are safe to show to the person who asked.
public struct AccountError: Error, Equatable, CustomStringConvertible {
    public enum Code: Equatable, Sendable {
        case invalidEmail, emailTaken
        case weakPassword([PasswordProblem])
        case linkInvalid, adminExists
        case wrongCode, notFound, lastAdmin, invalidName
    }
    public let code: Code

    public init(_ code: Code) { self.code = code }

    public var description: String {
        switch code {
        case .invalidEmail: "That does not look like an email address."
        case .emailTaken: "An account with that email address already exists."
        case .weakPassword(let problems): problems.map(\.message).joined(separator: " ")
        case .linkInvalid: "This link is invalid, used or expired. Ask an admin for a new one."
        case .adminExists: "An admin already exists; the setup link no longer works."
        case .wrongCode: "That code is not valid. Check your authenticator app's clock and try the newest code."
        case .notFound: "No such account."
        case .lastAdmin: "This is the last active admin; make another admin first."
        case .invalidName: "Enter a name of 1 to 200 characters."
        }
    }
}

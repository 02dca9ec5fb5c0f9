import KilpiCore

/// Why an account operation was refused. Messages are safe to show to the person who asked.
public struct AccountError: Error, Equatable, CustomStringConvertible {
    public enum Code: Equatable, Sendable {
        case invalidEmail, emailTaken
        case weakPassword([PasswordProblem])
        case linkInvalid, adminExists
        case wrongCode, notFound, lastAdmin, invalidName
        /// Replacing a second factor or renewing recovery codes needs a current code or the password.
        case wrongCurrentProof
        /// The first second factor of an account that requires one is set up only from its enrolment link.
        case enrolmentLinkRequired
        case invalidTokenName, invalidTokenExpiry
    }
    public let code: Code

    public init(_ code: Code) { self.code = code }

    /// The form or API field the refusal is about, when it is about one.
    public var field: String? {
        switch code {
        case .invalidEmail, .emailTaken: "email"
        case .weakPassword: "password"
        case .invalidName: "name"
        case .wrongCurrentProof: "current"
        case .invalidTokenName: "name"
        case .invalidTokenExpiry: "expires_in"
        case .linkInvalid, .adminExists, .wrongCode, .notFound, .lastAdmin, .enrolmentLinkRequired: nil
        }
    }

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
        case .wrongCurrentProof:
            "current: enter the current code from your authenticator app, or your password; nothing was changed."
        case .enrolmentLinkRequired:
            "This account must set up a second factor from its enrolment link. Ask an admin for a new enrolment link."
        case .invalidTokenName: "name: enter 1 to 100 characters."
        case .invalidTokenExpiry:
            "expires_in: enter a whole number of days from 1 to \(APITokenLifetime.maximumDays)."
        }
    }
}

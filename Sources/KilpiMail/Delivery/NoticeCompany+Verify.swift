import KilpiCore

extension NoticeCompany {
    /// The trust center's public page where anyone can type a notice's reference code (issue 12 serves it); every
    /// notice links to it under the company's public URL.
    public static let verifyPath = "/verify"
}

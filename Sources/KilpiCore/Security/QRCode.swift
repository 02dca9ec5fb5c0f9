// TEMPORARY stub until the real encoder lands.
public struct QRCode: Sendable {
    public let size: Int
    public init(encoding text: String) throws { throw QRStub() }
    public func isDark(x: Int, y: Int) -> Bool { false }
    public func svg(moduleSize: Int = 4, title: String) -> String { "" }
    public func pbm(scale: Int = 4) -> String { "" }
}
struct QRStub: Error {}

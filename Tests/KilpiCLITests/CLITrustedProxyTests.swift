import Foundation
import Testing

@Suite struct CLITrustedProxyTests {
    @Test func aBadTrustedProxyIsRefusedNamingTheFlagAndTheValue() throws {
        for bad in ["proxy.example", "10.0.0.0/33", "2001:db8::/200"] {
            let result = try CLIRunner.run(
                ["serve", "--trusted-proxy", "10.0.0.0/8", "--trusted-proxy", bad, "--port", "1"],
                timeout: 60
            )
            #expect(result.status != 0, "\(bad)")
            let first = result.stderr.split(separator: "\n").first.map(String.init) ?? ""
            #expect(first.contains("--trusted-proxy"), "stderr: \(result.stderr)")
            #expect(first.contains("\"\(bad)\""), "stderr: \(result.stderr)")
            #expect(!result.stderr.contains("Fatal error"))
        }
    }
}

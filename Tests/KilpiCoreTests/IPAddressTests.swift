import KilpiCore
import Testing

@Suite struct IPAddressTests {
    @Test func addressesParseStrictlyAndPrintInCanonicalForm() throws {
        #expect(IPAddress("192.0.2.1")?.description == "192.0.2.1")
        #expect(IPAddress("2001:DB8:0:0:0:0:0:1")?.description == "2001:db8::1")
        #expect(IPAddress("::1")?.description == "::1")
        #expect(IPAddress("::")?.description == "::")
        #expect(IPAddress("2001:db8:1:2:3:4:5:6")?.description == "2001:db8:1:2:3:4:5:6")
        #expect(IPAddress("fe80::1:0:0:1")?.description == "fe80::1:0:0:1")
        // IPv4-mapped IPv6 is the IPv4 address it carries.
        #expect(IPAddress("::ffff:192.0.2.9")?.description == "192.0.2.9")
        #expect(IPAddress("::ffff:192.0.2.9")?.isIPv4 == true)
        for bad in [
            "", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.-4", " 1.2.3.4", "1:2:3:4:5:6:7:8:9", "1::2::3",
            "12345::", "g::1", "1.2.3.4:80", "localhost", "unknown", ":::",
        ] {
            #expect(IPAddress(bad) == nil, "\(bad)")
        }
    }

    @Test func ipv4CountsPerAddressAndIPv6PerSlash64() throws {
        #expect(IPAddress("198.51.100.7")?.throttleKey == "198.51.100.7")
        let one = try #require(IPAddress("2001:db8:aa:bb:1:2:3:4"))
        let other = try #require(IPAddress("2001:db8:aa:bb:ffff::9"))
        let neighbour = try #require(IPAddress("2001:db8:aa:bc::1"))
        #expect(one.throttleKey == "2001:db8:aa:bb::/64")
        #expect(one.throttleKey == other.throttleKey)
        #expect(one.throttleKey != neighbour.throttleKey)
        #expect(IPAddress.throttleKey(for: "unknown") == "unknown")
    }

    @Test func cidrBlocksParseAndMatch() throws {
        let ten = try CIDR(parsing: "10.0.0.0/8")
        #expect(ten.contains(try #require(IPAddress("10.200.3.4"))))
        #expect(!ten.contains(try #require(IPAddress("11.0.0.1"))))
        #expect(!ten.contains(try #require(IPAddress("::ffff:11.0.0.1"))))
        #expect(ten.contains(try #require(IPAddress("::ffff:10.0.0.1"))), "mapped IPv4 is IPv4")
        // Host bits are cleared; a bare address is a single host.
        #expect(try CIDR(parsing: "192.168.7.9/20").description == "192.168.0.0/20")
        let host = try CIDR(parsing: "203.0.113.5")
        #expect(host.prefixLength == 32)
        #expect(host.contains(try #require(IPAddress("203.0.113.5"))))
        #expect(!host.contains(try #require(IPAddress("203.0.113.6"))))
        let v6 = try CIDR(parsing: "2001:db8::/32")
        #expect(v6.contains(try #require(IPAddress("2001:db8:ffff::1"))))
        #expect(!v6.contains(try #require(IPAddress("2001:db9::1"))))
        #expect(!v6.contains(try #require(IPAddress("10.0.0.1"))), "an IPv6 block never holds IPv4")
        #expect(try CIDR(parsing: "::/0").contains(try #require(IPAddress("2001:db8::1"))))
        #expect(try CIDR(parsing: "0.0.0.0/0").contains(try #require(IPAddress("8.8.8.8"))))
        #expect(try CIDR(parsing: "::1/128").contains(try #require(IPAddress("::1"))))
    }

    @Test func badBlocksSayWhatIsWrong() {
        for (text, fragment) in [
            ("10.0.0.0/33", "prefix length"), ("2001:db8::/129", "prefix length"), ("10.0.0.0/", "prefix length"),
            ("10.0.0.0/-1", "prefix length"), ("10.0.0.0/8/8", "not an IPv4 or IPv6"), ("proxy.local", "not an IPv4"),
            ("", "not an IPv4"),
        ] {
            #expect(throws: CIDR.ParseError.self, "\(text)") { try CIDR(parsing: text) }
            do {
                _ = try CIDR(parsing: text)
            } catch {
                #expect(error.description.contains(fragment), "\(text): \(error)")
                #expect(error.description.contains("\"\(text)\""), "the message quotes the value")
            }
        }
    }
}

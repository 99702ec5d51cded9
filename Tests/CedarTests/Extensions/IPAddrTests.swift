import Testing
@testable import Cedar

@Suite struct IPAddrTests {
    @Test(arguments: [
        ("127.0.0.1", "127.0.0.1/32"),
        ("0.0.0.0", "0.0.0.0/32"),
        ("255.255.255.255", "255.255.255.255/32"),
        ("10.200.3.49", "10.200.3.49/32"),
        ("10.1.1.0/24", "10.1.1.0/24"),
        ("0.0.0.0/0", "0.0.0.0/0"),
        ("::", "::/128"),
        ("::1", "::1/128"),
        ("1::", "1::/128"),
        ("ffee::/64", "ffee::/64"),
        ("FFEE:0:0:0:0:0:0:1", "ffee::1/128"),
        ("1:0:2:0:0:3:0:4", "1:0:2::3:0:4/128"),
        ("1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0/128"),
        ("::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8/128"),
        ("0001:2:3:4:5:6:7:8/128", "1:2:3:4:5:6:7:8/128"),
        ("::ffff:ff00:1", "::ffff:255.0.0.1/128"),
    ])
    func acceptsAndPrintsLikeCedar(input: String, printed: String) throws {
        let ip = try #require(IPAddr.parse(input))
        #expect(ip.description == printed)
    }

    @Test(arguments: [
        "", "1.2.3", "1.2.3.4.5", "1..2.3", ".1.2.3", "1.2.3.", "1.2.3.4.", "00.1.2.3", "1.2.3.256", "1.2.3.1000", "1.2.3.4a", "256.0.0.1", "01.2.3.4", "1.2.3.04", "1.2.3.4/", "1.2.3.4/33",
        "1.2.3.4/024", "1.2.3.4/+8", "1.2.3.4/8/8", " 1.2.3.4", "1.2.3.4 ", "::ffff:127.0.0.1",
        "::127.0.0.1", ":::", "1:::2", "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::",
        "g::", "::/129", "::/0128", "1::2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8::",
        "abcd:ef01:2345:6789:abcd:ef01:2345:6789/1280",
    ])
    func rejectsWhatCedarRejects(input: String) {
        #expect(IPAddr.parse(input) == nil)
    }

    @Test func classifiesVersionLoopbackAndMulticast() throws {
        let v4 = try #require(IPAddr.parse("127.1.2.3"))
        #expect(v4.isIpv4 && !v4.isIpv6 && v4.isLoopback && !v4.isMulticast)
        #expect(try #require(IPAddr.parse("127.0.0.0/8")).isLoopback)
        #expect(try #require(IPAddr.parse("127.0.0.0/7")).isLoopback == false)
        #expect(try #require(IPAddr.parse("::1")).isLoopback)
        #expect(try #require(IPAddr.parse("::1/127")).isLoopback == false)
        #expect(try #require(IPAddr.parse("::ffff:7f00:1")).isLoopback == false)
        #expect(try #require(IPAddr.parse("224.0.0.1")).isMulticast)
        #expect(try #require(IPAddr.parse("239.255.255.255")).isMulticast)
        #expect(try #require(IPAddr.parse("240.0.0.1")).isMulticast == false)
        #expect(try #require(IPAddr.parse("ff02::1")).isMulticast)
        #expect(try #require(IPAddr.parse("ff00::/7")).isMulticast == false)
        #expect(try #require(IPAddr.parse("::1")).isIpv6)
    }

    @Test func rangeContainmentUsesNetworkBounds() throws {
        let host = try #require(IPAddr.parse("222.222.222.222"))
        let net = try #require(IPAddr.parse("222.222.222.0/24"))
        #expect(host.isInRange(net))
        #expect(!net.isInRange(host))
        #expect(net.isInRange(net))
        #expect(try #require(IPAddr.parse("10.0.0.0/16")).isInRange(try #require(IPAddr.parse("10.0.0.0/8"))))
        #expect(!(try #require(IPAddr.parse("10.0.0.0/8")).isInRange(try #require(IPAddr.parse("10.0.0.0/16")))))
        #expect(try #require(IPAddr.parse("1.2.3.4")).isInRange(try #require(IPAddr.parse("0.0.0.0/0"))))
        let v6 = try #require(IPAddr.parse("2001:db8::1"))
        #expect(v6.isInRange(try #require(IPAddr.parse("2001:db8::/32"))))
        #expect(v6.isInRange(try #require(IPAddr.parse("::/0"))))
        #expect(!v6.isInRange(try #require(IPAddr.parse("2001:db9::/32"))))
        #expect(try #require(IPAddr.parse("2001:db8::8000:0/65")).isInRange(try #require(IPAddr.parse("2001:db8::/64"))))
        #expect(!host.isInRange(try #require(IPAddr.parse("::/0"))))
    }

    @Test func equalityIsAddressAndPrefix() throws {
        #expect(IPAddr.parse("10.0.0.1/24") != IPAddr.parse("10.0.0.0/24"))
        #expect(IPAddr.parse("10.0.0.1") == IPAddr.parse("10.0.0.1/32"))
        #expect(IPAddr.parse("::1") == IPAddr.parse("0:0:0:0:0:0:0:1"))
        #expect(IPAddr.parse("0.0.0.1") != IPAddr.parse("::1"))
        #expect(Set([IPAddr.parse("::1"), IPAddr.parse("0::1")]).count == 1)
    }
}

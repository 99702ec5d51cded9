import Testing

@testable import GatewayConfig

@Suite struct IPAddressRangeTests {
    private func range(_ text: String) throws -> IPAddressRange {
        try IPAddressRange.parse(text).get()
    }

    private func bytes(_ text: String) throws -> [UInt8] {
        try #require(IPAddressRange.addressBytes(text))
    }

    @Test func ipv4BlocksMatchTheirAddressesOnly() throws {
        let block = try range("10.1.0.0/16")
        #expect(block.contains(try bytes("10.1.255.7")))
        #expect(!block.contains(try bytes("10.2.0.1")))
        #expect(!block.contains(try bytes("::1")))
        #expect(try range("0.0.0.0/0").contains(try bytes("203.0.113.9")))
        #expect(try range("192.0.2.7").contains(try bytes("192.0.2.7")))
        #expect(!(try range("192.0.2.7")).contains(try bytes("192.0.2.8")))
        #expect(try range("172.16.0.0/12").contains(try bytes("172.31.1.1")))
        #expect(!(try range("172.16.0.0/12")).contains(try bytes("172.32.0.1")))
    }

    /// A dual-stack socket reports an IPv4 peer as `::ffff:a.b.c.d`.
    @Test func ipv4MappedIPv6PeersMatchIPv4Blocks() throws {
        #expect(try range("127.0.0.0/8").contains(try bytes("::ffff:127.0.0.1")))
        #expect(!(try range("127.0.0.0/8")).contains(try bytes("::ffff:10.0.0.1")))
    }

    @Test func ipv6Blocks() throws {
        let block = try range("2001:db8:1::/48")
        #expect(block.contains(try bytes("2001:db8:1:ffff::1")))
        #expect(!block.contains(try bytes("2001:db8:2::1")))
        #expect(!block.contains(try bytes("10.0.0.1")))
        #expect(block.description == "2001:db8:1::/48")
    }

    @Test func malformedBlocksAreRefusedWithAReason() {
        #expect(throws: (any Error).self) { try range("10.0.0.0/33") }
        #expect(throws: (any Error).self) { try range("10.0.0.0/") }
        #expect(throws: (any Error).self) { try range("10.0.0.1/24") }
        #expect(throws: (any Error).self) { try range("example.com") }
        #expect(throws: (any Error).self) { try range("[::1]/128") }
    }
}

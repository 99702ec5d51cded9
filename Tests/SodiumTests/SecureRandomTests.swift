import Sodium
import Testing

@Test func randomBytesHaveRequestedLengthAndVary() {
    let a = SecureRandom.bytes(count: 32)
    let b = SecureRandom.bytes(count: 32)
    #expect(a.count == 32)
    #expect(a != b)
    #expect(SecureRandom.bytes(count: 0).isEmpty)
}

@Test func randomHexHasTwoLowercaseDigitsPerByteAndVaries() throws {
    let a = SecureRandom.hex(count: 16)
    let b = SecureRandom.hex(count: 16)
    #expect(a.utf8.count == 32)
    #expect(a.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) })
    #expect(try Hex.decode(a).count == 16)
    #expect(a != b)
    #expect(SecureRandom.hex(count: 0) == "")
}

/// Hex ids come from a 4 KiB pool: sizes that do not divide it still get fresh bytes
/// across refills, and a request larger than the pool is served directly.
@Test func pooledHexStaysFreshAcrossRefills() {
    let ids = (0..<2_000).map { SecureRandom.hex(count: $0 % 2 == 0 ? 16 : 7) }
    #expect(Set(ids).count == ids.count)
    #expect(ids.allSatisfy { $0.utf8.count == 32 || $0.utf8.count == 14 })
    let large = SecureRandom.hex(count: 5_000)
    #expect(large.utf8.count == 10_000)
    #expect(Set(large.utf8).count == 16)
}

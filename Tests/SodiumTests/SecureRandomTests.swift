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

import Sodium
import Testing

@Test func randomBytesHaveRequestedLengthAndVary() {
    let a = SecureRandom.bytes(count: 32)
    let b = SecureRandom.bytes(count: 32)
    #expect(a.count == 32)
    #expect(a != b)
    #expect(SecureRandom.bytes(count: 0).isEmpty)
}

import Testing

@testable import Gateway

@Test func decisionIDIs32LowercaseHexDigitsAndFreshEachTime() {
    let ids = (0..<64).map { _ in DecisionID.random() }
    for id in ids {
        #expect(id.utf8.count == 32)
        #expect(id.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) })
    }
    #expect(Set(ids).count == ids.count)
}

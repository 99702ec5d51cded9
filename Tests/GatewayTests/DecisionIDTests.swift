import Testing

@testable import Gateway

/// 1,000 ids span several refills of the id pool (256 ids each).
@Test func decisionIDIs32LowercaseHexDigitsAndFreshEachTime() {
    let ids = (0..<1_000).map { _ in DecisionID.random() }
    for id in ids {
        #expect(id.utf8.count == 32)
        #expect(id.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) })
    }
    #expect(Set(ids).count == ids.count)
    // Every hex digit value turns up in every position: the pool hands out fresh bytes, not zeros.
    for position in 0..<32 {
        #expect(Set(ids.map { $0.utf8[$0.utf8.index($0.utf8.startIndex, offsetBy: position)] }).count == 16)
    }
}

import RTATokens
import Testing

@Test func cacheIsBoundedAndEvictsOldestFirst() throws {
    let ring = try devKeyRing()
    let cache = VerifiedSignatureCache(capacity: 2)
    let tokens = (0..<3).map { makeSession().issueToken(keyRing: ring, at: baseTime + UInt64($0)) }
    for token in tokens { cache.insert(token) }
    #expect(cache.count == 2)
    #expect(!cache.contains(tokens[0]))
    #expect(cache.contains(tokens[1]))
    #expect(cache.contains(tokens[2]))
}

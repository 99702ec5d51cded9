import RTATokens
import Sodium
import Testing

@Test func ageStepBoundaries() throws {
    let token = makeSession().issueToken(keyRing: try devKeyRing(), at: baseTime)
    let limits = TokenLimits(maxAge: 1_000, clockSkew: 100)
    #expect(TokenChecks.age(token, now: baseTime + 1_100, limits: limits) == .passed)
    #expect(TokenChecks.age(token, now: baseTime - 100, limits: limits) == .passed)
    guard case .failed(let old) = TokenChecks.age(token, now: baseTime + 1_101, limits: limits),
          case .failed(let future) = TokenChecks.age(token, now: baseTime - 101, limits: limits)
    else {
        Issue.record("age limits not enforced")
        return
    }
    #expect(old.code == .expired)
    #expect(old.message == "token is 1101 ms old; max_age is 1000 ms (+100 ms skew)")
    #expect(future.code == .issuedInFuture)
}

@Test func flagsMismatchIsCaughtByTheContextStep() throws {
    let pop = try Ed25519PrivateKey.generate()
    let withPoP = makeSession(popKey: pop.publicKey)
    let plain = makeSession(id: withPoP.id)
    let token = plain.issueToken(keyRing: try devKeyRing(), at: baseTime)
    guard case .failed(let error) = TokenChecks.context(token, session: withPoP) else {
        Issue.record("flag mismatch accepted")
        return
    }
    #expect(error.code == .flagsMismatch)
}

@Test func signatureStepFillsTheCacheOnlyOnSuccess() throws {
    let ring = try devKeyRing()
    let token = makeSession().issueToken(keyRing: ring, at: baseTime)
    let cache = VerifiedSignatureCache()
    let wrongKey = try Ed25519PrivateKey.generate().publicKey
    #expect(TokenChecks.signature(token, key: wrongKey, cache: cache) != .passed)
    #expect(cache.count == 0)
    #expect(TokenChecks.signature(token, key: ring.current.publicKey, cache: cache) == .passed)
    #expect(cache.count == 1)
}

import RTATokens
import Sodium
import Testing

/// One gateway's view: the dev key ring, an in-memory store and a hand-driven clock.
private struct Harness {
    let time = SteppedTime(baseTime)
    let ring: KeyRing
    let store: any SessionStore
    let validator: TokenValidator
    let session: Session
    let token: RTAToken

    init(session: Session = makeSession(connection: 7)) async throws {
        ring = try devKeyRing()
        store = InMemorySessionStore(clock: time.clock)
        validator = TokenValidator(keyRing: ring, clock: time.clock)
        self.session = session
        token = session.issueToken(keyRing: ring, at: baseTime)
        try await store.insert(session, token: token)
    }

    func check(_ bytes: [UInt8], connection: UInt64 = 7, cache: VerifiedSignatureCache? = nil) async throws -> Result<ValidatedToken, TokenError> {
        try await validator.validate(bytes, connectionID: connection, sessions: store, cache: cache)
    }
}

private func expectFailure(
    _ result: Result<ValidatedToken, TokenError>, _ code: TokenError.Code, wire: TokenError.WireCode,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    switch result {
    case .success: Issue.record("expected \(code), token was accepted", sourceLocation: sourceLocation)
    case .failure(let error):
        #expect(error.code == code, sourceLocation: sourceLocation)
        #expect(error.wireCode == wire, sourceLocation: sourceLocation)
    }
}

@Test func validTokenPassesAndRecordsActivity() async throws {
    let harness = try await Harness()
    harness.time.advance(by: 1_000)
    let validated = try await harness.check(harness.token.bytes).get()
    #expect(validated.session.id == harness.session.id)
    #expect(try await harness.store.session(harness.session.id)?.lastActiveAt == baseTime + 1_000)
}

@Test func activityIsWrittenAtMostOncePerResolution() async throws {
    let harness = try await Harness()
    harness.time.advance(by: TokenValidator.activityResolution - 1)
    _ = try await harness.check(harness.token.bytes).get()
    #expect(try await harness.store.session(harness.session.id)?.lastActiveAt == baseTime)
    harness.time.advance(by: 500)
    _ = try await harness.check(harness.token.bytes).get()
    #expect(try await harness.store.session(harness.session.id)?.lastActiveAt
            == baseTime + TokenValidator.activityResolution + 499)
}

@Test func badMagicIsInvalidToken() async throws {
    let harness = try await Harness()
    var bytes = harness.token.bytes
    bytes[1] = 0
    expectFailure(try await harness.check(bytes), .badMagic, wire: .invalidToken)
}

@Test func flippedSignatureBitIsInvalidToken() async throws {
    let harness = try await Harness()
    var bytes = harness.token.bytes
    bytes[100] ^= 0x01
    expectFailure(try await harness.check(bytes), .badSignature, wire: .invalidToken)
}

@Test func flippedSignedBitBreaksTheSignature() async throws {
    let harness = try await Harness()
    var bytes = harness.token.bytes
    bytes[63] ^= 0x01  // issued_at low bit: still fresh, still parses
    expectFailure(try await harness.check(bytes), .badSignature, wire: .invalidToken)
}

@Test func unknownKeyIDIsInvalidToken() async throws {
    let harness = try await Harness()
    let stranger = try KeyRing(current: SigningKey.generate(keyID: 77))
    let forged = harness.session.issueToken(keyRing: stranger, at: baseTime)
    expectFailure(try await harness.check(forged.bytes), .unknownKey, wire: .invalidToken)
}

@Test func retiredKeyStillVerifiesWithinItsWindow() async throws {
    let harness = try await Harness()
    let retired = try #require(harness.ring.retired.first)
    let oldRing = try KeyRing(current: SigningKey(keyID: retired.keyID, privateKey: retired.privateKey))
    // Pretend "now" is just after the dev key 1 retirement, and the token predates it.
    let retiredAt = try #require(retired.retiredAt)
    let time = SteppedTime(retiredAt + 1_000)
    let store: any SessionStore = InMemorySessionStore(clock: time.clock)
    let session = makeSession(createdAt: retiredAt - 1_000)
    let token = session.issueToken(keyRing: oldRing, at: retiredAt - 1_000)
    try await store.insert(session, token: token)
    let validator = TokenValidator(keyRing: harness.ring, clock: time.clock)
    let accepted = try await validator.validate(token.bytes, connectionID: 7, sessions: store, cache: nil)
    #expect(try accepted.get().token.keyID == 1)
    time.advance(by: TokenLimits().maxAge + TokenLimits().clockSkew)
    expectFailure(try await validator.validate(token.bytes, connectionID: 7, sessions: store, cache: nil),
                  .retiredKey, wire: .invalidToken)
}

@Test func oldTokenIsExpired() async throws {
    let harness = try await Harness()
    harness.time.advance(by: 300_000 + 5_000)
    #expect((try? await harness.check(harness.token.bytes).get()) != nil)
    harness.time.advance(by: 1)
    expectFailure(try await harness.check(harness.token.bytes), .expired, wire: .expired)
}

@Test func clockSkewAllowsSlightlyFutureTokensOnly() async throws {
    let harness = try await Harness()
    let within = harness.session.issueToken(keyRing: harness.ring, at: baseTime + 5_000)
    #expect((try? await harness.check(within.bytes).get()) != nil)
    let tooFar = harness.session.issueToken(keyRing: harness.ring, at: baseTime + 5_001)
    expectFailure(try await harness.check(tooFar.bytes), .issuedInFuture, wire: .invalidToken)
}

@Test func revokedSessionIsSessionRevoked() async throws {
    let harness = try await Harness()
    _ = try await harness.store.revoke(harness.session.id, reason: RevocationReason(reason: "session-revoked", at: baseTime))
    expectFailure(try await harness.check(harness.token.bytes), .sessionRevoked, wire: .sessionRevoked)
}

@Test func unknownSessionIsSessionRevoked() async throws {
    let harness = try await Harness()
    let orphan = makeSession().issueToken(keyRing: harness.ring, at: baseTime)
    expectFailure(try await harness.check(orphan.bytes), .unknownSession, wire: .sessionRevoked)
}

@Test func contextChangeMakesOldTokenStale() async throws {
    let harness = try await Harness()
    var changed = harness.session
    changed.signals.riskLevel = .high
    let fresh = changed.issueToken(keyRing: harness.ring, at: baseTime + 10)
    _ = try await harness.store.update(changed, token: fresh)
    expectFailure(try await harness.check(harness.token.bytes), .staleContext, wire: .staleContext)
    #expect((try? await harness.check(fresh.bytes).get()) != nil)
}

@Test func otherConnectionIsBindingMismatch() async throws {
    let harness = try await Harness()
    expectFailure(try await harness.check(harness.token.bytes, connection: 8), .notBoundToConnection, wire: .bindingMismatch)
    try await harness.store.rebind(harness.session.id, to: 8)
    #expect((try? await harness.check(harness.token.bytes, connection: 8).get()) != nil)
}

@Test func cheapChecksRunBeforeTheSessionLookup() async throws {
    // An expired token for a revoked session reports `expired`: the age step runs first.
    let harness = try await Harness()
    _ = try await harness.store.revoke(harness.session.id, reason: RevocationReason(reason: "admin", at: baseTime))
    harness.time.advance(by: 400_000)
    expectFailure(try await harness.check(harness.token.bytes), .expired, wire: .expired)
}

@Test func cacheSkipsOnlyTheSignatureOfExactBytes() async throws {
    let harness = try await Harness()
    let cache = VerifiedSignatureCache()
    _ = try await harness.check(harness.token.bytes, cache: cache).get()
    #expect(cache.contains(harness.token))
    var forged = harness.token.bytes
    forged[127] ^= 0x80
    expectFailure(try await harness.check(forged, cache: cache), .badSignature, wire: .invalidToken)
    _ = try await harness.store.revoke(harness.session.id, reason: RevocationReason(reason: "admin", at: baseTime))
    expectFailure(try await harness.check(harness.token.bytes, cache: cache), .sessionRevoked, wire: .sessionRevoked)
}

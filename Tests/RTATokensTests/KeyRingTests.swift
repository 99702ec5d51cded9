import Foundation
import RTATokens
import Testing

private func expectFailure(_ result: Result<some Any, TokenError>, _ code: TokenError.Code, sourceLocation: SourceLocation = #_sourceLocation) {
    if case .failure(let error) = result {
        #expect(error.code == code, sourceLocation: sourceLocation)
    } else {
        Issue.record("expected \(code)", sourceLocation: sourceLocation)
    }
}

@Test func currentKeyVerifiesAndUnknownKeyFails() throws {
    let ring = try devKeyRing()
    let token = makeSession().issueToken(keyRing: ring, at: baseTime)
    #expect(try ring.verificationKey(for: token, now: baseTime, limits: TokenLimits()).get() == ring.current.publicKey)
    let other = try KeyRing(current: SigningKey.generate(keyID: 9))
    expectFailure(other.verificationKey(for: token, now: baseTime, limits: TokenLimits()), .unknownKey)
}

@Test func retiredKeyVerifiesUntilItsTokensAgeOut() throws {
    let oldRing = try KeyRing(current: SigningKey.generate(keyID: 1))
    let token = makeSession().issueToken(keyRing: oldRing, at: baseTime)
    let rotation = baseTime + 10_000
    let ring = try oldRing.rotated(to: SigningKey.generate(keyID: 2), at: rotation)
    let limits = TokenLimits()
    #expect(ring.current.keyID == 2)
    #expect(try ring.verificationKey(for: token, now: rotation + 1, limits: limits).get() == oldRing.current.publicKey)
    #expect((try? ring.verificationKey(for: token, now: rotation + limits.maxAge + limits.clockSkew, limits: limits).get()) != nil)
    expectFailure(ring.verificationKey(for: token, now: rotation + limits.maxAge + limits.clockSkew + 1, limits: limits), .retiredKey)
}

@Test func retiredKeyRefusesTokensIssuedAfterRetirement() throws {
    let oldRing = try KeyRing(current: SigningKey.generate(keyID: 1))
    let ring = try oldRing.rotated(to: SigningKey.generate(keyID: 2), at: baseTime)
    let late = makeSession().issueToken(keyRing: oldRing, at: baseTime + TokenLimits().clockSkew + 1)
    expectFailure(ring.verificationKey(for: late, now: late.issuedAt, limits: TokenLimits()), .retiredKey)
}

@Test func ringRejectsDuplicateAndMissingCurrentKeys() throws {
    let a = try SigningKey.generate(keyID: 1)
    #expect(throws: KeyFileError.self) { try KeyRing(current: a, retired: [a.retired(at: 1)]) }
    #expect(throws: KeyFileError.self) { try KeyRing(current: a.retired(at: 1)) }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ring-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let first = dir.appendingPathComponent("a.json")
    let second = dir.appendingPathComponent("b.json")
    try a.encodedFile().write(to: first)
    try SigningKey.generate(keyID: 2).encodedFile().write(to: second)
    do {
        _ = try KeyRing.load(paths: [first.path, second.path])
        Issue.record("two current keys accepted")
    } catch {
        #expect(error.code == .severalCurrentKeys)
        #expect(error.path == second.path)
    }
}

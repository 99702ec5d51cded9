import RTATokens
import Testing

private func store(_ time: SteppedTime, expiry: SessionExpiry = SessionExpiry()) -> any SessionStore {
    InMemorySessionStore(expiry: expiry, clock: time.clock)
}

private func insert(_ session: Session, into store: any SessionStore) async throws {
    try await store.insert(session, token: session.issueToken(keyRing: try devKeyRing(), at: baseTime))
}

private func sortedIDs(_ ids: [SessionID]) -> [SessionID] {
    ids.sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) }
}

@Test func indexesFindSessionsBySubjectSidEmailAndConnection() async throws {
    let sessions = store(SteppedTime(baseTime))
    let a = makeSession(email: "Alice@Example.com", sid: "sid-1", connection: 1)
    let b = makeSession(email: "alice@example.COM", sid: "sid-2", connection: 1)
    let c = makeSession(email: nil, sid: nil, connection: 2)
    for session in [a, b, c] { try await insert(session, into: sessions) }
    #expect(try await sessions.sessions(issuer: "https://idp.example", subject: "alice") == sortedIDs([a.id, b.id, c.id]))
    #expect(try await sessions.sessions(issuer: "https://other", subject: "alice").isEmpty)
    #expect(try await sessions.sessions(sid: "sid-2") == [b.id])
    #expect(try await sessions.sessions(email: "ALICE@example.com") == sortedIDs([a.id, b.id]))
    #expect(try await sessions.sessions(connection: 1) == sortedIDs([a.id, b.id]))
    try await sessions.rebind(a.id, to: 2)
    #expect(try await sessions.sessions(connection: 1) == [b.id])
    #expect(try await sessions.sessions(connection: 2) == sortedIDs([a.id, c.id]))
}

@Test func revocationCascadesToDescendantsOnly() async throws {
    let sessions = store(SteppedTime(baseTime))
    let root = makeSession()
    let child = makeSession(parent: root.id)
    let grandchild = makeSession(parent: child.id)
    let sibling = makeSession()
    for session in [root, child, grandchild, sibling] { try await insert(session, into: sessions) }
    #expect(try await sessions.children(of: root.id) == [child.id])

    let changed = try await sessions.revoke(child.id, reason: RevocationReason(reason: "session-revoked", jti: "j1", at: baseTime))
    #expect(changed == [child.id, grandchild.id])
    #expect(try await sessions.session(root.id)?.isActive == true)
    #expect(try await sessions.session(sibling.id)?.isActive == true)
    guard case .revoked(let reason)? = try await sessions.session(grandchild.id)?.state else {
        Issue.record("grandchild still active")
        return
    }
    #expect(reason.cascadedFrom == child.id)
    #expect(reason.jti == "j1")
    #expect(try await sessions.revoke(child.id, reason: RevocationReason(reason: "again", at: baseTime)).isEmpty)
    await #expect(throws: SessionStoreError.self) {
        try await insert(makeSession(parent: child.id), into: sessions)
    }
}

@Test func bulkRevocationCascadesAndSkipsUnknownAndRevokedSessions() async throws {
    let sessions = store(SteppedTime(baseTime))
    let first = makeSession()
    let child = makeSession(parent: first.id)
    let second = makeSession()
    let alreadyRevoked = makeSession()
    let untouched = makeSession()
    for session in [first, child, second, alreadyRevoked, untouched] { try await insert(session, into: sessions) }
    _ = try await sessions.revoke(alreadyRevoked.id, reason: RevocationReason(reason: "earlier", at: baseTime))

    let unknown = makeSession().id
    let changed = try await sessions.revoke(
        [first.id, unknown, alreadyRevoked.id, second.id, child.id],
        reason: RevocationReason(reason: "session-revoked", jti: "bulk", at: baseTime))
    #expect(changed == [first.id, child.id, second.id])
    guard case .revoked(let cascaded)? = try await sessions.session(child.id)?.state,
          case .revoked(let earlier)? = try await sessions.session(alreadyRevoked.id)?.state
    else {
        Issue.record("a revoked session reads back active")
        return
    }
    #expect(cascaded.cascadedFrom == first.id && cascaded.jti == "bulk")
    #expect(earlier.reason == "earlier")
    #expect(try await sessions.session(untouched.id)?.isActive == true)
}

@Test func bulkReadKeepsOrderSkipsUnknownAndAppliesExpiry() async throws {
    let time = SteppedTime(baseTime)
    let sessions = store(time, expiry: SessionExpiry(idle: 60_000, absolute: 3_600_000))
    let idle = makeSession()
    let busy = makeSession()
    for session in [idle, busy] { try await insert(session, into: sessions) }
    time.advance(by: 50_000)
    try await sessions.recordActivity(busy.id)
    time.advance(by: 20_000)

    let read = try await sessions.sessions([busy.id, makeSession().id, idle.id])
    #expect(read.map(\.id) == [busy.id, idle.id])
    #expect(read.first?.isActive == true)
    guard case .revoked(let reason)? = read.last?.state else {
        Issue.record("the idle session was not expired by the bulk read")
        return
    }
    #expect(reason.reason == "idle_timeout")
}

@Test func revokedSessionCannotBeUpdatedOrRebound() async throws {
    let sessions = store(SteppedTime(baseTime))
    let session = makeSession()
    try await insert(session, into: sessions)
    _ = try await sessions.revoke(session.id, reason: RevocationReason(reason: "admin", at: baseTime))
    var changed = session
    changed.signals.riskLevel = .high
    let token = changed.issueToken(keyRing: try devKeyRing(), at: baseTime)
    do {
        _ = try await sessions.update(changed, token: token)
        Issue.record("revoked session resurrected")
    } catch {
        #expect(error.code == .sessionRevoked)
    }
    await #expect(throws: SessionStoreError(.sessionRevoked, "session \(session.id) is revoked")) {
        try await sessions.rebind(session.id, to: 99)
    }
}

@Test func updateIsCompareAndSwapAndKeepsTokenCurrent() async throws {
    let sessions = store(SteppedTime(baseTime))
    let ring = try devKeyRing()
    let session = makeSession()
    try await insert(session, into: sessions)
    var first = session
    first.signals.riskLevel = .medium
    let stored = try await sessions.update(first, token: first.issueToken(keyRing: ring, at: baseTime + 1))
    #expect(stored.revision == 1)
    #expect(try await sessions.currentToken(session.id)?.contextHash == first.contextHash)

    var stale = session
    stale.signals.riskLevel = .high
    do {
        _ = try await sessions.update(stale, token: stale.issueToken(keyRing: ring, at: baseTime + 2))
        Issue.record("lost update accepted")
    } catch {
        #expect(error.code == .revisionConflict)
    }
    var mismatched = stored
    mismatched.signals.riskLevel = .high
    do {
        _ = try await sessions.update(mismatched, token: stored.issueToken(keyRing: ring, at: baseTime + 3))
        Issue.record("token for another context accepted")
    } catch {
        #expect(error.code == .tokenMismatch)
    }
}

@Test func emailIndexFollowsUpdates() async throws {
    let sessions = store(SteppedTime(baseTime))
    let session = makeSession(email: "old@example.com")
    try await insert(session, into: sessions)
    var changed = session
    changed.subject.email = "New@Example.com"
    _ = try await sessions.update(changed, token: changed.issueToken(keyRing: try devKeyRing(), at: baseTime))
    #expect(try await sessions.sessions(email: "old@example.com").isEmpty)
    #expect(try await sessions.sessions(email: "new@example.com") == [session.id])
}

@Test func idleExpiryRevokesAndActivityPostponesIt() async throws {
    let time = SteppedTime(baseTime)
    let sessions = store(time, expiry: SessionExpiry(idle: 1_000, absolute: 10_000))
    let session = makeSession()
    try await insert(session, into: sessions)
    time.advance(by: 900)
    try await sessions.recordActivity(session.id)
    time.advance(by: 900)
    #expect(try await sessions.session(session.id)?.isActive == true)
    time.advance(by: 100)
    guard case .revoked(let reason)? = try await sessions.session(session.id)?.state else {
        Issue.record("idle session still active")
        return
    }
    #expect(reason.reason == RevocationReason.idleTimeout)
}

@Test func absoluteExpiryOfParentEndsChildren() async throws {
    let time = SteppedTime(baseTime)
    let sessions = store(time, expiry: SessionExpiry(idle: 100_000, absolute: 5_000))
    let parent = makeSession()
    try await insert(parent, into: sessions)
    time.advance(by: 3_000)
    let child = makeSession(parent: parent.id, createdAt: time.now)
    try await insert(child, into: sessions)
    time.advance(by: 2_000)
    guard case .revoked(let reason)? = try await sessions.session(child.id)?.state else {
        Issue.record("child outlived its parent")
        return
    }
    #expect(reason.reason == RevocationReason.absoluteTimeout)
    #expect(reason.cascadedFrom == parent.id)
    let purged = try await sessions.purge(limit: 100)
    #expect(purged == SessionPurge(deleted: sortedIDs([parent.id, child.id]), sweepFinished: true))
    #expect(try await sessions.session(parent.id) == nil)
    #expect(try await sessions.sessions(issuer: "https://idp.example", subject: "alice").isEmpty)
    #expect(try await sessions.children(of: parent.id).isEmpty)
}

@Test func purgeSweepsInSlicesAndKeepsActiveSessions() async throws {
    let sessions = store(SteppedTime(baseTime))
    let revoked = (0..<5).map { _ in makeSession() }
    let active = (0..<3).map { _ in makeSession() }
    for session in revoked + active { try await insert(session, into: sessions) }
    _ = try await sessions.revoke(revoked.map(\.id), reason: RevocationReason(reason: "admin", at: baseTime))

    var steps: [SessionPurge] = []
    repeat {
        steps.append(try await sessions.purge(limit: 3))
    } while steps.last?.sweepFinished == false && steps.count < 10
    #expect(steps.map(\.sweepFinished) == [false, false, true])
    #expect(steps.map(\.deleted.count).reduce(0, +) == 5)
    #expect(Set(steps.flatMap(\.deleted)) == Set(revoked.map(\.id)))
    for session in active { #expect(try await sessions.session(session.id)?.isActive == true) }
    for session in revoked { #expect(try await sessions.session(session.id) == nil) }
    #expect(try await sessions.purge(limit: 3).deleted.isEmpty)
}

@Test func insertRejectsDuplicatesAndForeignTokens() async throws {
    let sessions = store(SteppedTime(baseTime))
    let session = makeSession()
    try await insert(session, into: sessions)
    await #expect(throws: SessionStoreError(.duplicateSession, "session \(session.id) already exists")) {
        try await insert(session, into: sessions)
    }
    let other = makeSession()
    let foreign = session.issueToken(keyRing: try devKeyRing(), at: baseTime)
    do {
        try await sessions.insert(other, token: foreign)
        Issue.record("foreign token accepted")
    } catch {
        #expect(error.code == .tokenMismatch)
    }
}

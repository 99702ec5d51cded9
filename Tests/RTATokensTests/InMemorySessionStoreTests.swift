import RTATokens
import Testing

private func store(_ time: SteppedTime, expiry: SessionExpiry = SessionExpiry()) -> InMemorySessionStore {
    InMemorySessionStore(expiry: expiry, clock: time.clock)
}

private func insert(_ session: Session, into store: InMemorySessionStore) async throws {
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
    #expect(await sessions.sessions(issuer: "https://idp.example", subject: "alice") == sortedIDs([a.id, b.id, c.id]))
    #expect(await sessions.sessions(issuer: "https://other", subject: "alice").isEmpty)
    #expect(await sessions.sessions(sid: "sid-2") == [b.id])
    #expect(await sessions.sessions(email: "ALICE@example.com") == sortedIDs([a.id, b.id]))
    #expect(await sessions.sessions(connection: 1) == sortedIDs([a.id, b.id]))
    try await sessions.rebind(a.id, to: 2)
    #expect(await sessions.sessions(connection: 1) == [b.id])
    #expect(await sessions.sessions(connection: 2) == sortedIDs([a.id, c.id]))
}

@Test func revocationCascadesToDescendantsOnly() async throws {
    let sessions = store(SteppedTime(baseTime))
    let root = makeSession()
    let child = makeSession(parent: root.id)
    let grandchild = makeSession(parent: child.id)
    let sibling = makeSession()
    for session in [root, child, grandchild, sibling] { try await insert(session, into: sessions) }
    #expect(await sessions.children(of: root.id) == [child.id])

    let changed = try await sessions.revoke(child.id, reason: RevocationReason(reason: "session-revoked", jti: "j1", at: baseTime))
    #expect(changed == [child.id, grandchild.id])
    #expect(await sessions.session(root.id)?.isActive == true)
    #expect(await sessions.session(sibling.id)?.isActive == true)
    guard case .revoked(let reason)? = await sessions.session(grandchild.id)?.state else {
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
    #expect(await sessions.currentToken(session.id)?.contextHash == first.contextHash)

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
    #expect(await sessions.sessions(email: "old@example.com").isEmpty)
    #expect(await sessions.sessions(email: "new@example.com") == [session.id])
}

@Test func idleExpiryRevokesAndActivityPostponesIt() async throws {
    let time = SteppedTime(baseTime)
    let sessions = store(time, expiry: SessionExpiry(idle: 1_000, absolute: 10_000))
    let session = makeSession()
    try await insert(session, into: sessions)
    time.advance(by: 900)
    try await sessions.recordActivity(session.id)
    time.advance(by: 900)
    #expect(await sessions.session(session.id)?.isActive == true)
    time.advance(by: 100)
    guard case .revoked(let reason)? = await sessions.session(session.id)?.state else {
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
    guard case .revoked(let reason)? = await sessions.session(child.id)?.state else {
        Issue.record("child outlived its parent")
        return
    }
    #expect(reason.reason == RevocationReason.absoluteTimeout)
    #expect(reason.cascadedFrom == parent.id)
    let purged = await sessions.purge()
    #expect(purged == sortedIDs([parent.id, child.id]))
    #expect(await sessions.session(parent.id) == nil)
    #expect(await sessions.sessions(issuer: "https://idp.example", subject: "alice").isEmpty)
    #expect(await sessions.children(of: parent.id).isEmpty)
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

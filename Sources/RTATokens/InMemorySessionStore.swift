/// The in-process `SessionStore`: an actor holding sessions and the indexes that
/// signal handling needs (subject, `sid`, email, parent, connection), for a single
/// gateway instance.
public actor InMemorySessionStore: SessionStore {
    private struct SubjectKey: Hashable {
        let issuer: String
        let sub: String
    }

    private let expiry: SessionExpiry
    private let clock: TokenClock
    private var sessions: [SessionID: Session] = [:]
    private var tokens: [SessionID: RTAToken] = [:]
    private var bySubject: [SubjectKey: Set<SessionID>] = [:]
    private var bySID: [String: Set<SessionID>] = [:]
    private var byEmail: [String: Set<SessionID>] = [:]
    private var byConnection: [UInt64: Set<SessionID>] = [:]
    private var childrenByParent: [SessionID: Set<SessionID>] = [:]

    public init(expiry: SessionExpiry = SessionExpiry(), clock: TokenClock = .system) {
        self.expiry = expiry
        self.clock = clock
    }

    public func insert(_ session: Session, token: RTAToken) throws(SessionStoreError) {
        guard sessions[session.id] == nil else {
            throw SessionStoreError(.duplicateSession, "session \(session.id) already exists")
        }
        if let parent = session.parent {
            applyExpiry(to: parent)
            guard sessions[parent]?.isActive == true else {
                throw SessionStoreError(.parentNotActive, "parent session \(parent) is unknown or revoked")
            }
        }
        try checkToken(token, matches: session)
        var stored = session
        stored.revision = 0
        sessions[session.id] = stored
        tokens[session.id] = token
        index(stored)
        if let parent = session.parent {
            childrenByParent[parent, default: []].insert(session.id)
        }
    }

    public func session(_ id: SessionID) -> Session? {
        applyExpiry(to: id)
        return sessions[id]
    }

    public func currentToken(_ id: SessionID) -> RTAToken? {
        tokens[id]
    }

    public func update(_ session: Session, token: RTAToken) throws(SessionStoreError) -> Session {
        applyExpiry(to: session.id)
        let stored = try activeSession(session.id)
        guard stored.revision == session.revision else {
            throw SessionStoreError(.revisionConflict,
                                    "session \(session.id) is at revision \(stored.revision), update was based on \(session.revision)")
        }
        try checkToken(token, matches: session)
        unindex(stored)
        var updated = session
        updated.revision = stored.revision + 1
        updated.state = stored.state
        sessions[session.id] = updated
        tokens[session.id] = token
        index(updated)
        return updated
    }

    public func rebind(_ id: SessionID, to connection: UInt64) throws(SessionStoreError) {
        applyExpiry(to: id)
        var stored = try activeSession(id)
        unindex(stored)
        stored.boundConnection = connection
        stored.revision += 1
        sessions[id] = stored
        index(stored)
    }

    public func recordActivity(_ id: SessionID) throws(SessionStoreError) {
        applyExpiry(to: id)
        var stored = try activeSession(id)
        stored.lastActiveAt = max(stored.lastActiveAt, clock.now())
        sessions[id] = stored
    }

    public func revoke(_ id: SessionID, reason: RevocationReason) throws(SessionStoreError) -> [SessionID] {
        guard sessions[id] != nil else {
            throw SessionStoreError(.unknownSession, "session \(id) does not exist")
        }
        return revokeCascading(id, reason: reason)
    }

    public func sessions(issuer: String, subject: String) -> [SessionID] {
        sorted(bySubject[SubjectKey(issuer: issuer, sub: subject)])
    }

    public func sessions(sid: String) -> [SessionID] {
        sorted(bySID[sid])
    }

    public func sessions(email: String) -> [SessionID] {
        sorted(byEmail[email.lowercased()])
    }

    public func sessions(connection: UInt64) -> [SessionID] {
        sorted(byConnection[connection])
    }

    public func children(of parent: SessionID) -> [SessionID] {
        sorted(childrenByParent[parent])
    }

    public func activeSessions() -> [SessionID] {
        for id in Array(sessions.keys) {
            applyExpiry(to: id)
        }
        return sorted(Set(sessions.values.lazy.filter(\.isActive).map(\.id)))
    }

    public func purge() -> [SessionID] {
        for id in Array(sessions.keys) {
            applyExpiry(to: id)
        }
        let revoked = sessions.values.filter { !$0.isActive }.map(\.id)
        for id in revoked {
            guard let stored = sessions.removeValue(forKey: id) else { continue }
            tokens[id] = nil
            unindex(stored)
            childrenByParent[id] = nil
            if let parent = stored.parent {
                childrenByParent[parent]?.remove(id)
                if childrenByParent[parent]?.isEmpty == true { childrenByParent[parent] = nil }
            }
        }
        return revoked.sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) }
    }

    // MARK: Internals

    /// Revokes `id` (if active) and every active descendant, breadth first.
    private func revokeCascading(_ id: SessionID, reason: RevocationReason) -> [SessionID] {
        var changed: [SessionID] = []
        var queue: [SessionID] = [id]
        while let next = queue.first {
            queue.removeFirst()
            guard var stored = sessions[next] else { continue }
            if stored.isActive {
                var own = reason
                if next != id { own.cascadedFrom = id }
                stored.state = .revoked(own)
                stored.revision += 1
                sessions[next] = stored
                changed.append(next)
            }
            queue += sorted(childrenByParent[next])
        }
        return changed
    }

    /// Expires the session's ancestors (root first) and then the session itself, so a
    /// delegated session never outlives an expired parent.
    private func applyExpiry(to id: SessionID) {
        var lineage: [SessionID] = []
        var cursor: SessionID? = id
        while let current = cursor, let stored = sessions[current], !lineage.contains(current) {
            lineage.append(current)
            cursor = stored.parent
        }
        let now = clock.now()
        for ancestor in lineage.reversed() {
            guard let stored = sessions[ancestor], stored.isActive,
                  let why = expiry.expiryReason(of: stored, now: now)
            else { continue }
            _ = revokeCascading(ancestor, reason: RevocationReason(reason: why, at: now))
        }
    }

    private func activeSession(_ id: SessionID) throws(SessionStoreError) -> Session {
        guard let stored = sessions[id] else {
            throw SessionStoreError(.unknownSession, "session \(id) does not exist")
        }
        guard stored.isActive else {
            throw SessionStoreError(.sessionRevoked, "session \(id) is revoked")
        }
        return stored
    }

    private func checkToken(_ token: RTAToken, matches session: Session) throws(SessionStoreError) {
        guard token.sessionID == session.id, token.contextHash == session.contextHash else {
            throw SessionStoreError(.tokenMismatch,
                                    "token for session \(token.sessionID) with context \(token.contextHash) does not match session \(session.id) with context \(session.contextHash)")
        }
    }

    private func index(_ session: Session) {
        bySubject[SubjectKey(issuer: session.subject.issuer, sub: session.subject.sub), default: []].insert(session.id)
        if let sid = session.subject.sid { bySID[sid, default: []].insert(session.id) }
        if let email = session.subject.email { byEmail[email.lowercased(), default: []].insert(session.id) }
        byConnection[session.boundConnection, default: []].insert(session.id)
    }

    private func unindex(_ session: Session) {
        let id = session.id
        remove(id, from: &bySubject, key: SubjectKey(issuer: session.subject.issuer, sub: session.subject.sub))
        if let sid = session.subject.sid { remove(id, from: &bySID, key: sid) }
        if let email = session.subject.email { remove(id, from: &byEmail, key: email.lowercased()) }
        remove(id, from: &byConnection, key: session.boundConnection)
    }

    private func remove<Key: Hashable>(_ id: SessionID, from index: inout [Key: Set<SessionID>], key: Key) {
        index[key]?.remove(id)
        if index[key]?.isEmpty == true { index[key] = nil }
    }

    /// Deterministic order for callers and tests.
    private func sorted(_ ids: Set<SessionID>?) -> [SessionID] {
        (ids ?? []).sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) }
    }
}

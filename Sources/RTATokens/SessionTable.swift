/// The data behind `InMemorySessionStore`: sessions, current tokens and the indexes,
/// with the store's rules (expiry applied on read, cascading revocation,
/// compare-and-swap updates). Not thread-safe by itself: the store holds it under a lock.
struct SessionTable {
    /// One stored session, by reference (see `sessions`); only touched under the store's lock.
    final class Box {
        var value: Session

        init(_ value: Session) {
            self.value = value
        }
    }

    struct SubjectKey: Hashable {
        let issuer: String
        let sub: String
    }

    let expiry: SessionExpiry
    let clock: TokenClock
    /// Boxed so that checks and in-place changes (expiry, revocation) touch one field
    /// instead of copying a whole `Session` (a few hundred bytes, a dozen references) in
    /// and out of the dictionary: a revocation does that for thousands of sessions.
    var sessions: [SessionID: Box] = [:]
    var tokens: [SessionID: RTAToken] = [:]
    var bySubject: [SubjectKey: Set<SessionID>] = [:]
    var bySID: [String: Set<SessionID>] = [:]
    var byEmail: [String: Set<SessionID>] = [:]
    var byConnection: [UInt64: Set<SessionID>] = [:]
    var childrenByParent: [SessionID: Set<SessionID>] = [:]
    /// Ids the current purge sweep has yet to visit.
    var sweep: [SessionID] = []

    init(expiry: SessionExpiry, clock: TokenClock) {
        self.expiry = expiry
        self.clock = clock
    }

    mutating func insert(_ session: Session, token: RTAToken) throws(SessionStoreError) {
        guard sessions[session.id] == nil else {
            throw SessionStoreError(.duplicateSession, "session \(session.id) already exists")
        }
        if let parent = session.parent {
            applyExpiry(to: parent)
            guard sessions[parent]?.value.isActive == true else {
                throw SessionStoreError(.parentNotActive, "parent session \(parent) is unknown or revoked")
            }
        }
        try Self.checkToken(token, matches: session)
        var stored = session
        stored.revision = 0
        sessions[session.id] = Box(stored)
        tokens[session.id] = token
        index(stored)
        if let parent = session.parent {
            childrenByParent[parent, default: []].insert(session.id)
        }
    }

    /// `now`: a bulk read takes the time once for all its sessions.
    mutating func session(_ id: SessionID, now: UInt64? = nil) -> Session? {
        applyExpiry(to: id, now: now)?.value
    }

    mutating func update(_ session: Session, token: RTAToken) throws(SessionStoreError) -> Session {
        applyExpiry(to: session.id)
        let stored = try activeSession(session.id)
        guard stored.revision == session.revision else {
            throw SessionStoreError(.revisionConflict,
                                    "session \(session.id) is at revision \(stored.revision), update was based on \(session.revision)")
        }
        try Self.checkToken(token, matches: session)
        unindex(stored)
        var updated = session
        updated.revision = stored.revision + 1
        updated.state = stored.state
        sessions[session.id]?.value = updated
        tokens[session.id] = token
        index(updated)
        return updated
    }

    mutating func rebind(_ id: SessionID, to connection: UInt64) throws(SessionStoreError) {
        applyExpiry(to: id)
        var stored = try activeSession(id)
        unindex(stored)
        stored.boundConnection = connection
        stored.revision += 1
        sessions[id]?.value = stored
        index(stored)
    }

    mutating func recordActivity(_ id: SessionID) throws(SessionStoreError) {
        applyExpiry(to: id)
        let box = try activeBox(id)
        box.value.lastActiveAt = max(box.value.lastActiveAt, clock.now())
    }

    mutating func activeSessions() -> [SessionID] {
        for id in Array(sessions.keys) {
            applyExpiry(to: id)
        }
        return Self.sorted(Set(sessions.values.lazy.filter(\.value.isActive).map(\.value.id)))
    }

    /// Visits up to `limit` sessions of the current sweep: applies expiry and deletes
    /// the revoked ones. A sweep covers the sessions stored when it began; the next
    /// call after the last visit starts a new one.
    mutating func purge(limit: Int) -> SessionPurge {
        if sweep.isEmpty { sweep = Array(sessions.keys) }
        var deleted: [SessionID] = []
        var visited = 0
        while visited < limit, let id = sweep.popLast() {
            visited += 1
            applyExpiry(to: id)
            guard let box = sessions[id], !box.value.isActive else { continue }
            delete(box.value)
            deleted.append(id)
        }
        return SessionPurge(deleted: deleted.sorted(), sweepFinished: sweep.isEmpty)
    }

    private mutating func delete(_ stored: Session) {
        let id = stored.id
        sessions[id] = nil
        tokens[id] = nil
        unindex(stored)
        childrenByParent[id] = nil
        if let parent = stored.parent {
            childrenByParent[parent]?.remove(id)
            if childrenByParent[parent]?.isEmpty == true { childrenByParent[parent] = nil }
        }
    }

    /// Revokes `id` (if active) and every active descendant, breadth first; returns
    /// the ids that changed, `id` first. Unknown ids change nothing.
    mutating func revokeCascading(_ id: SessionID, reason: RevocationReason) -> [SessionID] {
        var changed: [SessionID] = []
        revokeCascading(id, reason: reason, into: &changed)
        return changed
    }

    /// The same, appending to `changed`: a revocation of a subject's thousand sessions
    /// collects into one array, and a session without children allocates nothing.
    mutating func revokeCascading(_ id: SessionID, reason: RevocationReason, into changed: inout [SessionID]) {
        guard let box = sessions[id] else { return }
        if box.value.isActive {
            box.value.state = .revoked(reason)
            box.value.revision += 1
            changed.append(id)
        }
        guard let children = childrenByParent[id] else { return }
        var queue = Self.sorted(children)
        var next = 0
        var cascaded = reason
        cascaded.cascadedFrom = id
        while next < queue.count {
            let current = queue[next]
            next += 1
            guard let box = sessions[current] else { continue }
            if box.value.isActive {
                box.value.state = .revoked(cascaded)
                box.value.revision += 1
                changed.append(current)
            }
            if let children = childrenByParent[current] { queue += Self.sorted(children) }
        }
    }

    /// Expires the session's ancestors (root first) and then the session itself, so a
    /// delegated session never outlives an expired parent. Returns the session's box,
    /// found with one lookup for a root session (the common case).
    @discardableResult
    private mutating func applyExpiry(to id: SessionID, now: UInt64? = nil) -> Box? {
        guard let box = sessions[id] else { return nil }
        guard box.value.isActive else { return box }
        if box.value.parent == nil {
            let now = now ?? clock.now()
            if let why = expiry.expiryReason(of: box.value, now: now) {
                _ = revokeCascading(id, reason: RevocationReason(reason: why, at: now))
            }
            return box
        }
        var lineage: [SessionID] = []
        var cursor: SessionID? = id
        while let current = cursor, let found = sessions[current], !lineage.contains(current) {
            lineage.append(current)
            cursor = found.value.parent
        }
        let now = now ?? clock.now()
        for ancestor in lineage.reversed() {
            guard let found = sessions[ancestor], found.value.isActive,
                  let why = expiry.expiryReason(of: found.value, now: now)
            else { continue }
            _ = revokeCascading(ancestor, reason: RevocationReason(reason: why, at: now))
        }
        return box
    }

    private func activeSession(_ id: SessionID) throws(SessionStoreError) -> Session {
        try activeBox(id).value
    }

    private func activeBox(_ id: SessionID) throws(SessionStoreError) -> Box {
        guard let box = sessions[id] else {
            throw SessionStoreError(.unknownSession, "session \(id) does not exist")
        }
        guard box.value.isActive else {
            throw SessionStoreError(.sessionRevoked, "session \(id) is revoked")
        }
        return box
    }

    private static func checkToken(_ token: RTAToken, matches session: Session) throws(SessionStoreError) {
        guard token.sessionID == session.id, token.contextHash == session.contextHash else {
            throw SessionStoreError(.tokenMismatch,
                                    "token for session \(token.sessionID) with context \(token.contextHash) does not match session \(session.id) with context \(session.contextHash)")
        }
    }

    private mutating func index(_ session: Session) {
        bySubject[SubjectKey(issuer: session.subject.issuer, sub: session.subject.sub), default: []].insert(session.id)
        if let sid = session.subject.sid { bySID[sid, default: []].insert(session.id) }
        if let email = session.subject.email { byEmail[email.lowercased(), default: []].insert(session.id) }
        byConnection[session.boundConnection, default: []].insert(session.id)
    }

    private mutating func unindex(_ session: Session) {
        let id = session.id
        Self.remove(id, from: &bySubject, key: SubjectKey(issuer: session.subject.issuer, sub: session.subject.sub))
        if let sid = session.subject.sid { Self.remove(id, from: &bySID, key: sid) }
        if let email = session.subject.email { Self.remove(id, from: &byEmail, key: email.lowercased()) }
        Self.remove(id, from: &byConnection, key: session.boundConnection)
    }

    private static func remove<Key: Hashable>(_ id: SessionID, from index: inout [Key: Set<SessionID>], key: Key) {
        index[key]?.remove(id)
        if index[key]?.isEmpty == true { index[key] = nil }
    }

    /// Deterministic order for callers and tests.
    static func sorted(_ ids: Set<SessionID>?) -> [SessionID] {
        (ids ?? []).sorted()
    }
}

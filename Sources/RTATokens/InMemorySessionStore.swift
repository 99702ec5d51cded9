import Synchronization

/// The in-process `SessionStore`: sessions and the indexes that signal handling needs
/// (subject, `sid`, email, parent, connection), for a single gateway instance.
///
/// A lock rather than an actor: every request reads its session and records activity,
/// and a revocation resolves and revokes a thousand sessions at once. Each operation
/// is a few dictionary accesses, so callers run it inline instead of queueing behind
/// an actor (an executor switch per call, and per session on the signal path).
public final class InMemorySessionStore: SessionStore {
    private let storage: Mutex<SessionTable>

    public init(expiry: SessionExpiry = SessionExpiry(), clock: TokenClock = .system) {
        storage = Mutex(SessionTable(expiry: expiry, clock: clock))
    }

    public func insert(_ session: Session, token: RTAToken) throws(SessionStoreError) {
        try storage.withLock { table throws(SessionStoreError) in try table.insert(session, token: token) }
    }

    public func session(_ id: SessionID) -> Session? {
        storage.withLock { $0.session(id) }
    }

    public func sessions(_ ids: [SessionID]) -> [Session] {
        storage.withLock { table in
            let now = table.clock.now()
            return ids.compactMap { table.session($0, now: now) }
        }
    }

    public func currentToken(_ id: SessionID) -> RTAToken? {
        storage.withLock { $0.tokens[id] }
    }

    public func update(_ session: Session, token: RTAToken) throws(SessionStoreError) -> Session {
        try storage.withLock { table throws(SessionStoreError) in try table.update(session, token: token) }
    }

    public func rebind(_ id: SessionID, to connection: UInt64) throws(SessionStoreError) {
        try storage.withLock { table throws(SessionStoreError) in try table.rebind(id, to: connection) }
    }

    public func recordActivity(_ id: SessionID) throws(SessionStoreError) {
        try storage.withLock { table throws(SessionStoreError) in try table.recordActivity(id) }
    }

    public func revoke(_ id: SessionID, reason: RevocationReason) throws(SessionStoreError) -> [SessionID] {
        try storage.withLock { table throws(SessionStoreError) in
            guard table.sessions[id] != nil else {
                throw SessionStoreError(.unknownSession, "session \(id) does not exist")
            }
            return table.revokeCascading(id, reason: reason)
        }
    }

    public func revoke(_ ids: [SessionID], reason: RevocationReason) -> [SessionID] {
        storage.withLock { table in
            var changed: [SessionID] = []
            changed.reserveCapacity(ids.count)
            for id in ids { table.revokeCascading(id, reason: reason, into: &changed) }
            return changed
        }
    }

    public func sessions(issuer: String, subject: String) -> [SessionID] {
        storage.withLock { SessionTable.sorted($0.bySubject[SessionTable.SubjectKey(issuer: issuer, sub: subject)]) }
    }

    public func sessions(sid: String) -> [SessionID] {
        storage.withLock { SessionTable.sorted($0.bySID[sid]) }
    }

    public func sessions(email: String) -> [SessionID] {
        let key = email.lowercased()
        return storage.withLock { SessionTable.sorted($0.byEmail[key]) }
    }

    public func sessions(connection: UInt64) -> [SessionID] {
        storage.withLock { SessionTable.sorted($0.byConnection[connection]) }
    }

    public func children(of parent: SessionID) -> [SessionID] {
        storage.withLock { SessionTable.sorted($0.childrenByParent[parent]) }
    }

    public func activeSessions() -> [SessionID] {
        storage.withLock { $0.activeSessions() }
    }

    public func purge(limit: Int) -> SessionPurge {
        storage.withLock { $0.purge(limit: limit) }
    }
}

/// Where sessions live. Storage-agnostic on purpose: the in-process store serves one
/// gateway; a Redis store implements the same contract for several.
///
/// Contract every implementation keeps:
/// - revocation is final and cascades to every descendant (`parent` links);
/// - an idle- or absolute-expired session reads back as revoked
///   (`RevocationReason.idleTimeout` / `.absoluteTimeout`), cascading likewise;
/// - `update` is compare-and-swap on `revision`, so two concurrent context changes
///   cannot silently overwrite each other, and it never touches a revoked session;
/// - the stored current token always matches the stored session's id and context hash;
/// - email lookups are case-insensitive; lookups return only sessions still stored.
public protocol SessionStore: Sendable {
    /// Stores a new session and its first token. A delegated session's parent must
    /// exist and be active.
    func insert(_ session: Session, token: RTAToken) async throws(SessionStoreError)

    /// The session, with expiry applied; nil if it was never stored or was removed.
    func session(_ id: SessionID) async throws(SessionStoreError) -> Session?

    /// The sessions still stored among `ids`, in the order of `ids`, with expiry
    /// applied: one round trip for a signal that names a thousand sessions.
    func sessions(_ ids: [SessionID]) async throws(SessionStoreError) -> [Session]

    /// The last token issued for the session (the one pushed on the event stream).
    func currentToken(_ id: SessionID) async throws(SessionStoreError) -> RTAToken?

    /// Replaces the session's mutable fields and current token if `session.revision`
    /// still equals the stored revision; returns the stored session (new revision).
    func update(_ session: Session, token: RTAToken) async throws(SessionStoreError) -> Session

    /// Moves the binding to `connection` (after a verified PoP proof, PROTOCOL.md §4).
    func rebind(_ id: SessionID, to connection: UInt64) async throws(SessionStoreError)

    /// Records an accepted request now, for idle expiry.
    func recordActivity(_ id: SessionID) async throws(SessionStoreError)

    /// Revokes the session and all its descendants; returns the ids that changed
    /// from active to revoked (the session first), empty if it was already revoked.
    func revoke(_ id: SessionID, reason: RevocationReason) async throws(SessionStoreError) -> [SessionID]

    /// Revokes each of `ids` and its descendants in one operation (a subject's
    /// sessions on a revocation signal); returns the ids that changed, each session
    /// followed by its cascade. Ids no longer stored or already revoked change nothing.
    func revoke(_ ids: [SessionID], reason: RevocationReason) async throws(SessionStoreError) -> [SessionID]

    func sessions(issuer: String, subject: String) async throws(SessionStoreError) -> [SessionID]
    func sessions(sid: String) async throws(SessionStoreError) -> [SessionID]
    func sessions(email: String) async throws(SessionStoreError) -> [SessionID]
    func sessions(connection: UInt64) async throws(SessionStoreError) -> [SessionID]
    func children(of parent: SessionID) async throws(SessionStoreError) -> [SessionID]

    /// Every session still active (expiry applied): a policy reload re-issues all their tokens.
    func activeSessions() async throws(SessionStoreError) -> [SessionID]

    /// One step of a sweep over all sessions: applies expiry to at most `limit` of them
    /// and deletes the revoked ones. Bounded so that a store of a million sessions is
    /// swept in slices between requests instead of stalling them; call until
    /// `sweepFinished`.
    func purge(limit: Int) async throws(SessionStoreError) -> SessionPurge
}

import RTATokens

/// Writes a new current token for a session whose context changed (or whose token is
/// getting old), as a compare-and-swap on the session's revision so that a signal, a
/// policy reload and a refresh touching the same session cannot overwrite each other.
struct SessionReissuer: Sendable {
    let sessions: any SessionStore
    let keyRing: KeyRing
    let clock: TokenClock
    /// Attempts before giving up on a session that keeps changing.
    static let attempts = 4

    /// Applies `mutate` and issues a token for the result. nil when the session is
    /// gone or revoked, or when `onlyIfChanged` and the context hash did not change.
    func reissue(
        _ id: SessionID, onlyIfChanged: Bool = true, _ mutate: (inout Session) -> Void = { _ in }
    ) async throws(SessionStoreError) -> (session: Session, token: RTAToken)? {
        for _ in 0..<Self.attempts {
            guard var session = try await sessions.session(id), session.isActive else { return nil }
            let before = session.contextHash
            mutate(&session)
            if onlyIfChanged, session.contextHash == before { return nil }
            let now = clock.now()
            session.refreshedAt = now
            let token = session.issueToken(keyRing: keyRing, at: now)
            do {
                let stored = try await sessions.update(session, token: token)
                return (stored, token)
            } catch where error.code == .revisionConflict {
                continue
            } catch where error.code == .sessionRevoked || error.code == .unknownSession {
                return nil
            }
        }
        throw SessionStoreError(.revisionConflict, "session \(id) kept changing during \(Self.attempts) update attempts")
    }
}

import Sodium

/// Runs `TokenChecks` in the PROTOCOL.md §1 order for one request and records the
/// session's activity when every check passes.
///
/// Token failures are the `Result`'s `TokenError` (answer 401 with its `wireCode`);
/// a session-store failure is thrown (answer 503: the token may be fine).
public struct TokenValidator: Sendable {
    public var keyRing: KeyRing
    public var limits: TokenLimits
    public var clock: TokenClock

    public init(keyRing: KeyRing, limits: TokenLimits = TokenLimits(), clock: TokenClock = .system) {
        self.keyRing = keyRing
        self.limits = limits
        self.clock = clock
    }

    public func validate(
        _ bytes: some Collection<UInt8>, connectionID: UInt64, sessions: some SessionStore,
        cache: VerifiedSignatureCache?
    ) async throws(SessionStoreError) -> Result<ValidatedToken, TokenError> {
        let now = clock.now()
        let token: RTAToken
        switch TokenChecks.structure(bytes) {
        case .success(let parsed): token = parsed
        case .failure(let error): return .failure(error)
        }
        let key: Ed25519PublicKey
        switch TokenChecks.key(token, keyRing: keyRing, now: now, limits: limits) {
        case .success(let found): key = found
        case .failure(let error): return .failure(error)
        }
        if case .failed(let error) = TokenChecks.age(token, now: now, limits: limits) {
            return .failure(error)
        }
        let session: Session
        switch TokenChecks.session(try await sessions.session(token.sessionID), for: token) {
        case .success(let found): session = found
        case .failure(let error): return .failure(error)
        }
        if case .failed(let error) = TokenChecks.context(token, session: session) {
            return .failure(error)
        }
        if case .failed(let error) = TokenChecks.binding(session, connectionID: connectionID) {
            return .failure(error)
        }
        if case .failed(let error) = TokenChecks.signature(token, key: key, cache: cache) {
            return .failure(error)
        }
        do {
            try await sessions.recordActivity(session.id)
        } catch where error.code == .sessionRevoked || error.code == .unknownSession {
            // Revoked (or expired) between the read above and now: the revocation wins.
            return .failure(TokenError(.sessionRevoked, "session \(session.id) was revoked during validation"))
        }
        return .success(ValidatedToken(token: token, session: session))
    }
}

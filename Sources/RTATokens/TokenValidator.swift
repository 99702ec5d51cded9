import Sodium

/// Runs `TokenChecks` in the PROTOCOL.md §1 order for one request and records the
/// session's activity when every check passes.
///
/// Activity is written at most once per `activityResolution` per session: idle
/// lifetimes are minutes long, and skipping the write saves a second store access on
/// nearly every request. A revocation between the session read and the request's
/// forwarding is still caught where the gateway registers the request in flight.
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

    /// How stale a session's `lastActiveAt` may get before a request writes it (ms).
    public static let activityResolution: UInt64 = 1_000

    public func validate(
        _ bytes: some Collection<UInt8>, connectionID: UInt64, sessions: some SessionStore,
        cache: VerifiedSignatureCache?
    ) async throws(SessionStoreError) -> Result<ValidatedToken, TokenError> {
        switch TokenChecks.structure(bytes) {
        case .success(let token):
            try await validate(token, connectionID: connectionID, sessions: sessions, cache: cache)
        case .failure(let error):
            .failure(error)
        }
    }

    /// The checks after step 1, for a token already parsed (from its `Authorization`
    /// text, which `RTAToken(authorization:)` parses whole).
    public func validate(
        _ token: RTAToken, connectionID: UInt64, sessions: some SessionStore, cache: VerifiedSignatureCache?
    ) async throws(SessionStoreError) -> Result<ValidatedToken, TokenError> {
        let now = clock.now()
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
        guard now >= session.lastActiveAt &+ Self.activityResolution else {
            return .success(ValidatedToken(token: token, session: session))
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

import Sodium

/// The validation steps of PROTOCOL.md §1, one function each, in the order
/// `TokenValidator` runs them: cheapest first, so garbage and expired tokens never
/// reach the session store, and the Ed25519 verify (by far the most expensive step)
/// runs last and at most once per token per connection.
///
/// Each step is pure over its inputs, so each is tested on its own.
public enum TokenChecks {
    /// Step 1: length, magic, version, reserved flags.
    public static func structure(_ bytes: some Collection<UInt8>) -> Result<RTAToken, TokenError> {
        Result { () throws(TokenError) in try RTAToken(bytes: bytes) }
    }

    /// Step 2: the key id is known and not retired past its grace period.
    public static func key(_ token: RTAToken, keyRing: KeyRing, now: UInt64, limits: TokenLimits) -> Result<Ed25519PublicKey, TokenError> {
        keyRing.verificationKey(for: token, now: now, limits: limits)
    }

    /// Step 3: `issued_at` is not beyond `clock_skew` in the future and not older than
    /// `max_age` (+ `clock_skew`).
    public static func age(_ token: RTAToken, now: UInt64, limits: TokenLimits) -> TokenCheckResult {
        if token.issuedAt > now &+ limits.clockSkew {
            return .failed(TokenError(.issuedInFuture,
                                      "issued_at \(token.issuedAt) is \(token.issuedAt - now) ms ahead of the gateway clock (skew allowance \(limits.clockSkew) ms)"))
        }
        if now > token.issuedAt &+ limits.maxAge &+ limits.clockSkew {
            return .failed(TokenError(.expired,
                                      "token is \(now - token.issuedAt) ms old; max_age is \(limits.maxAge) ms (+\(limits.clockSkew) ms skew)"))
        }
        return .passed
    }

    /// Step 4: the session exists and is active.
    public static func session(_ session: Session?, for token: RTAToken) -> Result<Session, TokenError> {
        guard let session else {
            return .failure(TokenError(.unknownSession, "session \(token.sessionID) does not exist"))
        }
        if case .revoked(let reason) = session.state {
            return .failure(TokenError(.sessionRevoked, "session \(session.id) was revoked: \(reason.reason)"))
        }
        return .success(session)
    }

    /// Step 5: the token describes the session's current context (and its flags the
    /// session's shape).
    public static func context(_ token: RTAToken, session: Session) -> TokenCheckResult {
        guard token.flags == session.tokenFlags else {
            return .failed(TokenError(.flagsMismatch,
                                      "token flags 0x\(String(token.flags.rawValue, radix: 16)) do not match session flags 0x\(String(session.tokenFlags.rawValue, radix: 16))"))
        }
        guard ConstantTime.equals(token.contextHash.bytes, session.contextHash.bytes) else {
            return .failed(TokenError(.staleContext,
                                      "token context \(token.contextHash) is not the session's current context \(session.contextHash)"))
        }
        return .passed
    }

    /// Step 6: the request arrived on the connection the session is bound to.
    public static func binding(_ session: Session, connectionID: UInt64) -> TokenCheckResult {
        guard session.boundConnection == connectionID else {
            return .failed(TokenError(.notBoundToConnection,
                                      "session \(session.id) is bound to connection \(session.boundConnection), request came on \(connectionID)"))
        }
        return .passed
    }

    /// Step 7: the Ed25519 signature over bytes 0..<64 verifies, unless these exact
    /// 128 bytes were already verified on this connection.
    public static func signature(_ token: RTAToken, key: Ed25519PublicKey, cache: VerifiedSignatureCache?) -> TokenCheckResult {
        if let cache, cache.contains(token) {
            return .passed
        }
        guard key.isValidSignature(token.signature, for: token.signedBytes) else {
            return .failed(TokenError(.badSignature, "signature does not verify under key_id \(token.keyID)"))
        }
        cache?.insert(token)
        return .passed
    }
}

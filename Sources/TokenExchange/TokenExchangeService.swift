import RTATokens
import Synchronization

/// `POST /.well-known/rta/token` (PROTOCOL.md §2): turns an IdP access token, or an
/// RTA token of a session on this connection, into a new RTA session and its first
/// token.
///
/// Steps, cheapest and least trusting first: parse (done by `TokenExchangeRequest`);
/// verify the subject token (IdP) or the parent token (`TokenValidator`); refuse a
/// revoked or disabled subject (under every identifier the token proves); bind the
/// `agent_id` to the token's client (`AgentBinding`); attenuate scopes; apply the
/// subject's quotas (`SubjectExchangeQuota`); claim the nonce; create the session
/// bound to the connection; sign. Every outcome carries an
/// `ExchangeAuditContext` (in the response, or in the `OAuthError`) so the caller
/// audits refusals with the same fields as grants.
public final class TokenExchangeService: Sendable {
    private struct Dynamic {
        var keyRing: KeyRing
        var policyEpoch: UInt64
    }

    public let configuration: TokenExchangeConfiguration
    private let verifier: SubjectTokenVerifier
    private let sessions: any SessionStore
    private let revocations: any SubjectRevocations
    private let nonces: NonceReplayStore
    private let quota: SubjectExchangeQuota
    private let clock: TokenClock
    private let dynamic: Mutex<Dynamic>

    public init(
        verifier: SubjectTokenVerifier, keyRing: KeyRing, sessions: any SessionStore, revocations: any SubjectRevocations,
        configuration: TokenExchangeConfiguration = TokenExchangeConfiguration(), policyEpoch: UInt64 = 0,
        clock: TokenClock = .system
    ) {
        self.configuration = configuration
        self.verifier = verifier
        self.sessions = sessions
        self.revocations = revocations
        self.nonces = NonceReplayStore(window: configuration.limits.maxAge, capacity: configuration.nonceCapacity, clock: clock)
        self.quota = SubjectExchangeQuota(
            maxSessions: configuration.maxSessionsPerSubject, maxExchanges: configuration.maxExchangesPerSubject,
            window: configuration.limits.maxAge, clock: clock)
        self.clock = clock
        self.dynamic = Mutex(Dynamic(keyRing: keyRing, policyEpoch: policyEpoch))
    }

    /// After a key rotation: new sessions are signed by the ring's new current key.
    public func replaceKeyRing(_ keyRing: KeyRing) {
        dynamic.withLock { $0.keyRing = keyRing }
    }

    /// After a policy reload: new sessions hash the new epoch (PROTOCOL.md §3).
    public func setPolicyEpoch(_ epoch: UInt64) {
        dynamic.withLock { $0.policyEpoch = epoch }
    }

    /// The endpoint's whole job for the pipeline: checks the request's
    /// `content-type`, parses the form body and exchanges it; see
    /// `exchange(_:connectionID:signatureCache:)`.
    public func exchange(
        formBody: some Collection<UInt8>, contentType: String?, connectionID: UInt64, signatureCache: VerifiedSignatureCache?
    ) async -> Result<TokenExchangeResponse, OAuthError> {
        guard FormBody.acceptsContentType(contentType) else {
            return .failure(OAuthError(.invalidRequest, .malformedBody,
                                       "content-type must be application/x-www-form-urlencoded, got \(contentType ?? "none")"))
        }
        let request: TokenExchangeRequest
        do {
            request = try TokenExchangeRequest(formBody: formBody)
        } catch {
            return .failure(error)
        }
        return await exchange(request, connectionID: connectionID, signatureCache: signatureCache)
    }

    /// Exchanges a parsed request arriving on QUIC connection `connectionID`.
    ///
    /// `signatureCache` is the connection's `VerifiedSignatureCache`, used when a
    /// sub-delegation presents an RTA token (nil verifies the signature every time).
    /// On success the session is stored with its token as current token; the
    /// response's `jsonBody` is the 200 body. On failure answer `httpStatus` with
    /// `jsonBody`; `reason` and `audit` are for the audit record.
    public func exchange(
        _ request: TokenExchangeRequest, connectionID: UInt64, signatureCache: VerifiedSignatureCache?
    ) async -> Result<TokenExchangeResponse, OAuthError> {
        var audit = ExchangeAuditContext(agentID: request.agentID)
        do {
            let grant: SessionGrant
            if request.subjectTokenType == .rta {
                grant = try await delegatedGrant(request, connectionID: connectionID, signatureCache: signatureCache, audit: &audit)
            } else {
                grant = try await identityProviderGrant(request, audit: &audit)
            }
            audit.chain = grant.chain
            audit.scopes = grant.scopes
            return .success(try await createSession(grant, request: request, connectionID: connectionID))
        } catch {
            return .failure(error.with(audit))
        }
    }

    /// The facts a new session is built from, whichever path produced them.
    private struct SessionGrant {
        var subject: Subject
        var clientID: String?
        var agentVerified: Bool
        var chain: [String]
        var parent: SessionID?
        var scopes: [String]
        var claims: [String: ClaimValue]
        var signals: SignalState
    }

    private func identityProviderGrant(
        _ request: TokenExchangeRequest, audit: inout ExchangeAuditContext
    ) async throws(OAuthError) -> SessionGrant {
        let verified = try await verifier.verify(request.subjectToken, type: request.subjectTokenType)
        let subject = verified.subject
        audit.subject = subject
        audit.chain = [subject.sub, request.agentID]
        var keys: [RevokedSubject] = [.issuerSubject(issuer: subject.issuer, sub: subject.sub)]
        if let email = verified.provenEmail {
            keys += [.email(email), .issuerEmail(issuer: subject.issuer, email: email)]
        }
        if let phone = verified.provenPhoneNumber { keys.append(.issuerPhoneNumber(issuer: subject.issuer, phoneNumber: phone)) }
        if let sid = subject.sid { keys.append(.identityProviderSession(issuer: subject.issuer, sid: sid)) }
        try await checkSubject(keys, tokenIssuedAt: verified.issuedAt, what: "IdP token")
        let binding = verifier.agentBinding(issuer: subject.issuer, clientID: verified.clientID)
        let agentVerified = binding.verifies(request.agentID)
        if binding.required && !agentVerified {
            throw OAuthError(.accessDenied, .agentNotVerified,
                             "agent_id \(request.agentID) is not proven by the IdP token: it must equal the token's client_id "
                                 + "(\(binding.clientID ?? "none")) or be listed for it in identity_providers[].agents")
        }
        let scopes = try ScopeSet.attenuate(requested: request.scopes, available: verified.scopes, source: "subject token")
        return SessionGrant(subject: subject, clientID: verified.clientID, agentVerified: agentVerified,
                            chain: [subject.sub, request.agentID], parent: nil, scopes: scopes, claims: verified.claims,
                            signals: SignalState())
    }

    private func delegatedGrant(
        _ request: TokenExchangeRequest, connectionID: UInt64, signatureCache: VerifiedSignatureCache?,
        audit: inout ExchangeAuditContext
    ) async throws(OAuthError) -> SessionGrant {
        let validator = TokenValidator(keyRing: dynamic.withLock { $0.keyRing }, limits: configuration.limits, clock: clock)
        let bytes: [UInt8]
        do {
            bytes = try RTAToken(base64url: request.subjectToken).bytes
        } catch {
            throw OAuthError(.invalidGrant, .invalidParentToken, "subject_token is not an RTA token: \(error.code.rawValue)")
        }
        let result: Result<ValidatedToken, TokenError>
        do {
            result = try await validator.validate(bytes, connectionID: connectionID, sessions: sessions, cache: signatureCache)
        } catch {
            throw OAuthError(.temporarilyUnavailable, .sessionStoreUnavailable, "session store: \(error.message)")
        }
        let parent: Session
        switch result {
        case .success(let validated): parent = validated.session
        case .failure(let error):
            throw OAuthError(.invalidGrant, .invalidParentToken, "parent RTA token refused: \(error.code.rawValue) (\(error.wireCode.rawValue))")
        }
        audit.subject = parent.subject
        audit.parentSessionID = parent.id
        let chain = parent.chain + [request.agentID]
        audit.chain = chain
        guard !parent.chain.dropFirst().contains(request.agentID) else {
            throw OAuthError(.invalidGrant, .delegationLoop, "agent \(request.agentID) is already in the delegation chain")
        }
        guard chain.count - 1 <= configuration.maxDelegationDepth else {
            throw OAuthError(.invalidGrant, .delegationTooDeep,
                             "a chain may hold at most \(configuration.maxDelegationDepth) agents")
        }
        let subject = parent.subject
        // The session does not record whether its email was verified: every email it
        // holds is checked, which errs towards refusing.
        var keys: [RevokedSubject] = [.issuerSubject(issuer: subject.issuer, sub: subject.sub)]
        if let email = subject.email { keys += [.email(email), .issuerEmail(issuer: subject.issuer, email: email)] }
        if let sid = subject.sid { keys.append(.identityProviderSession(issuer: subject.issuer, sid: sid)) }
        try await checkSubject(keys, tokenIssuedAt: parent.createdAt, what: "parent session")
        let binding = verifier.agentBinding(issuer: subject.issuer, clientID: parent.clientID)
        let agentVerified = binding.verifiesChild(request.agentID, parentVerified: parent.agentVerified)
        if binding.required && !agentVerified {
            throw OAuthError(.accessDenied, .agentNotVerified,
                             "sub-agent \(request.agentID) is not listed for client \(binding.clientID ?? "none") in "
                                 + "identity_providers[].agents (or the parent agent is not verified)")
        }
        let scopes = try ScopeSet.attenuate(requested: request.scopes, available: parent.scopes, source: "parent session")
        return SessionGrant(subject: subject, clientID: parent.clientID, agentVerified: agentVerified, chain: chain,
                            parent: parent.id, scopes: scopes, claims: parent.claims, signals: parent.signals)
    }

    /// PROTOCOL.md §2/§5: a disabled account gets nothing; a token issued before the
    /// not-before time of any key it proves (or with no `iat` while one exists) buys nothing.
    private func checkSubject(_ keys: [RevokedSubject], tokenIssuedAt: UInt64?, what: String) async throws(OAuthError) {
        for key in keys {
            let status = await revocations.status(of: key)
            if let disabledAt = status.disabledAt {
                throw OAuthError(.accessDenied, .accountDisabled, "the account was disabled at \(disabledAt)")
            }
            if let notBefore = status.notBefore {
                guard let issuedAt = tokenIssuedAt, issuedAt >= notBefore else {
                    throw OAuthError(.accessDenied, .subjectRevoked,
                                     "the subject's sessions were revoked at \(notBefore), after this \(what) was issued")
                }
            }
        }
    }

    /// `tokens.max_sessions_per_subject` and `tokens.max_exchanges_per_subject`, checked
    /// before the nonce is claimed so a refused exchange takes nothing from the shared
    /// nonce store. Revoked and expired sessions do not count.
    private func checkQuota(_ subject: Subject, key: SubjectExchangeQuota.Key, othersInFlight: Int) async throws(OAuthError) {
        let active: Int
        do {
            let ids = try await sessions.sessions(issuer: subject.issuer, subject: subject.sub)
            active = try await sessions.sessions(ids).lazy.filter(\.isActive).count
        } catch {
            throw OAuthError(.temporarilyUnavailable, .sessionStoreUnavailable, "session store: \(error.message)")
        }
        guard active + othersInFlight < quota.maxSessions else {
            throw OAuthError(.accessDenied, .subjectSessionLimit,
                             "subject \(subject.label) already holds \(active) active session(s), the most allowed "
                                 + "(tokens.max_sessions_per_subject: \(quota.maxSessions)); end one or let it expire")
        }
        guard quota.admit(key) else {
            throw OAuthError(.accessDenied, .subjectExchangeLimit,
                             "subject \(subject.label) made \(quota.maxExchanges) exchanges within the last "
                                 + "\(quota.window / 1_000) s (tokens.max_exchanges_per_subject); retry later")
        }
    }

    private func createSession(
        _ grant: SessionGrant, request: TokenExchangeRequest, connectionID: UInt64
    ) async throws(OAuthError) -> TokenExchangeResponse {
        let key = SubjectExchangeQuota.Key(grant.subject)
        let othersInFlight = quota.enter(key)
        defer { quota.leave(key) }
        try await checkQuota(grant.subject, key: key, othersInFlight: othersInFlight)
        switch nonces.claim(request.nonce) {
        case .fresh: break
        case .replayed:
            throw OAuthError(.invalidRequest, .nonceReplayed, "nonce was already used within the last \(configuration.limits.maxAge / 1_000) s")
        case .full:
            throw OAuthError(.temporarilyUnavailable, .replayStoreFull, "too many exchanges in flight; retry shortly")
        }
        let (keyRing, epoch) = dynamic.withLock { ($0.keyRing, $0.policyEpoch) }
        let now = clock.now()
        let session = Session(
            id: .random(), subject: grant.subject, agentID: request.agentID, clientID: grant.clientID,
            agentVerified: grant.agentVerified, agentMeta: request.agentMeta,
            chain: grant.chain, parent: grant.parent, scopes: grant.scopes, claims: grant.claims, signals: grant.signals,
            policyEpoch: epoch, popKey: request.popKey, boundConnection: connectionID, createdAt: now)
        let token = session.issueToken(keyRing: keyRing, at: now)
        do {
            try await sessions.insert(session, token: token)
        } catch where error.code == .parentNotActive {
            throw OAuthError(.invalidGrant, .invalidParentToken, "the parent session was revoked during the exchange")
        } catch {
            throw OAuthError(.temporarilyUnavailable, .sessionStoreUnavailable, "session store: \(error.message)")
        }
        return TokenExchangeResponse(token: token, session: session, expiresIn: configuration.limits.maxAge / 1_000,
                                     eventsPath: configuration.eventsPath)
    }
}

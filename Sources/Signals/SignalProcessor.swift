import RTATokens
import TokenExchange

/// Turns a SET into its effect (PROTOCOL.md §5): verify → check the transmitter may
/// speak for the subject's issuer → dedupe on `(iss, jti)` → apply against the session
/// store and the subject revocations → `SignalOutcome`.
///
/// Fails closed: nothing is written unless verification passed, and a failure while
/// applying forgets the `(iss, jti)` claim so the transmitter's retry applies it in
/// full. Revocation covers sessions created at or before the event time (plus the
/// configured clock skew, capped at now: RFC 8417 §5.4's late-logout race must not
/// kill sessions opened after the logout, but a lagging IdP clock must not spare one
/// opened just before it) and, through the store's cascade, their descendants.
public struct SignalProcessor: Sendable {
    public let verifier: SETVerifier
    public let replay: ReplayStore
    private let sessions: any SessionStore
    private let revocations: any SubjectRevocations
    private let keyRing: KeyRing
    private let clock: TokenClock
    /// Called with a revocation's sessions before the store revokes them, in two slices:
    /// the first few dozen while the rest are still being read, then the rest. Why: on a
    /// subject with a thousand sessions, reading and revoking them takes milliseconds the
    /// agents' `revoked` events need not wait for. If the store then fails, the SET is
    /// answered 503 and the transmitter's retry applies it; the announced sessions stay
    /// refused.
    private let announce: @Sendable (PendingRevocation) -> Void
    /// Attempts at a compare-and-swap session update before giving up as unavailable.
    private static let updateAttempts = 4

    public init(
        verifier: SETVerifier, sessions: any SessionStore, revocations: any SubjectRevocations, keyRing: KeyRing,
        replay: ReplayStore? = nil, clock: TokenClock = .system,
        announce: @escaping @Sendable (PendingRevocation) -> Void = { _ in }
    ) {
        self.announce = announce
        self.verifier = verifier
        self.sessions = sessions
        self.revocations = revocations
        self.keyRing = keyRing
        self.clock = clock
        self.replay = replay ?? ReplayStore(window: verifier.configuration.replayWindow,
                                            capacity: verifier.configuration.replayCapacity, clock: clock)
    }

    /// Verifies and applies one compact SET. Returns after the effect is in the store.
    public func process(_ compact: String) async throws(SignalProcessingError) -> SignalOutcome {
        try await claimAndApply(try await verifier.verify(compact))
    }

    /// The same for a SET the caller already parsed.
    func process(_ parsed: CompactSET) async throws(SignalProcessingError) -> SignalOutcome {
        try await claimAndApply(try await verifier.verify(parsed))
    }

    /// Applies a verified SET once per (`iss`, `jti`).
    private func claimAndApply(_ set: VerifiedSET) async throws(SignalProcessingError) -> SignalOutcome {
        let issuers = try permittedIssuers(set)
        switch await replay.claim(issuer: set.issuer, jti: set.jti) {
        case .duplicate:
            return outcome(set, .duplicate, description: "duplicate of an already applied SET; no second effect")
        case .pending:
            throw .inProgress(issuer: set.issuer, jti: set.jti)
        case .fresh:
            break
        }
        do {
            let result = try await apply(set, issuers: issuers)
            await replay.complete(issuer: set.issuer, jti: set.jti, issuedAt: set.issuedAt)
            return result
        } catch {
            await replay.abandon(issuer: set.issuer, jti: set.jti)
            throw .unavailable("session store: \(error)")
        }
    }

    /// The transmitter's `subject_issuers`; refuses (`access_denied`, RFC 8935 §2.3) a SET
    /// that names an `iss_sub` of any other IdP, so one IdP's transmitter cannot revoke,
    /// disable, re-enable or raise the assurance of another IdP's users.
    private func permittedIssuers(_ set: VerifiedSET) throws(SignalProcessingError) -> Set<String> {
        let permitted = verifier.configuration.transmitters[set.issuer]?.subjectIssuers ?? []
        let foreign = SubjectResolver.foreignIssuers(in: set.subject, permitted: permitted)
        guard foreign.isEmpty else {
            throw .rejected(SETError(.accessDenied,
                                     "transmitter \(set.issuer) may not speak for subjects of \(foreign.sorted().joined(separator: ", ")) "
                                         + "(its subject_issuers: \(permitted.sorted().joined(separator: ", ")))"))
        }
        return permitted
    }

    private func apply(_ set: VerifiedSET, issuers: Set<String>) async throws(SessionStoreError) -> SignalOutcome {
        let resolver = SubjectResolver(store: sessions, issuers: issuers)
        switch set.event.kind {
        case .sessionRevoked, .credentialChange, .accountCredentialChangeRequired, .credentialCompromise, .sessionsRevoked:
            return try await revoke(set, disable: false, resolver: resolver)
        case .accountDisabled, .accountPurged:
            return try await revoke(set, disable: true, resolver: resolver)
        case .accountEnabled:
            let matched = try await resolver.sessions(for: set.subject)
            let principals = SubjectResolver.keys(of: set.subject, sessions: matched, issuers: issuers)
            for principal in principals { await revocations.enable(principal) }
            return outcome(set, .accountEnabled, subjects: principals,
                           description: "account enabled for \(principals.count) subject key(s); revoked sessions stay revoked")
        case .assuranceLevelChange(_, let current, _, _):
            return try await updateContext(set, resolver, change: "assurance level \(current)") { $0.signals.assuranceLevel = current }
        case .deviceComplianceChange(_, let current):
            return try await updateContext(set, resolver, change: "device compliance \(current.rawValue)") {
                $0.signals.deviceCompliance = current
            }
        case .riskLevelChange(_, let current, _):
            return try await updateContext(set, resolver, change: "risk level \(current.rawValue)") { $0.signals.riskLevel = current }
        case .tokenClaimsChange(let claims):
            return try await updateContext(set, resolver, change: "claims \(claims.keys.sorted().joined(separator: ", "))") {
                $0.claims.merge(claims) { _, new in new }
            }
        case .verification(let state):
            return outcome(set, .none, description: "SSF verification event" + (state.map { " (state \($0))" } ?? ""))
        case .streamUpdated(let status, let reason):
            return outcome(set, .none, description: "transmitter reports stream \(status)" + (reason.map { ": \($0)" } ?? ""))
        case .sessionEstablished, .sessionPresented, .informational:
            return outcome(set, .none, description: "informational event; no gateway effect")
        case .unknown:
            return outcome(set, .none, description: "unknown event type; accepted without effect (RFC 8935 §3)")
        }
    }

    private func revoke(_ set: VerifiedSET, disable: Bool, resolver: SubjectResolver) async throws(SessionStoreError) -> SignalOutcome {
        let now = clock.now()
        let eventTime = min(set.event.timestamp ?? set.issuedAt, now)
        let cutoff = min(eventTime &+ verifier.configuration.clockSkew, now)
        let reason = String(set.event.type.split(separator: "/").last ?? Substring(set.event.type))
        // One rule for what the SET covers, used for the announcement and the store alike.
        func covers(_ session: Session) -> Bool { session.isActive && session.createdAt <= cutoff }
        let matched = try await resolver.sessions(for: set.subject) { slice in
            let announced = slice.filter(covers).map(\.id)
            guard !announced.isEmpty else { return }
            announce(PendingRevocation(sessions: announced, reason: reason, eventType: set.event.type, jti: set.jti))
        }
        let covered = matched.filter(covers).sorted { $0.createdAt < $1.createdAt }
        let spared = matched.lazy.filter(\.isActive).count - covered.count
        let revoked = try await sessions.revoke(
            covered.map(\.id), reason: RevocationReason(reason: reason, event: set.event.type, jti: set.jti, at: now))
        // Recorded whether or not a session matched: the subject's IdP tokens outlive
        // its sessions, and a user with none live must not exchange an older token.
        let principal = disable || !SubjectResolver.isSessionScoped(set.subject)
        let principals = SubjectResolver.keys(of: set.subject, sessions: matched, issuers: resolver.issuers, principal: principal)
        for key in principals {
            await revocations.revokeTokens(of: key, issuedBefore: eventTime)
            if disable { await revocations.disable(key, at: now) }
        }
        var description = "revoked \(revoked.count) session(s) of \(set.subject)"
        if spared > 0 { description += "; \(spared) created after the event kept" }
        if !principals.isEmpty { description += "; subject not-before \(eventTime)" }
        if disable { description += "; new exchanges refused until account-enabled" }
        var result = outcome(set, disable ? .accountDisabled : .revoked, revoked: revoked, reason: reason,
                             subjects: principals, description: description)
        result.matchedSessions = matched
        return result
    }

    /// Applies `change` to every active matching session and its active descendants,
    /// re-hashing (the `Session` observers do it) and storing a fresh token, retrying
    /// a compare-and-swap that lost to a concurrent update.
    private func updateContext(
        _ set: VerifiedSET, _ resolver: SubjectResolver, change: String, _ mutate: @Sendable (inout Session) -> Void
    ) async throws(SessionStoreError) -> SignalOutcome {
        var pending = try await resolver.sessions(for: set.subject).map(\.id)
        var visited: Set<SessionID> = []
        var updates: [SessionTokenUpdate] = []
        while !pending.isEmpty {
            let id = pending.removeFirst()
            guard visited.insert(id).inserted else { continue }
            pending += try await sessions.children(of: id)
            if let update = try await update(id, mutate) { updates.append(update) }
        }
        return outcome(set, updates.isEmpty ? .none : .contextUpdated, updates: updates,
                       description: "\(change): \(updates.count) session(s) of \(set.subject) re-issued")
    }

    private func update(_ id: SessionID, _ mutate: (inout Session) -> Void) async throws(SessionStoreError) -> SessionTokenUpdate? {
        for _ in 0..<Self.updateAttempts {
            guard var session = try await sessions.session(id), session.isActive else { return nil }
            let before = session.contextHash
            mutate(&session)
            guard session.contextHash != before else { return nil }
            let now = clock.now()
            session.refreshedAt = now
            let token = session.issueToken(keyRing: keyRing, at: now)
            do {
                _ = try await sessions.update(session, token: token)
                return SessionTokenUpdate(session: id, token: token)
            } catch where error.code == .revisionConflict {
                continue
            } catch where error.code == .sessionRevoked || error.code == .unknownSession {
                return nil
            }
        }
        throw SessionStoreError(.revisionConflict, "session \(id) kept changing during \(Self.updateAttempts) update attempts")
    }

    private func outcome(
        _ set: VerifiedSET, _ effect: SignalOutcome.Effect, revoked: [SessionID] = [], reason: String? = nil,
        updates: [SessionTokenUpdate] = [], subjects: [RevokedSubject] = [], description: String
    ) -> SignalOutcome {
        SignalOutcome(eventType: set.event.type, jti: set.jti, issuer: set.issuer, transaction: set.transaction, subject: set.subject,
                      effect: effect, revokedSessions: revoked, revocationReason: reason, updatedSessions: updates,
                      subjectChanges: subjects, effectDescription: description)
    }
}

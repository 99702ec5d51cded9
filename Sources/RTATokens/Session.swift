import Sodium

/// An RTA session (PROTOCOL.md §3): who, which agent, through which delegation
/// chain, with what signal state, bound to which QUIC connection.
///
/// `contextHash` is kept equal to `authorizationContext.contextHash` by the
/// property observers below, so no code path can change a fact and forget to
/// re-hash (which would leave old tokens valid); `labels` is kept current the same way.
public struct Session: Sendable, Equatable {
    public let id: SessionID
    public var subject: Subject { didSet { rehash(); relabel() } }
    public var agentID: String { didSet { rehash() } }
    /// Audited and shown to policy; not part of the context hash (descriptive only).
    public var agentMeta: [String: ClaimValue]
    public var chain: [String] { didSet { rehash(); relabel() } }
    public let parent: SessionID?
    public var scopes: [String] { didSet { rehash() } }
    public var claims: [String: ClaimValue] { didSet { rehash() } }
    public var signals: SignalState { didSet { rehash() } }
    public var policyEpoch: UInt64 { didSet { rehash() } }
    public let popKey: Ed25519PublicKey?
    /// The QUIC connection the session is bound to (PROTOCOL.md §4).
    public var boundConnection: UInt64
    /// UNIX ms.
    public let createdAt: UInt64
    /// UNIX ms of the last token issued for this session.
    public var refreshedAt: UInt64
    /// UNIX ms of the last accepted request; drives idle expiry.
    public var lastActiveAt: UInt64
    public var state: SessionState
    /// Optimistic-concurrency counter, owned by the `SessionStore`.
    public var revision: UInt64
    public private(set) var contextHash: ContextHash
    public private(set) var labels: SessionLabels

    public init(
        id: SessionID, subject: Subject, agentID: String, agentMeta: [String: ClaimValue] = [:], chain: [String],
        parent: SessionID? = nil, scopes: [String], claims: [String: ClaimValue] = [:],
        signals: SignalState = SignalState(), policyEpoch: UInt64, popKey: Ed25519PublicKey? = nil,
        boundConnection: UInt64, createdAt: UInt64
    ) {
        self.id = id
        self.subject = subject
        self.agentID = agentID
        self.agentMeta = agentMeta
        self.chain = chain
        self.parent = parent
        self.scopes = scopes
        self.claims = claims
        self.signals = signals
        self.policyEpoch = policyEpoch
        self.popKey = popKey
        self.boundConnection = boundConnection
        self.createdAt = createdAt
        self.refreshedAt = createdAt
        self.lastActiveAt = createdAt
        self.state = .active
        self.revision = 0
        self.contextHash = AuthorizationContext(
            subject: subject, agentID: agentID, chain: chain, scopes: scopes, claims: claims,
            signals: signals, policyEpoch: policyEpoch
        ).contextHash
        self.labels = SessionLabels(id: id, subject: subject, chain: chain)
    }

    public var authorizationContext: AuthorizationContext {
        AuthorizationContext(subject: subject, agentID: agentID, chain: chain, scopes: scopes, claims: claims,
                             signals: signals, policyEpoch: policyEpoch)
    }

    /// The flags every token of this session carries.
    public var tokenFlags: TokenFlags {
        var flags: TokenFlags = []
        if parent != nil { flags.insert(.delegated) }
        if popKey != nil { flags.insert(.pop) }
        return flags
    }

    public var isActive: Bool {
        if case .active = state { return true }
        return false
    }

    /// A token for the session's current context, signed by the ring's current key.
    public func issueToken(keyRing: KeyRing, at time: UInt64) -> RTAToken {
        RTAToken.issue(flags: tokenFlags, sessionID: id, contextHash: contextHash, issuedAt: time, key: keyRing.current)
    }

    private mutating func rehash() {
        contextHash = authorizationContext.contextHash
    }

    private mutating func relabel() {
        labels = SessionLabels(id: id, subject: subject, chain: chain)
    }
}

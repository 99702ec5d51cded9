import Sodium

/// An RTA session (PROTOCOL.md §3): who, which agent, through which delegation
/// chain, with what signal state, bound to which QUIC connection.
///
/// `contextHash` is kept equal to `authorizationContext.contextHash` by the setters
/// below, so no code path can change a fact and forget to re-hash (which would leave
/// old tokens valid); `labels` is kept current the same way.
///
/// The facts (everything the context hash covers, and what is fixed at the exchange)
/// live behind one reference, copied on write; what a store reads and updates for
/// every session it touches (parent, times, binding, state, revision) is held inline. Why: a session is copied on
/// every request and a revocation copies a subject's thousands out of the store, and a
/// copy then retains one object instead of every string, array and dictionary it holds,
/// while revoking or touching a session never copies its facts.
public struct Session: Sendable, Equatable {
    private var facts: Facts
    public let parent: SessionID?
    /// UNIX ms.
    public let createdAt: UInt64
    /// The QUIC connection the session is bound to (PROTOCOL.md §4).
    public var boundConnection: UInt64
    /// UNIX ms of the last token issued for this session.
    public var refreshedAt: UInt64
    /// UNIX ms of the last accepted request; drives idle expiry.
    public var lastActiveAt: UInt64
    public var state: SessionState
    /// Optimistic-concurrency counter, owned by the `SessionStore`.
    public var revision: UInt64

    public init(
        id: SessionID, subject: Subject, agentID: String, clientID: String? = nil, agentVerified: Bool = false,
        agentMeta: [String: ClaimValue] = [:], chain: [String],
        parent: SessionID? = nil, scopes: [String], claims: [String: ClaimValue] = [:],
        signals: SignalState = SignalState(), policyEpoch: UInt64, popKey: Ed25519PublicKey? = nil,
        boundConnection: UInt64, createdAt: UInt64
    ) {
        let context = AuthorizationContext(
            subject: subject, agentID: agentID, clientID: clientID, agentVerified: agentVerified, chain: chain,
            scopes: scopes, claims: claims, signals: signals, policyEpoch: policyEpoch)
        self.facts = Facts(Facts.Fields(
            id: id, subject: subject, agentID: agentID, clientID: clientID, agentVerified: agentVerified,
            agentMeta: agentMeta, chain: chain,
            scopes: scopes, claims: claims, signals: signals, policyEpoch: policyEpoch, popKey: popKey,
            contextHash: context.contextHash,
            labels: SessionLabels(id: id, subject: subject, chain: chain)))
        self.parent = parent
        self.createdAt = createdAt
        self.boundConnection = boundConnection
        self.refreshedAt = createdAt
        self.lastActiveAt = createdAt
        self.state = .active
        self.revision = 0
    }

    public var id: SessionID { facts.fields.id }
    public var subject: Subject {
        get { facts.fields.subject }
        set { update { $0.subject = newValue; $0.rehash(); $0.relabel() } }
    }
    public var agentID: String {
        get { facts.fields.agentID }
        set { update { $0.agentID = newValue; $0.rehash() } }
    }
    /// Fixed at the exchange (PROTOCOL.md §3): the token's OAuth client and whether it
    /// proves `agentID`; both are in the context hash because policy reads them.
    public var clientID: String? { facts.fields.clientID }
    public var agentVerified: Bool { facts.fields.agentVerified }
    /// Audited and shown to policy; not part of the context hash (descriptive only).
    public var agentMeta: [String: ClaimValue] {
        get { facts.fields.agentMeta }
        set { update { $0.agentMeta = newValue } }
    }
    public var chain: [String] {
        get { facts.fields.chain }
        set { update { $0.chain = newValue; $0.rehash(); $0.relabel() } }
    }
    public var scopes: [String] {
        get { facts.fields.scopes }
        set { update { $0.scopes = newValue; $0.rehash() } }
    }
    public var claims: [String: ClaimValue] {
        get { facts.fields.claims }
        set { update { $0.claims = newValue; $0.rehash() } }
    }
    public var signals: SignalState {
        get { facts.fields.signals }
        set { update { $0.signals = newValue; $0.rehash() } }
    }
    public var policyEpoch: UInt64 {
        get { facts.fields.policyEpoch }
        set { update { $0.policyEpoch = newValue; $0.rehash() } }
    }
    public var popKey: Ed25519PublicKey? { facts.fields.popKey }
    public var contextHash: ContextHash { facts.fields.contextHash }
    public var labels: SessionLabels { facts.fields.labels }

    public var authorizationContext: AuthorizationContext { facts.fields.authorizationContext }

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

    public static func == (lhs: Session, rhs: Session) -> Bool {
        (lhs.facts === rhs.facts || lhs.facts.fields == rhs.facts.fields)
            && lhs.parent == rhs.parent && lhs.createdAt == rhs.createdAt
            && lhs.boundConnection == rhs.boundConnection && lhs.refreshedAt == rhs.refreshedAt
            && lhs.lastActiveAt == rhs.lastActiveAt && lhs.state == rhs.state && lhs.revision == rhs.revision
    }

    /// Copies the facts first when another value still shares them.
    private mutating func update(_ change: (inout Facts.Fields) -> Void) {
        if !isKnownUniquelyReferenced(&facts) {
            facts = Facts(facts.fields)
        }
        change(&facts.fields)
    }

    /// Shared between copies only while none of them writes (`update` copies first), so
    /// no two threads ever write one instance.
    private final class Facts: @unchecked Sendable {
        struct Fields: Equatable {
            let id: SessionID
            var subject: Subject
            var agentID: String
            let clientID: String?
            let agentVerified: Bool
            var agentMeta: [String: ClaimValue]
            var chain: [String]
            var scopes: [String]
            var claims: [String: ClaimValue]
            var signals: SignalState
            var policyEpoch: UInt64
            let popKey: Ed25519PublicKey?
            var contextHash: ContextHash
            var labels: SessionLabels

            var authorizationContext: AuthorizationContext {
                AuthorizationContext(subject: subject, agentID: agentID, clientID: clientID, agentVerified: agentVerified,
                                     chain: chain, scopes: scopes, claims: claims,
                                     signals: signals, policyEpoch: policyEpoch)
            }

            mutating func rehash() {
                contextHash = authorizationContext.contextHash
            }

            mutating func relabel() {
                labels = SessionLabels(id: id, subject: subject, chain: chain)
            }
        }

        var fields: Fields

        init(_ fields: Fields) {
            self.fields = fields
        }
    }
}

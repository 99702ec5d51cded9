import Sodium

/// Everything a policy decision about a session depends on (PROTOCOL.md §3). Its
/// hash goes into every token, so a token silently stops matching the moment any of
/// these facts changes: that is how `stale_context` works without a lookup table.
public struct AuthorizationContext: Sendable, Hashable {
    public var subject: Subject
    public var agentID: String
    /// The OAuth client of the IdP token the session came from (`client_id`/`azp`);
    /// a sub-delegated session keeps its root's.
    public var clientID: String?
    /// True when the IdP token proves `agentID` (PROTOCOL.md §2, `AgentBinding`).
    public var agentVerified: Bool
    /// User first, then each agent.
    public var chain: [String]
    /// A set: order and duplicates do not change the hash.
    public var scopes: [String]
    /// The IdP claims that policy reads.
    public var claims: [String: ClaimValue]
    public var signals: SignalState
    /// Bumped by every policy reload, so a reload re-issues every token.
    public var policyEpoch: UInt64

    public init(
        subject: Subject, agentID: String, clientID: String? = nil, agentVerified: Bool = false, chain: [String],
        scopes: [String], claims: [String: ClaimValue], signals: SignalState, policyEpoch: UInt64
    ) {
        self.subject = subject
        self.agentID = agentID
        self.clientID = clientID
        self.agentVerified = agentVerified
        self.chain = chain
        self.scopes = scopes
        self.claims = claims
        self.signals = signals
        self.policyEpoch = policyEpoch
    }

    /// The byte-exact encoding of docs/tokens.md "Context encoding".
    public var canonicalEncoding: [UInt8] {
        var encoder = ContextEncoder()
        encoder.string(ContextEncoder.domain)
        encoder.string(subject.issuer)
        encoder.string(subject.sub)
        encoder.optionalString(subject.email)
        encoder.optionalString(subject.sid)
        encoder.string(agentID)
        encoder.optionalString(clientID)
        encoder.bool(agentVerified)
        encoder.stringList(chain)
        encoder.stringSet(scopes)
        encoder.object(claims)
        encoder.optionalString(signals.assuranceLevel)
        encoder.string(signals.deviceCompliance.rawValue)
        encoder.string(signals.riskLevel.rawValue)
        encoder.uint64(policyEpoch)
        return encoder.bytes
    }

    public var contextHash: ContextHash {
        ContextHash(validated: SHA256.hash(canonicalEncoding))
    }
}

/// What a caller records about one decision (PROTOCOL.md §8). The writer adds
/// `seq`, `prev` and `hash` when it seals the entry into an `AuditRecord`, so
/// callers cannot get the chain wrong.
public struct AuditEntry: Sendable, Equatable {
    /// UNIX ms of the decision.
    public var ts: UInt64
    public var kind: AuditKind
    public var decision: AuditDecision
    /// The decision id sent to the agent (403 body) and upstream (`RTA-Decision`),
    /// so one id finds the record from either side (PROTOCOL.md §7).
    public var decisionID: String?
    /// Why, in a short stable phrase (e.g. the token wire code, a policy reason).
    public var reason: String?
    /// Ids of the determining policies.
    public var policies: [String]
    /// Error codes met on the way (token `code`s, upstream failures…).
    public var errors: [String]
    /// Session id (hex).
    public var session: String?
    /// `issuer|sub` or whatever the caller uses to name the subject.
    public var subject: String?
    public var agent: String?
    public var chain: [String]
    public var route: String?
    public var method: String?
    public var path: String?
    public var status: Int?
    public var latencyUs: UInt64?

    public init(
        ts: UInt64, kind: AuditKind, decision: AuditDecision, reason: String? = nil, policies: [String] = [],
        errors: [String] = [], session: String? = nil, subject: String? = nil, agent: String? = nil,
        chain: [String] = [], route: String? = nil, method: String? = nil, path: String? = nil,
        status: Int? = nil, latencyUs: UInt64? = nil, decisionID: String? = nil
    ) {
        self.ts = ts
        self.kind = kind
        self.decision = decision
        self.decisionID = decisionID
        self.reason = reason
        self.policies = policies
        self.errors = errors
        self.session = session
        self.subject = subject
        self.agent = agent
        self.chain = chain
        self.route = route
        self.method = method
        self.path = path
        self.status = status
        self.latencyUs = latencyUs
    }
}

/// Which gateway surface made the decision.
public enum AuditKind: String, Sendable, Codable, CaseIterable {
    case request
    case token
    case bind
    case signal
    case admin
}

public enum AuditDecision: String, Sendable, Codable, CaseIterable {
    case allow
    case block
}

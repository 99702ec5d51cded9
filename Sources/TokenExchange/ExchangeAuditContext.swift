import RTATokens

/// What an exchange had established about the caller when it finished, successful
/// or not: the fields the lead's audit record needs (PROTOCOL.md §8 `subject`,
/// `agent`, `session`, `chain`). Each is nil until the step that establishes it ran.
public struct ExchangeAuditContext: Sendable, Equatable {
    /// Set once the subject token verified (or the parent RTA token validated).
    public var subject: Subject?
    /// Set once the form parsed.
    public var agentID: String?
    /// The new session (success only).
    public var sessionID: SessionID?
    /// The parent session, for a sub-delegation whose RTA token validated.
    public var parentSessionID: SessionID?
    /// The new session's chain (success) or the chain it would have had.
    public var chain: [String]
    public var scopes: [String]

    public init(
        subject: Subject? = nil, agentID: String? = nil, sessionID: SessionID? = nil,
        parentSessionID: SessionID? = nil, chain: [String] = [], scopes: [String] = []
    ) {
        self.subject = subject
        self.agentID = agentID
        self.sessionID = sessionID
        self.parentSessionID = parentSessionID
        self.chain = chain
        self.scopes = scopes
    }

    /// `issuer|sub`, the audit log's spelling of a subject (docs/audit.md).
    public var subjectLabel: String? {
        subject?.label
    }
}

import Cedar
import Foundation

/// Everything about the caller a policy may look at, as plain values. The request
/// pipeline fills it from the validated token's session (PROTOCOL §3) so this module
/// needs nothing from token or session types.
public struct AuthorizationFacts: Sendable, Hashable {
    /// The agent acting: the Cedar principal `Agent::"<agentID>"`.
    public var agentID: String
    /// The OAuth client of the session's IdP token (`context.client_id`, absent when none).
    public var clientID: String?
    /// Whether that token proves `agentID` (`context.agent_verified`): a rule naming an
    /// agent should require it, or a client could pick the name itself.
    public var agentVerified: Bool
    /// `agent_meta` from the session, as Cedar values (`null` claims dropped, lists as
    /// sets, objects as records); becomes the agent entity's attributes.
    public var agentMeta: [String: Value]
    /// The delegating user's IdP issuer and subject: the agent's parent
    /// `User::"<issuer>|<subject>"`.
    public var subjectIssuer: String
    public var subjectID: String
    /// Delegation chain, user first then each agent.
    public var chain: [String]
    public var scopes: [String]
    /// CAEP assurance level (e.g. `nist-aal2`); nil before any signal, and then absent
    /// from the context.
    public var assuranceLevel: String?
    public var deviceCompliant: Bool
    /// `unknown`, `low`, `medium` or `high`.
    public var riskLevel: String
    /// The peer address of the QUIC connection, without port.
    public var clientIP: String
    public var now: Date

    public init(
        agentID: String, clientID: String? = nil, agentVerified: Bool = false, agentMeta: [String: Value] = [:],
        subjectIssuer: String, subjectID: String,
        chain: [String], scopes: [String], assuranceLevel: String? = nil, deviceCompliant: Bool = false,
        riskLevel: String = "unknown", clientIP: String, now: Date
    ) {
        self.agentID = agentID
        self.clientID = clientID
        self.agentVerified = agentVerified
        self.agentMeta = agentMeta
        self.subjectIssuer = subjectIssuer
        self.subjectID = subjectID
        self.chain = chain
        self.scopes = scopes
        self.assuranceLevel = assuranceLevel
        self.deviceCompliant = deviceCompliant
        self.riskLevel = riskLevel
        self.clientIP = clientIP
        self.now = now
    }

    /// The user entity id convention: issuer and subject joined by `|`, which cannot be
    /// confused across IdPs the way a bare `sub` could.
    public var userID: String { "\(subjectIssuer)|\(subjectID)" }
}

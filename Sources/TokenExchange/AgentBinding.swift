/// What an IdP token proves about the agent presenting it (PROTOCOL.md §2 `agent_id`).
///
/// `agent_id` is chosen by the client, so a policy that names an agent could be met by
/// any holder of a token of the same user. The token's OAuth client (`client_id` or
/// `azp`) is what the IdP vouches for: an `agent_id` is *verified* when it equals that
/// client id or the IdP entry's `agents` registry lists it for that client. Policy sees
/// both (`context.client_id`, `context.agent_verified`); `require_verified_agent`
/// refuses unverified ones at the exchange.
public struct AgentBinding: Sendable, Equatable {
    /// The token's client, nil when it names none (then no agent id is verified).
    public let clientID: String?
    /// The registry entry for `clientID`: agent ids (child agents included) it may run.
    public let registered: Set<String>
    /// The IdP entry's `require_verified_agent`.
    public let required: Bool

    public init(clientID: String?, registered: Set<String> = [], required: Bool = false) {
        self.clientID = clientID
        self.registered = registered
        self.required = required
    }

    /// The root agent of a new session: the client itself or one it registered.
    public func verifies(_ agentID: String) -> Bool {
        guard let clientID else { return false }
        return agentID == clientID || registered.contains(agentID)
    }

    /// A sub-delegated agent: only a registered one, under a verified parent. The
    /// client id itself is not accepted here: a child named like the root client is
    /// still a name the parent agent chose.
    public func verifiesChild(_ agentID: String, parentVerified: Bool) -> Bool {
        parentVerified && clientID != nil && registered.contains(agentID)
    }
}

import Cedar

/// Whether a session may go on at all after its context changed (PROTOCOL.md §5:
/// "re-evaluate, and push a fresh token (or a revocation if policy now denies the
/// session)").
///
/// A session has no route, so the question is a synthetic request: principal the
/// agent, action `Action::"rta:session"`, resource `Session::"<id>"`, and the context
/// fields that describe a session (no `method`, `path` or `client_ip`: there is no
/// request, and inventing values could trip a policy). Cedar's default deny does not
/// count — no permit is expected to name this action — only a satisfied `forbid`
/// does, such as `forbid (principal, action, resource) when { context.risk_level ==
/// "high" }`: a rule that would refuse every request of the session anyway, so the
/// session is revoked instead of being left to collect 403s. A policy that fails to
/// evaluate revokes nothing (the requests themselves still fail closed with 403).
public enum SessionPolicyCheck {
    public static let action = "rta:session"
    public static let resourceType = "Session"

    public enum Verdict: Sendable, Equatable {
        case continues
        /// These `forbid` policies matched: revoke the session.
        case forbidden(policies: [String])
    }

    public static func evaluate(sessionID: String, facts: AuthorizationFacts, store: PolicyStore?) -> Verdict {
        guard let snapshot = store?.snapshot else { return .continues }
        let request = PolicyRequest(
            action: action, resource: EntityUID(type: resourceType, id: sessionID),
            context: PolicyRequest.sessionContext(facts), facts: facts)
        let decision = PolicyDecision.evaluate(request, snapshot: snapshot)
        return decision.reason == .forbidden ? .forbidden(policies: decision.determiningPolicies) : .continues
    }
}

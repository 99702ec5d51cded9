import Cedar
import Foundation
import GatewayPolicy
import RTATokens

/// Builds the policy step's `AuthorizationFacts` from a validated session, so the
/// policy module needs nothing from token types (docs/policies.md).
enum SessionAuthorizationFacts {
    /// `clientIP`: the request's peer address as text; empty without a request (a
    /// session-level policy check), where the client address is unknown.
    static func facts(for session: Session, clientIP: String = "") -> AuthorizationFacts {
        AuthorizationFacts(
            agentID: session.agentID, clientID: session.clientID, agentVerified: session.agentVerified,
            agentMeta: session.agentMeta.compactMapValues(cedarValue),
            subjectIssuer: session.subject.issuer, subjectID: session.subject.sub, chain: session.chain,
            scopes: session.scopes, assuranceLevel: session.signals.assuranceLevel,
            deviceCompliant: session.signals.deviceCompliance == .compliant,
            riskLevel: session.signals.riskLevel.rawValue, clientIP: clientIP,
            now: Date())
    }

    /// `null` claims are dropped (Cedar has no null); lists become sets, objects records.
    static func cedarValue(_ claim: ClaimValue) -> Value? {
        switch claim {
        case .null: nil
        case .bool(let value): .bool(value)
        case .integer(let value): .long(value)
        case .string(let value): .string(value)
        case .list(let items): .set(Set(items.compactMap(cedarValue)))
        case .object(let members): .record(members.compactMapValues(cedarValue))
        }
    }
}

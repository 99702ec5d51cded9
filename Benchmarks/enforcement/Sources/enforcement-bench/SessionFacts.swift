import Cedar
import Foundation
import GatewayPolicy
import RTATokens

/// The policy step's input built from a session exactly as the gateway's
/// `SessionAuthorizationFacts` does (that type is internal to the `Gateway` module,
/// which the benchmark does not build): the benchmark pays the same per-request cost.
enum SessionFacts {
    static func facts(for session: Session, clientIP: String) -> AuthorizationFacts {
        AuthorizationFacts(
            agentID: session.agentID, agentMeta: session.agentMeta.compactMapValues(cedarValue),
            subjectIssuer: session.subject.issuer, subjectID: session.subject.sub, chain: session.chain,
            scopes: session.scopes, assuranceLevel: session.signals.assuranceLevel,
            deviceCompliant: session.signals.deviceCompliance == .compliant,
            riskLevel: session.signals.riskLevel.rawValue, clientIP: clientIP, now: Date())
    }

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

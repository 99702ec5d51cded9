import Cedar
import Foundation
import GatewayConfig
import Testing

@testable import GatewayPolicy

/// The session-level re-check after a context change: only a satisfied `forbid`
/// revokes; Cedar's default deny and evaluation errors do not.
@Suite struct SessionPolicyCheckTests {
    static func facts(risk: String) -> AuthorizationFacts {
        AuthorizationFacts(agentID: "agent-1", subjectIssuer: "https://idp.example", subjectID: "alice",
                           chain: ["alice", "agent-1"], scopes: ["orders:read"], riskLevel: risk, clientIP: "", now: Date())
    }

    static func store(_ policies: String) throws -> (PolicyStore, PolicyFolder) {
        let folder = try PolicyFolder()
        try folder.write("main.cedar", policies)
        let store = PolicyStore(configuration: folder.configuration())
        _ = try store.reload()
        return (store, folder)
    }

    @Test func aWholeSessionForbidRevokes() throws {
        let (store, folder) = try Self.store("""
            @id("forbid-high-risk")
            forbid (principal, action, resource) when { context.risk_level == "high" };
            @id("orders") permit (principal, action == Action::"ReadOrder", resource);
            """)
        defer { folder.remove() }
        #expect(SessionPolicyCheck.evaluate(sessionID: "s1", facts: Self.facts(risk: "high"), store: store)
            == .forbidden(policies: ["forbid-high-risk"]))
        #expect(SessionPolicyCheck.evaluate(sessionID: "s1", facts: Self.facts(risk: "low"), store: store) == .continues,
                "no permit names rta:session: default deny must not revoke")
    }

    @Test func errorsAndNoStoreDoNotRevoke() throws {
        let (store, folder) = try Self.store("""
            @id("needs-path")
            forbid (principal, action, resource) when { context.path like "/admin*" };
            """)
        defer { folder.remove() }
        #expect(SessionPolicyCheck.evaluate(sessionID: "s1", facts: Self.facts(risk: "high"), store: store) == .continues,
                "a policy reading a request-only field errors on the session check and revokes nothing")
        #expect(SessionPolicyCheck.evaluate(sessionID: "s1", facts: Self.facts(risk: "high"), store: nil) == .continues)
    }
}

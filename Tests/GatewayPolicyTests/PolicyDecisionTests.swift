import Cedar
import Foundation
import GatewayConfig
import Testing

@testable import GatewayPolicy

/// Decisions against the repository's own `gateway.yaml` and `policies/`, so the default
/// set is known to load, validate against its schema and mean what docs/policies.md says.
@Suite struct PolicyDecisionTests {
    let config: GatewayConfig
    let store: PolicyStore

    init() throws {
        config = try GatewayConfig.load(path: PolicyFolder.repositoryRoot + "/gateway.yaml")
        store = PolicyStore(configuration: config.policies)
        try store.reload()
    }

    private func route(_ name: String) throws -> RouteConfig {
        try #require(config.routes.first { $0.name == name })
    }

    private func facts(scopes: [String], risk: String = "low", compliant: Bool = true) -> AuthorizationFacts {
        AuthorizationFacts(
            agentID: "agent-7", subjectIssuer: "https://idp.example", subjectID: "alice",
            chain: ["https://idp.example|alice", "agent-7"], scopes: scopes, deviceCompliant: compliant,
            riskLevel: risk, clientIP: "2001:db8::1", now: Date())
    }

    @Test func defaultSetLoadsWithTheSchema() throws {
        let snapshot = try #require(store.snapshot)
        #expect(snapshot.schema != nil)
        #expect(snapshot.policies.policies.map(\.id.rawValue).sorted() == [
            "bytes-download", "forbid-deep-delegation", "forbid-high-risk", "orders-create", "orders-list", "orders-read",
        ])
    }

    @Test func readOrderNeedsTheScope() throws {
        let allowed = PolicyDecision.evaluate(
            route: try route("order"), method: "GET", path: "/orders/42", parameters: ["id": "42"],
            facts: facts(scopes: ["orders:read"]), store: store)
        #expect(allowed.isAllowed)
        #expect(allowed.reason == .permitted)
        #expect(allowed.determiningPolicies == ["orders-read"])
        #expect(allowed.epoch == 1)
        let denied = PolicyDecision.evaluate(
            route: try route("order"), method: "GET", path: "/orders/42", parameters: ["id": "42"],
            facts: facts(scopes: ["bytes:read"]), store: store)
        #expect(!denied.isAllowed)
        #expect(denied.reason == .noMatchingPermit)
        #expect(denied.determiningPolicies.isEmpty)
    }

    @Test func highRiskIsForbiddenEverywhere() throws {
        let decision = PolicyDecision.evaluate(
            route: try route("order"), method: "GET", path: "/orders/42", parameters: ["id": "42"],
            facts: facts(scopes: ["orders:read"], risk: "high"), store: store)
        #expect(!decision.isAllowed)
        #expect(decision.reason == .forbidden)
        #expect(decision.determiningPolicies == ["forbid-high-risk"])
    }

    @Test func creatingAnOrderNeedsWriteScopeAndACompliantDevice() throws {
        let orders = try route("orders")
        let create = { (scopes: [String], compliant: Bool) in
            PolicyDecision.evaluate(
                route: orders, method: "POST", path: "/orders", parameters: [:],
                facts: facts(scopes: scopes, compliant: compliant), store: store)
        }
        #expect(create(["orders:read", "orders:write"], true).determiningPolicies == ["orders-create"])
        #expect(!create(["orders:read"], true).isAllowed)
        #expect(!create(["orders:write"], false).isAllowed)
    }

    @Test func noLoadedSetDenies() throws {
        let empty = PolicyStore(configuration: PoliciesConfig(directory: "/nonexistent/rta-policies"))
        let decision = PolicyDecision.evaluate(
            route: try route("order"), method: "GET", path: "/orders/42", parameters: ["id": "42"],
            facts: facts(scopes: ["orders:read"]), store: empty)
        #expect(!decision.isAllowed)
        #expect(decision.reason == .noPolicySet)
        #expect(decision.epoch == nil)
    }

    @Test func unmappableRequestDenies() throws {
        var bad = facts(scopes: ["orders:read"])
        bad.clientIP = "10.0.0.300"
        let decision = PolicyDecision.evaluate(
            route: try route("order"), method: "GET", path: "/orders/42", parameters: ["id": "42"], facts: bad, store: store)
        #expect(!decision.isAllowed)
        #expect(decision.reason == .mappingFailed)
        #expect(decision.detail == "client address \"10.0.0.300\" is not an IP address")
    }

    @Test func anErroringPolicyMakesTheAnswerDenyEvenWhenAPermitMatches() throws {
        let folder = try PolicyFolder()
        defer { folder.remove() }
        try folder.write("a.cedar", """
            @id("allow-all")
            permit (principal, action, resource);
            @id("broken-forbid")
            forbid (principal, action, resource) when { context.no_such_field == 1 };
            """)
        let unvalidated = PolicyStore(configuration: folder.configuration())
        try unvalidated.reload()
        let decision = PolicyDecision.evaluate(
            route: try route("order"), method: "GET", path: "/orders/42", parameters: ["id": "42"],
            facts: facts(scopes: []), store: unvalidated)
        #expect(!decision.isAllowed)
        #expect(decision.reason == .evaluationError)
        #expect(decision.determiningPolicies == ["allow-all"])
        #expect(decision.failures.map(\.policyID) == ["broken-forbid"])
        #expect(decision.failures.first?.message.contains("no_such_field") == true)
    }

    @Test func staticEntitiesJoinTheRequestEntities() throws {
        let folder = try PolicyFolder()
        defer { folder.remove() }
        try folder.write("a.cedar", """
            @id("admins")
            permit (principal in Group::"admins", action, resource) when { principal.team == "ops" };
            """)
        try folder.write("entities.json", """
            [{"uid": {"type": "User", "id": "https://idp.example|alice"}, "attrs": {},
              "parents": [{"type": "Group", "id": "admins"}]},
             {"uid": {"type": "Group", "id": "admins"}, "attrs": {}, "parents": []},
             {"uid": {"type": "Agent", "id": "agent-7"}, "attrs": {"team": "ops"}, "parents": []}]
            """)
        let withEntities = PolicyStore(configuration: folder.configuration(entities: "entities.json"))
        try withEntities.reload()
        let decision = PolicyDecision.evaluate(
            route: try route("order"), method: "GET", path: "/orders/42", parameters: ["id": "42"],
            facts: facts(scopes: []), store: withEntities)
        #expect(decision.isAllowed)
        #expect(decision.determiningPolicies == ["admins"])
    }
}

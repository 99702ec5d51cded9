import Cedar
import Foundation
@testable import GatewayConfig
import Testing

@testable import GatewayPolicy

@Suite struct PolicyRequestTests {
    static let facts = AuthorizationFacts(
        agentID: "agent-7", clientID: "shop-client", agentVerified: true, agentMeta: ["name": .string("buyer-bot")],
        subjectIssuer: "https://idp.example", subjectID: "alice",
        chain: ["https://idp.example|alice", "agent-7"], scopes: ["orders:read", "orders:write"],
        assuranceLevel: "nist-aal2", deviceCompliant: true, riskLevel: "low",
        clientIP: "192.0.2.10", now: Date(timeIntervalSince1970: 1_700_000_000.123))

    static func template(_ text: String) throws -> RoutePath {
        let config = try GatewayConfig.parse(yaml: """
            listen: { quic: 127.0.0.1:4433, cert: c.pem, key: k.pem }
            upstreams: [{ name: u, urls: [http://127.0.0.1:1] }]
            routes: [{ name: r, path: { template: "\(text)" }, upstream: u, public: true }]
            """, fileName: "t.yaml")
        return config.routes[0].path
    }

    @Test func declaredActionAndResourceWithPathParameters() throws {
        let route = RouteConfig(
            name: "order", path: try Self.template("/shops/{shop}/orders/{id}"), upstream: "u",
            policy: RoutePolicy(action: "ReadOrder", resourceType: "Shop::Order",
                                resourceID: try ResourceIDTemplate.parse("{shop}/{id}").get()))
        let mapped = try PolicyRequest(
            route: route, method: "GET", path: "/shops/s1/orders/a b", parameters: ["shop": "s1", "id": "a b"],
            facts: Self.facts)
        #expect(mapped.request.principal == EntityUID(type: "Agent", id: "agent-7"))
        #expect(mapped.request.action == EntityUID(type: "Action", id: "ReadOrder"))
        #expect(mapped.request.resource == EntityUID(type: "Shop::Order", id: "s1/a b"))
        #expect(mapped.entities == [
            Entity(uid: EntityUID(type: "Agent", id: "agent-7"), attributes: ["name": .string("buyer-bot")],
                   parents: [EntityUID(type: "User", id: "https://idp.example|alice")]),
            Entity(uid: EntityUID(type: "User", id: "https://idp.example|alice")),
        ])
        let context = mapped.request.context
        #expect(context["scopes"] == .set([.string("orders:read"), .string("orders:write")]))
        #expect(context["chain"] == .set([.string("https://idp.example|alice"), .string("agent-7")]))
        #expect(context["chain_depth"] == .long(2))
        #expect(context["assurance_level"] == .string("nist-aal2"))
        #expect(context["device_compliant"] == .bool(true))
        #expect(context["risk_level"] == .string("low"))
        #expect(context["client_id"] == .string("shop-client"))
        #expect(context["agent_verified"] == .bool(true))
        #expect(context["client_ip"] == .ext(.ipaddr(try #require(IPAddr.parse("192.0.2.10")))))
        #expect(context["time"] == .ext(.datetime(CedarDatetime(millisecondsSinceEpoch: 1_700_000_000_123))))
        #expect(context["method"] == .string("GET"))
        #expect(context["path"] == .string("/shops/s1/orders/a b"))
    }

    /// A token naming no client: `client_id` is absent (test with `context has client_id`)
    /// and the agent is not verified.
    @Test func anUnboundAgentIsVisibleToPolicy() throws {
        var facts = Self.facts
        facts.clientID = nil
        facts.agentVerified = false
        let context = PolicyRequest.sessionContext(facts)
        #expect(context["client_id"] == nil)
        #expect(context["agent_verified"] == .bool(false))
    }

    @Test func actionIsDerivedFromMethodAndRoutePathWhenNotDeclared() throws {
        let route = RouteConfig(
            name: "order", path: try Self.template("/orders/{id}"), upstream: "u",
            policy: RoutePolicy(resourceType: "Order", resourceID: try ResourceIDTemplate.parse("{id}").get()))
        let mapped = try PolicyRequest(route: route, method: "DELETE", path: "/orders/9", parameters: ["id": "9"], facts: Self.facts)
        #expect(mapped.request.action == EntityUID(type: "Action", id: "DELETE /orders/{id}"))
        #expect(mapped.request.resource == EntityUID(type: "Order", id: "9"))
    }

    @Test func resourceDefaultsToRouteNameAndRouteWithoutPolicyIsARouteEntity() throws {
        let collection = RouteConfig(
            name: "orders", path: .exact("/orders"), upstream: "u", policy: RoutePolicy(resourceType: "OrderCollection"))
        let mapped = try PolicyRequest(route: collection, method: "GET", path: "/orders", parameters: [:], facts: Self.facts)
        #expect(mapped.request.resource == EntityUID(type: "OrderCollection", id: "orders"))
        let bare = RouteConfig(name: "files", path: .prefix("/files/"), upstream: "u")
        let unmapped = try PolicyRequest(route: bare, method: "GET", path: "/files/x", parameters: [:], facts: Self.facts)
        #expect(unmapped.request.action == EntityUID(type: "Action", id: "GET /files/"))
        #expect(unmapped.request.resource == EntityUID(type: "Route", id: "files"))
    }

    @Test func noAssuranceLevelLeavesTheAttributeOut() throws {
        var facts = Self.facts
        facts.assuranceLevel = nil
        let route = RouteConfig(name: "files", path: .prefix("/files/"), upstream: "u")
        let mapped = try PolicyRequest(route: route, method: "GET", path: "/files/x", parameters: [:], facts: facts)
        #expect(mapped.request.context["assurance_level"] == nil)
    }

    @Test func badClientIPAndMissingParameterAreTypedErrors() throws {
        var facts = Self.facts
        facts.clientIP = "not-an-ip"
        let route = RouteConfig(
            name: "order", path: try Self.template("/orders/{id}"), upstream: "u",
            policy: RoutePolicy(resourceType: "Order", resourceID: try ResourceIDTemplate.parse("{id}").get()))
        #expect(throws: PolicyMappingError(.invalidClientIP, "client address \"not-an-ip\" is not an IP address")) {
            try PolicyRequest(route: route, method: "GET", path: "/orders/1", parameters: ["id": "1"], facts: facts)
        }
        #expect(throws: PolicyMappingError(.missingPathParameter, "route \"order\" has no captured value for id")) {
            try PolicyRequest(route: route, method: "GET", path: "/orders/1", parameters: [:], facts: Self.facts)
        }
    }
}

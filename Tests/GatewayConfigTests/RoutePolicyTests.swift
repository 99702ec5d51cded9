import Testing

@testable import GatewayConfig

/// The `policy` block of a route: typed, and checked against the route's path template.
@Suite struct RoutePolicyTests {
    private let policyLine = #"policy: { action: ReadOrder, resource_type: Order, resource_id: "order-{id}" }"#

    private func errors(policy: String) -> [String] {
        let yaml = validYAML.replacingOccurrences(of: policyLine, with: policy)
        do {
            _ = try GatewayConfig.parse(yaml: withTokens(yaml), fileName: "gateway.yaml")
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    @Test func actionIsOptionalAndResourceIDMayBeLiteral() throws {
        let yaml = validYAML.replacingOccurrences(of: policyLine, with: "policy: { resource_type: Shop::Order, resource_id: all }")
        let config = try GatewayConfig.parse(yaml: withTokens(yaml), fileName: "gateway.yaml")
        #expect(config.routes[1].policy == RoutePolicy(
            action: nil, resourceType: "Shop::Order", resourceID: ResourceIDTemplate(parts: [.literal("all")], description: "all")))
    }

    @Test func resourceIDParameterMustBeCapturedByTheRoute() {
        #expect(errors(policy: #"policy: { action: ReadOrder, resource_type: Order, resource_id: "{order}" }"#) == [
            #"gateway.yaml:22:69: routes[1].policy.resource_id: resource_id uses {order}, but the route's path captures {id}"#,
        ])
    }

    @Test func resourceIDOnAPathWithoutParameters() {
        let yaml = validYAML.replacingOccurrences(
            of: "    upstream: users\n", with: "    upstream: users\n    policy: { resource_type: User, resource_id: \"{id}\" }\n")
        do {
            _ = try GatewayConfig.parse(yaml: withTokens(yaml), fileName: "gateway.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.errors.map(\.description) == [
                #"gateway.yaml:26:49: routes[2].policy.resource_id: resource_id uses {id}, but the route's path has no parameters (use a template path such as "/orders/{id}")"#,
            ])
        }
    }

    @Test func badNamesAndKeysAreReportedWhereWritten() {
        #expect(errors(policy: #"policy: { action: "", resource_type: "Order-Item", resource_id: "{id", extra: 1 }"#) == [
            #"gateway.yaml:22:23: routes[1].policy.action: must not be empty"#,
            #"gateway.yaml:22:42: routes[1].policy.resource_type: invalid Cedar entity type "Order-Item": use identifiers joined by ::, e.g. "Order" or "Shop::Order""#,
            #"gateway.yaml:22:69: routes[1].policy.resource_id: invalid resource_id "{id": unbalanced brace; write a parameter as {name}"#,
            #"gateway.yaml:22:76: routes[1].policy.extra: unknown key "extra" (known keys: action, resource_type, resource_id)"#,
        ])
    }

    @Test func resourceTypeIsRequired() {
        #expect(errors(policy: "policy: { action: ReadOrder }") == [
            #"gateway.yaml:22:13: routes[1].policy: missing required key "resource_type""#,
        ])
    }

    @Test func publicRouteCannotHaveAPolicy() {
        let yaml = validYAML.replacingOccurrences(
            of: "    public: true\n", with: "    public: true\n    policy: { resource_type: Page }\n")
        do {
            _ = try GatewayConfig.parse(yaml: withTokens(yaml), fileName: "gateway.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.errors.map(\.description) == [
                "gateway.yaml:17:13: routes[0].policy: a public route is forwarded without a token, so its policy would never run; remove one of them",
            ])
        }
    }

    @Test func resourceIDRendersFromCaptures() throws {
        let template = try ResourceIDTemplate.parse("{tenant}/{id}").get()
        #expect(template.parameters == ["tenant", "id"])
        #expect(template.render(["tenant": "acme", "id": "42"]) == "acme/42")
        #expect(template.render(["id": "42"]) == nil)
    }
}

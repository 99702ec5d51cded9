import Testing
import TokenExchange

@Suite struct AgentBindingTests {
    let binding = AgentBinding(clientID: "dev-agent", registered: ["planner", "coder"], required: true)

    @Test func theClientAndItsRegisteredAgentsAreVerified() {
        #expect(binding.verifies("dev-agent"))
        #expect(binding.verifies("planner"))
        #expect(!binding.verifies("payments-admin"))
        #expect(!AgentBinding(clientID: nil, registered: ["planner"]).verifies("planner"), "no client, nothing proven")
    }

    @Test func aChildAgentNeedsARegistrationAndAVerifiedParent() {
        #expect(binding.verifiesChild("coder", parentVerified: true))
        #expect(!binding.verifiesChild("coder", parentVerified: false))
        #expect(!binding.verifiesChild("dev-agent", parentVerified: true))
        #expect(!binding.verifiesChild("rogue", parentVerified: true))
    }

    @Test func theRegistryIsReadPerClient() {
        let config = IdentityProviderConfig(
            issuer: "https://idp.test", audiences: ["gw"], validation: .jwks(url: "https://idp.test/jwks"),
            agents: ["dev-agent": ["planner"]], requireVerifiedAgent: true)
        #expect(config.agentBinding(clientID: "dev-agent") == AgentBinding(clientID: "dev-agent", registered: ["planner"], required: true))
        #expect(config.agentBinding(clientID: "other").registered.isEmpty)
    }
}

import Testing

@testable import GatewayConfig

/// The `identity_providers` keys of issue 20: `email_authoritative`, the `agents`
/// registry and `require_verified_agent`. `validYAML` has 25 lines, so the appended
/// section starts on line 26.
@Suite struct IdentityProviderSettingsTests {
    private static let entry = """
        identity_providers:
          - issuer: https://idp.example.com/
            audience: rta-gateway
            jwks_url: https://idp.example.com/jwks

        """

    @Test func defaultsProveNothingExtra() throws {
        let provider = try #require(try SecretFolder().parse(Self.entry).identityProviders.first)
        #expect(!provider.emailAuthoritative)
        #expect(provider.agents.isEmpty)
        #expect(!provider.requireVerifiedAgent)
    }

    @Test func everyKeyIsRead() throws {
        let config = try SecretFolder().parse(Self.entry + """
                email_authoritative: true
                agents: { dev-agent: [planner, coder], "ci-bot": [ci-bot-child] }
                require_verified_agent: true

            """)
        let provider = try #require(config.identityProviders.first)
        #expect(provider.emailAuthoritative)
        #expect(provider.agents == ["dev-agent": ["planner", "coder"], "ci-bot": ["ci-bot-child"]])
        #expect(provider.requireVerifiedAgent)
        let again = try GatewayConfig.parse(yaml: config.renderYAML(), fileName: "gateway.yaml")
        #expect(again.identityProviders == config.identityProviders)
    }

    @Test func wrongShapesAreReportedWhereWritten() throws {
        let folder = try SecretFolder()
        #expect(folder.errors(Self.entry + "    email_authoritative: yes please\n    agents: [planner]\n") == [
            #"30:26: identity_providers[0].email_authoritative: expected true or false, found a string ("yes please")"#,
            "31:13: identity_providers[0].agents: expected a mapping of client_id to agent ids, e.g. {dev-agent: [planner]}",
        ])
        #expect(folder.errors(Self.entry + "    agents: { dev-agent: [] }\n    require_verified_agent: 1\n") == [
            "30:26: identity_providers[0].agents.dev-agent: list at least one agent id for client dev-agent",
            "31:29: identity_providers[0].require_verified_agent: expected true or false, found a number (1)",
        ])
    }
}

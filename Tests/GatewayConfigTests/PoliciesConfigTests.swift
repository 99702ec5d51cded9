import Testing

@testable import GatewayConfig

/// The top-level `policies` section: defaults, relative paths, and errors.
@Suite struct PoliciesConfigTests {
    @Test func everyKeyWithRelativePathsResolved() throws {
        let yaml = validYAML + """
            policies:
              directory: cedar
              schema: cedar/schema.cedarschema
              entities: /etc/rta/entities.json
              reload: { watch: false, interval: 500ms }

            """
        let config = try GatewayConfig.parse(yaml: withTokens(yaml), fileName: "/srv/rta/gateway.yaml")
        #expect(config.policies == PoliciesConfig(
            directory: "/srv/rta/cedar", schemaPath: "/srv/rta/cedar/schema.cedarschema",
            entitiesPath: "/etc/rta/entities.json", watch: false, interval: .milliseconds(500)))
        let again = try GatewayConfig.parse(yaml: withTokens(config.renderYAML()), fileName: "/elsewhere/gateway.yaml")
        #expect(again == config)
    }

    @Test func emptySectionMeansDefaults() throws {
        let yaml = validYAML + "policies: { reload: {} }\n"
        let config = try GatewayConfig.parse(yaml: withTokens(yaml), fileName: "/srv/rta/gateway.yaml")
        #expect(config.policies == PoliciesConfig(directory: "/srv/rta/policies", watch: true, interval: .seconds(2)))
    }

    @Test func badValuesPointAtTheKey() {
        let yaml = validYAML + """
            policies:
              directory: 7
              reload: { watch: maybe, interval: 2 seconds, every: 1s }

            """
        do {
            _ = try GatewayConfig.parse(yaml: withTokens(yaml), fileName: "gateway.yaml")
            Issue.record("expected errors")
        } catch {
            #expect(error.errors.map(\.description) == [
                #"gateway.yaml:28:20: policies.reload.watch: expected true or false, found a string ("maybe")"#,
                #"gateway.yaml:28:37: policies.reload.interval: invalid duration "2 seconds": use a whole number followed by ms, s, m or h, e.g. "250ms", "5s", "2m""#,
                #"gateway.yaml:28:48: policies.reload.every: unknown key "every" (known keys: watch, interval)"#,
            ])
        }
    }
}

import Testing

@testable import GatewayConfig

/// Each error class, asserted with its exact line, column, key path and message.
@Suite struct ConfigErrorTests {
    /// `tokens: false` parses `yaml` exactly as given (syntax errors, empty documents).
    private func errors(_ yaml: String, tokens: Bool = true) -> [ConfigError] {
        do {
            _ = try GatewayConfig.parse(yaml: tokens ? withTokens(yaml) : yaml, fileName: "gateway.yaml")
            return []
        } catch {
            return error.errors
        }
    }

    private func replacing(_ old: String, with new: String) -> String {
        precondition(validYAML.contains(old), "test fixture does not contain \(old)")
        return validYAML.replacingOccurrences(of: old, with: new)
    }

    @Test func formatIsFileLineColumnKeyMessage() {
        let error = ConfigError(
            .unknownUpstream, file: "gateway.yaml", line: 12, column: 7, keyPath: "routes[2].upstream",
            message: #"no upstream named "billing" (defined: orders, users)"#)
        #expect(error.description
            == #"gateway.yaml:12:7: routes[2].upstream: no upstream named "billing" (defined: orders, users)"#)
    }

    @Test func yamlSyntaxErrorKeepsTheParsersPosition() {
        let found = errors(replacing("    upstream: users\n", with: "    upstream: [users\n"), tokens: false)
        #expect(found.map(\.code) == [.yamlSyntax])
        #expect(found.map(\.description) == [
            "gateway.yaml:26:1: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence at line 25, column 15)",
        ])
    }

    @Test func unknownKeySuggestsTheClosestKnownKey() {
        let found = errors(replacing("    upstream: users", with: "    upstrem: users"))
        #expect(found.map(\.description) == [
            #"gateway.yaml:23:5: routes[2]: missing required key "upstream""#,
            #"gateway.yaml:25:5: routes[2].upstrem: unknown key "upstrem" (did you mean "upstream"?)"#,
        ])
    }

    @Test func unknownTopLevelSectionListsKnownKeysWhenNothingIsClose() {
        let found = errors(validYAML + "tracing:\n  sample: 1\n")
        #expect(found.map(\.description) == [
            #"gateway.yaml:26:1: tracing: unknown key "tracing" (known keys: listen, upstreams, routes, policies, tokens, identity_providers, audit, signals, admin, limits)"#,
        ])
    }

    @Test func wrongTypeNamesWhatWasFound() {
        let found = errors(replacing("    audit: false", with: "    audit: \"yes please\""))
        #expect(found.map(\.description) == [
            #"gateway.yaml:15:12: routes[0].audit: expected true or false, found a string ("yes please")"#,
        ])
    }

    @Test func missingRequiredKeyPointsAtTheMapping() {
        let found = errors(replacing("  key: /etc/rta/dev-key.pem\n", with: ""))
        #expect(found.map(\.description) == [#"gateway.yaml:2:3: listen: missing required key "key""#])
    }

    @Test func badValuesSayWhatIsExpected() {
        var yaml = replacing("connect_timeout: 250ms", with: "connect_timeout: 5 seconds")
        yaml = yaml.replacingOccurrences(of: "quic: 127.0.0.1:4433", with: "quic: localhost")
        yaml = yaml.replacingOccurrences(of: "http://127.0.0.1:8082", with: "ftp://127.0.0.1:8082")
        #expect(errors(yaml).map(\.description) == [
            #"gateway.yaml:2:9: listen.quic: invalid address "localhost": expected host:port, e.g. "127.0.0.1:4433" or "[::1]:4433""#,
            #"gateway.yaml:8:22: upstreams[0].connect_timeout: invalid duration "5 seconds": use a whole number followed by ms, s, m or h, e.g. "250ms", "5s", "2m""#,
            #"gateway.yaml:10:12: upstreams[1].urls[0]: invalid upstream URL "ftp://127.0.0.1:8082": scheme must be http or https"#,
        ])
    }

    @Test func routeValuesAreCheckedWhereTheyAreWritten() {
        var yaml = replacing(#"host: "*.example.com""#, with: #"host: "api.example.com:443""#)
        yaml = yaml.replacingOccurrences(of: #"template: "/orders/{id}""#, with: #"template: "/orders/x{id}""#)
        yaml = yaml.replacingOccurrences(of: #"policy: { action: ReadOrder, resource_type: Order, resource_id: "order-{id}" }"#,
                                         with: "policy: [ReadOrder]")
        #expect(errors(yaml).map(\.description) == [
            #"gateway.yaml:18:11: routes[1].host: invalid host "api.example.com:443": expected a host name without port, e.g. "api.example.com" or "*.example.com""#,
            #"gateway.yaml:19:23: routes[1].path.template: invalid template "/orders/x{id}": "x{id}": a parameter must be a whole segment, e.g. /orders/{id}"#,
            "gateway.yaml:22:13: routes[1].policy: expected a mapping, found a list",
        ])
    }

    @Test func stripPrefixNeedsAPrefixPath() {
        let found = errors(replacing("    upstream: users\n", with: "    upstream: users\n    strip_prefix: true\n"))
        #expect(found.map(\.description) == [
            "gateway.yaml:26:19: routes[2].strip_prefix: strip_prefix applies only to a prefix path",
        ])
    }

    @Test func duplicateRouteNamePointsBackToTheFirst() {
        let found = errors(replacing("  - name: users\n    path", with: "  - name: order\n    path"))
        #expect(found.map(\.description) == [
            #"gateway.yaml:23:11: routes[2].name: duplicate route name "order" (first defined at routes[1].name, line 17)"#,
        ])
    }

    @Test func duplicateUpstreamNamePointsBackToTheFirst() {
        let found = errors(replacing("  - name: users\n    urls", with: "  - name: orders\n    urls"))
        #expect(found.map(\.description) == [
            #"gateway.yaml:9:11: upstreams[1].name: duplicate upstream name "orders" (first defined at upstreams[0].name, line 6)"#,
            #"gateway.yaml:25:15: routes[2].upstream: no upstream named "users" (defined: orders)"#,
        ])
    }

    @Test func referenceToMissingUpstreamListsTheDefinedOnes() {
        let found = errors(replacing("    upstream: users", with: "    upstream: billing"))
        #expect(found.map(\.description) == [
            #"gateway.yaml:25:15: routes[2].upstream: no upstream named "billing" (defined: orders, users)"#,
        ])
    }

    @Test func routeShadowedByAnEarlierPrefixIsUnreachable() {
        let found = errors(validYAML + """
              - name: public-docs
                path: { prefix: /public/docs/ }
                upstream: users

            """)
        #expect(found.map(\.description) == [
            #"gateway.yaml:27:11: routes[3].path: route "public-docs" is unreachable: route "public" (routes[0]) comes first and matches every request it would match"#,
        ])
    }

    @Test func routeWithNarrowerMethodsOrOtherHostIsNotShadowed() throws {
        let yaml = validYAML + """
              - name: order-anywhere
                path: { template: "/orders/{order}" }
                upstream: users

            """
        let config = try GatewayConfig.parse(yaml: withTokens(yaml), fileName: "gateway.yaml")
        #expect(config.routes.count == 4)
    }

    @Test func allErrorsAreCollectedInOnePassInDocumentOrder() {
        var yaml = replacing("    upstream: users", with: "    upstream: billing")
        yaml = yaml.replacingOccurrences(of: "connect_timeout: 250ms", with: "connect_timeout: soon")
        yaml = yaml.replacingOccurrences(of: "methods: [GET, PUT]", with: "methods: [get]")
        let found = errors(yaml)
        #expect(found.map(\.code) == [.badValue, .badValue, .unknownUpstream])
        #expect(found.map(\.line) == [8, 20, 25])
        #expect(found[1].description
            == #"gateway.yaml:20:15: routes[1].methods[0]: invalid method "get": methods are upper-case tokens, e.g. "GET""#)
    }

    @Test func emptyDocumentIsAnError() {
        #expect(errors("", tokens: false).map(\.description) == [
            "gateway.yaml:1:1: the configuration is empty (expected keys: listen, upstreams, routes)",
        ])
    }

    /// Fail closed: no configuration forwards a protected route without token checks.
    @Test func protectedRoutesWithoutATokensSectionAreRefused() {
        let found: [String]
        do {
            _ = try GatewayConfig.parse(yaml: validYAML, fileName: "gateway.yaml")
            found = []
        } catch {
            found = error.errors.map(\.description)
        }
        let advice = "but there is no tokens section to check its requests; add a tokens section, "
            + "or mark the route public: true to forward it without a token"
        #expect(found == [
            #"gateway.yaml:17:5: routes[1]: route "order" is protected, "# + advice,
            #"gateway.yaml:23:5: routes[2]: route "users" is protected, "# + advice,
        ])
    }

    @Test func onlyPublicRoutesMayTurnTheirAuditOff() {
        let found = errors(replacing("    upstream: users\n", with: "    upstream: users\n    audit: false\n"))
        #expect(found.map(\.description) == [
            "gateway.yaml:26:12: routes[2].audit: only a public route may turn its audit records off; "
                + "every decision on a protected route is recorded",
        ])
    }
}

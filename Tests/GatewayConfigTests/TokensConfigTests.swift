import Testing

@testable import GatewayConfig

/// The `tokens` section's lifetimes: defaults, explicit values, and a bad duration at
/// its line and column. `validYAML` has 25 lines, so the section starts on line 26.
@Suite struct TokensConfigTests {
    private func parse(_ section: String) throws(ConfigErrors) -> TokensConfig? {
        try GatewayConfig.parse(yaml: withTokens(validYAML + section), fileName: "gateway.yaml", baseDirectory: "/etc/rta").tokens
    }

    @Test func lifetimesDefaultAndParse() throws {
        let defaults = try #require(try parse("tokens:\n  keys: [k1.json]\n"))
        #expect(defaults.sessionIdleTimeout == .seconds(1_800))
        #expect(defaults.sessionLifetime == .seconds(86_400))
        #expect(defaults.keyPaths == ["/etc/rta/k1.json"])
        let set = try #require(try parse("tokens:\n  keys: [k1.json]\n  session_idle_timeout: 90s\n  session_lifetime: 8h\n"))
        #expect(set.sessionIdleTimeout == .seconds(90))
        #expect(set.sessionLifetime == .seconds(28_800))
        #expect(defaults.exchangeNonceCapacity == 100_000)
        let larger = try #require(try parse("tokens:\n  keys: [k1.json]\n  exchange_nonce_capacity: 1000000\n"))
        #expect(larger.exchangeNonceCapacity == 1_000_000)
    }

    @Test func nonPositiveNonceCapacityIsReportedAtItsValue() {
        do {
            _ = try parse("tokens:\n  keys: [k1.json]\n  exchange_nonce_capacity: 0\n")
            Issue.record("a zero capacity must not parse")
        } catch {
            #expect(error.errors.count == 1)
            #expect(error.errors.first?.description.hasPrefix("gateway.yaml:28:28: tokens.exchange_nonce_capacity:") == true,
                    "\(error.errors)")
        }
    }

    @Test func badLifetimeIsReportedAtItsValue() {
        do {
            _ = try parse("tokens:\n  keys: [k1.json]\n  session_lifetime: forever\n")
            Issue.record("a bad duration must not parse")
        } catch {
            #expect(error.errors.count == 1)
            #expect(error.errors.first?.description.hasPrefix("gateway.yaml:28:21: tokens.session_lifetime:") == true,
                    "\(error.errors)")
        }
    }

    @Test func perSubjectQuotasDefaultAndParse() throws {
        let defaults = try #require(try parse("tokens:\n  keys: [k1.json]\n"))
        #expect(defaults.maxSessionsPerSubject == 100)
        #expect(defaults.maxExchangesPerSubject == 300)
        let set = try #require(try parse("tokens:\n  keys: [k1.json]\n  max_sessions_per_subject: 5\n  max_exchanges_per_subject: 20\n"))
        #expect(set.maxSessionsPerSubject == 5)
        #expect(set.maxExchangesPerSubject == 20)
        do {
            _ = try parse("tokens:\n  keys: [k1.json]\n  max_sessions_per_subject: 0\n  max_exchanges_per_subject: lots\n")
            Issue.record("a zero quota must not parse")
        } catch {
            #expect(error.errors.map(\.description) == [
                "gateway.yaml:28:29: tokens.max_sessions_per_subject: must be at least 1, found 0",
                #"gateway.yaml:29:30: tokens.max_exchanges_per_subject: expected a whole number, found a string ("lots")"#,
            ])
        }
    }
}

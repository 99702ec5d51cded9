import Testing

@testable import GatewayConfig

/// The `listen` section's forwarding and control-listener keys, each error at its line and
/// column, and the refusal of a clear-text admin API on a non-loopback control address.
@Suite struct ListenConfigTests {
    /// `extra` starts on line 5, inside `listen`; `tail` goes after the routes.
    private func yaml(_ extra: String, tail: String = "") -> String {
        "listen:\n  quic: 127.0.0.1:4433\n  cert: c.pem\n  key: k.pem\n" + extra + """
            upstreams:
              - name: a
                urls: [http://127.0.0.1:8081]
            routes:
              - name: r
                path: { prefix: / }
                upstream: a

            """ + tail
    }

    private func errors(_ extra: String, tail: String = "") -> [String] {
        do {
            _ = try GatewayConfig.parse(yaml: withTokens(yaml(extra, tail: tail)), fileName: "gateway.yaml")
            return []
        } catch {
            return error.errors.map { String($0.description.dropFirst("gateway.yaml:".count)) }
        }
    }

    @Test func defaultsTrustNoProxyAndLimitTheControlListener() throws {
        let listen = try GatewayConfig.parse(yaml: withTokens(yaml("")), fileName: "gateway.yaml").listen
        #expect(listen.trustedProxies.isEmpty)
        #expect(listen.controlIdleTimeout == .seconds(30))
        #expect(listen.controlMaxConnections == 256)
    }

    @Test func parsesTrustedProxiesAndControlLimits() throws {
        let listen = try GatewayConfig.parse(yaml: withTokens(yaml("""
              trusted_proxies: [10.0.0.0/8, "fd00::/8", 192.0.2.7]
              control_idle_timeout: 5s
              control_max_connections: 8

            """)), fileName: "gateway.yaml").listen
        #expect(listen.trustedProxies.map(\.description) == ["10.0.0.0/8", "fd00::/8", "192.0.2.7/32"])
        #expect(listen.controlIdleTimeout == .seconds(5))
        #expect(listen.controlMaxConnections == 8)
    }

    @Test func badTrustedProxiesAndLimitsAreReportedWhereWritten() {
        #expect(errors("  trusted_proxies: [10.0.0.1/8, nonsense, \"::1/129\"]\n  control_max_connections: 0\n") == [
            #"5:21: listen.trusted_proxies[0]: invalid trusted proxy "10.0.0.1/8": host bits are set after /8; did you mean "10.0.0.0/8"?"#,
            #"5:33: listen.trusted_proxies[1]: invalid trusted proxy "nonsense": expected an IPv4 or IPv6 address or CIDR block, e.g. "10.0.0.0/8" or "fd00::/8""#,
            #"5:43: listen.trusted_proxies[2]: invalid trusted proxy "::1/129": the prefix length must be a number from 0 to 128"#,
            "6:28: listen.control_max_connections: must be at least 1, found 0",
        ])
        #expect(errors("  trusted_proxies: 10.0.0.0/8\n") == [
            #"5:20: listen.trusted_proxies: expected a list, found a string ("10.0.0.0/8")"#,
        ])
    }

    /// Issue 20 item 5: the admin token would cross the network in clear.
    @Test func adminOnANonLoopbackControlAddressNeedsTLS() {
        let admin = "admin:\n  token: \"5f2b9c0e7d4a8613\"\n"
        #expect(errors("  control: 0.0.0.0:9180\n", tail: admin) == [
            "14:3: admin: the admin API would be served in clear on 0.0.0.0:9180, which is not a loopback address; "
                + "set listen.control_tls: true, or bind listen.control to 127.0.0.1 or [::1]",
        ])
        #expect(errors("  control: \"[2001:db8::1]:9180\"\n", tail: admin).count == 1)
        #expect(errors("  control: 0.0.0.0:9180\n  control_tls: true\n", tail: admin).isEmpty)
        #expect(errors("  control: \"[::1]:9180\"\n", tail: admin).isEmpty)
        #expect(errors("  control: localhost:9180\n", tail: admin).isEmpty)
        #expect(errors("  control: 127.0.0.2:9180\n", tail: admin).isEmpty)
        #expect(errors("  control: 0.0.0.0:9180\n").isEmpty)
    }
}

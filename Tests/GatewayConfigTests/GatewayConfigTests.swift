import Foundation
import Testing

@testable import GatewayConfig

/// A valid base document; each error test changes one thing so the expected line and
/// column are easy to check by eye.
let validYAML = """
    listen:
      quic: 127.0.0.1:4433
      cert: certs/dev-cert.pem
      key: /etc/rta/dev-key.pem
    upstreams:
      - name: orders
        urls: [http://127.0.0.1:8081, "https://[::1]:8443/base/"]
        connect_timeout: 250ms
      - name: users
        urls: [http://127.0.0.1:8082]
    routes:
      - name: public
        path: { prefix: /public/ }
        upstream: orders
        audit: false
        public: true
      - name: order
        host: "*.example.com"
        path: { template: "/orders/{id}" }
        methods: [GET, PUT]
        upstream: orders
        policy: { action: ReadOrder, resource_type: Order, resource_id: "order-{id}" }
      - name: users
        path: { exact: /users }
        upstream: users

    """

/// `yaml` with the tokens section its protected routes need, appended last so the line
/// numbers of `validYAML` and of any section a test appends stay as they are.
func withTokens(_ yaml: String) -> String {
    if yaml.hasPrefix("tokens:") || yaml.contains("\ntokens:") { return yaml }
    return (yaml.hasSuffix("\n") ? yaml : yaml + "\n") + "tokens: { keys: [k1.json] }\n"
}

@Suite struct GatewayConfigTests {
    @Test func parsesEveryFieldAndAppliesDefaults() throws {
        let config = try GatewayConfig.parse(yaml: withTokens(validYAML), fileName: "/srv/rta/gateway.yaml")
        #expect(config.listen.quic == ConfigAddress(host: "127.0.0.1", port: 4433))
        #expect(config.listen.certificatePath == "/srv/rta/certs/dev-cert.pem")
        #expect(config.listen.privateKeyPath == "/etc/rta/dev-key.pem")
        #expect(config.listen.control == ConfigAddress(host: "127.0.0.1", port: 9180))
        #expect(config.listen.idleTimeout == .seconds(30))
        #expect(!config.listen.controlTLS)
        #expect(config.upstreams.map(\.name) == ["orders", "users"])
        #expect(config.upstreams[0].urls == [
            UpstreamURL(scheme: "http", host: "127.0.0.1", port: 8081, basePath: ""),
            UpstreamURL(scheme: "https", host: "::1", port: 8443, basePath: "/base"),
        ])
        #expect(config.upstreams[0].connectTimeout == .milliseconds(250))
        #expect(config.upstreams[1].maxConnections == 64)
        #expect(config.routes[0].path == .prefix("/public/"))
        #expect(!config.routes[0].stripPrefix && config.routes[0].isPublic && !config.routes[0].audit)
        #expect(config.routes[1].audit && !config.routes[0].reachesProtectedPaths)
        #expect(config.routes[1].host == .wildcard(suffix: ".example.com"))
        #expect(config.routes[1].methods == ["GET", "PUT"])
        #expect(config.routes[1].policy?.action == "ReadOrder")
        #expect(config.routes[1].policy?.resourceType == "Order")
        #expect(config.routes[1].policy?.resourceID?.parts == [.literal("order-"), .parameter("id")])
        #expect(config.policies == PoliciesConfig(directory: "/srv/rta/policies"))
        #expect(config.routes[2].methods == nil)
    }

    @Test func controlTLSIsABoolean() throws {
        let tls = validYAML.replacingOccurrences(of: "  key: /etc/rta/dev-key.pem\n", with: "  key: /etc/rta/dev-key.pem\n  control_tls: true\n")
        #expect(try GatewayConfig.parse(yaml: withTokens(tls), fileName: "gateway.yaml").listen.controlTLS)
        let wrong = validYAML.replacingOccurrences(of: "  key: /etc/rta/dev-key.pem\n", with: "  key: /etc/rta/dev-key.pem\n  control_tls: yes please\n")
        do {
            _ = try GatewayConfig.parse(yaml: withTokens(wrong), fileName: "gateway.yaml")
            Issue.record("a non-boolean control_tls must not parse")
        } catch {
            #expect(error.errors.first?.description.hasPrefix("gateway.yaml:5:16: listen.control_tls:") == true, "\(error.errors)")
        }
    }

    @Test func quicThreadNiceDefaultsBelowNormalAndIsBounded() throws {
        #expect(try GatewayConfig.parse(yaml: withTokens(validYAML), fileName: "gateway.yaml").listen.quicThreadNice == -10)
        let zero = validYAML.replacingOccurrences(of: "  key: /etc/rta/dev-key.pem\n", with: "  key: /etc/rta/dev-key.pem\n  quic_thread_nice: 0\n")
        #expect(try GatewayConfig.parse(yaml: withTokens(zero), fileName: "gateway.yaml").listen.quicThreadNice == 0)
        let wrong = validYAML.replacingOccurrences(of: "  key: /etc/rta/dev-key.pem\n", with: "  key: /etc/rta/dev-key.pem\n  quic_thread_nice: -25\n")
        do {
            _ = try GatewayConfig.parse(yaml: withTokens(wrong), fileName: "gateway.yaml")
            Issue.record("a nice value below -20 must not parse")
        } catch {
            #expect(error.errors.first?.description == "gateway.yaml:5:21: listen.quic_thread_nice: must be from -20 to 19, found -25",
                    "\(error.errors)")
        }
    }

    @Test func renderedConfigParsesBackToTheSameValue() throws {
        let config = try GatewayConfig.parse(yaml: withTokens(validYAML), fileName: "/srv/rta/gateway.yaml")
        let again = try GatewayConfig.parse(yaml: withTokens(config.renderYAML()), fileName: "/elsewhere/gateway.yaml")
        #expect(again == config)
    }

    @Test func repositoryGatewayYAMLValidates() throws {
        // Resolving symlinks finds the checkout even when the tests folder is linked in.
        let root = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path
        let config = try GatewayConfig.load(path: root + "/gateway.yaml")
        #expect(config.listen.quic.port == 4433)
        #expect(config.listen.certificatePath == root + "/fixtures/dev-cert.pem")
        #expect(config.upstreams.map(\.name) == ["demo"])
        #expect(config.routes.contains { $0.isPublic && $0.path == .prefix("/public/") })
        #expect(config.signals?.transmitters.first?.subjectIssuers == ["http://127.0.0.1:9190"])
        #expect(config.identityProviders.first?.agents["dev-agent"]?.contains("demo-agent") == true)
    }

    @Test func unreadableFileIsReportedWithItsPath() {
        let errors = #expect(throws: ConfigErrors.self) {
            try GatewayConfig.load(path: "/nonexistent/gateway.yaml")
        }
        #expect(errors?.errors.first?.code == .unreadableFile)
        #expect(errors?.errors.first?.description.hasPrefix("/nonexistent/gateway.yaml: cannot read") == true)
    }
}

import Foundation
import GatewayConfig
import GatewayTesting
import Testing

@testable import Gateway

/// The committed development secrets are recognised by content wherever they are copied,
/// and the gateway warns when it uses them on a non-loopback listener.
@Suite struct DevelopmentSecretsTests {
    static let secrets = [
        "dev-signing-key-1.json", "dev-signing-key-2.json", "dev-admin-token", "dev-ssf-transmitter-key.pem",
    ]

    @Test func everyCommittedSecretIsRecognisedByContent() throws {
        for name in Self.secrets {
            let content = try #require(FileManager.default.contents(atPath: RepositoryPaths.fixtures + "/" + name))
            #expect(DevelopmentSecrets.fixture(matching: Array(content)) == "fixtures/" + name)
            #expect(DevelopmentSecrets.fixture(matching: Array(content) + Array("\n\n".utf8)) == "fixtures/" + name)
        }
        #expect(DevelopmentSecrets.fixture(matching: Array("5f2b9c0e7d4a8613".utf8)) == nil)
    }

    private func config(quic: String, control: String) throws -> GatewayConfig {
        try GatewayConfig.parse(yaml: """
            listen: { quic: "\(quic)", cert: c.pem, key: k.pem, control: "\(control)", control_tls: true }
            upstreams: [{ name: a, urls: ["http://127.0.0.1:8081"] }]
            routes: [{ name: r, path: { prefix: / }, upstream: a }]
            tokens: { keys: [dev-signing-key-1.json, dev-signing-key-2.json], current_key_id: 2 }
            admin: { token_file: dev-admin-token }
            """, fileName: "gateway.yaml", baseDirectory: RepositoryPaths.fixtures)
    }

    @Test func warnsOnlyWhenAListenerIsReachableFromOtherHosts() throws {
        #expect(DevelopmentSecrets.exposureWarnings(try config(quic: "127.0.0.1:4433", control: "[::1]:9180")).isEmpty)
        let exposed = DevelopmentSecrets.exposureWarnings(try config(quic: "0.0.0.0:4433", control: "127.0.0.1:9180"))
        try #require(exposed.count == 3)
        #expect(exposed.allSatisfy { $0.hasPrefix("DEVELOPMENT SECRET IN USE ON A NON-LOOPBACK ADDRESS") })
        #expect(exposed[0].contains("fixtures/dev-signing-key-1.json") && exposed[0].contains("0.0.0.0:4433"))
        #expect(exposed[2].contains("admin token is the committed fixtures/dev-admin-token"))
        #expect(DevelopmentSecrets.exposureWarnings(try config(quic: "127.0.0.1:4433", control: "0.0.0.0:9180")).count == 3)
    }

    /// The real binary on 0.0.0.0 with the committed signing key logs the warning at start-up.
    @Test func theGatewayWarnsAtStartUp() async throws {
        let yaml = TestConfig.yaml(
            upstreams: [("echo", "http://127.0.0.1:9", "1s")],
            routes: "  - { name: r, path: { prefix: / }, upstream: echo }\n"
                + "tokens: { keys: [\(RepositoryPaths.fixtures)/dev-signing-key-2.json] }\n"
                + TestConfig.permitAllPoliciesYAML)
            .replacingOccurrences(of: "quic: 127.0.0.1:0", with: "quic: 0.0.0.0:0")
        let gateway = try await GatewayProcess.start(configYAML: yaml)
        let log = gateway.process.log()
        await gateway.process.terminate()
        #expect(log.contains("DEVELOPMENT SECRET IN USE ON A NON-LOOPBACK ADDRESS: tokens.keys"), "\(log)")
    }
}

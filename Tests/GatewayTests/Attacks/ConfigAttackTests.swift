import Foundation
import GatewayTesting
import Testing

/// Configurations that once made the gateway fail open: each is now refused by
/// `validate` and by `serve` (exit 1, every problem at FILE:LINE:COLUMN), so no file
/// forwards a protected route without a token and a policy decision.
@Suite("Attack: configurations that would turn checks off", .serialized)
struct ConfigAttackTests {
    /// A folder with a gateway.yaml (tokens, a protected route) and the given policy files.
    struct Deployment {
        let directory: TemporaryDirectory
        var config: String { directory.path + "/gateway.yaml" }

        init(policies: [String: String]?, routes: String = Self.protectedRoute, tokens: Bool = true) throws {
            directory = try TemporaryDirectory()
            var yaml = TestConfig.yaml(upstreams: [("api", "http://127.0.0.1:9", "1s")], routes: routes)
            if tokens {
                yaml += "tokens:\n  keys: [\(RepositoryPaths.fixtures)/dev-signing-key-1.json, "
                    + "\(RepositoryPaths.fixtures)/dev-signing-key-2.json]\n"
            }
            if let policies {
                try FileManager.default.createDirectory(atPath: directory.path + "/policies", withIntermediateDirectories: true)
                for (name, text) in policies {
                    try text.write(toFile: directory.path + "/policies/" + name, atomically: true, encoding: .utf8)
                }
            }
            try yaml.write(toFile: config, atomically: true, encoding: .utf8)
        }

        static let protectedRoute = """
              - name: order
                path: { template: "/orders/{id}" }
                upstream: api
                policy: { action: ReadOrder, resource_type: Order, resource_id: "{id}" }

            """

        /// `rta-gateway ARGS…` to its end (serve exits by itself when start-up fails).
        func run(_ arguments: [String]) async throws -> ProcessResult {
            try await runProcess(try GatewayProcess.executablePath(), arguments, timeout: .seconds(60))
        }
    }

    static let readPolicy = #"permit (principal, action == Action::"ReadOrder", resource);"# + "\n"

    @Test("a policy file that does not parse stops start-up with its line and column instead of allowing every token")
    func unparsablePolicyStopsStartUp() async throws {
        let deployment = try Deployment(policies: ["orders.cedar": Self.readPolicy, "zz.cedar": "permit(\n"])
        let served = try await deployment.run(["serve", "--config", deployment.config])
        #expect(served.status == 1, "\(served.standardError)")
        #expect(served.standardError.contains("refusing to start"), "\(served.standardError)")
        #expect(served.standardError.contains("/policies/zz.cedar:2:1:"), "\(served.standardError)")
        #expect(!served.standardOutput.contains("gateway ready"))

        let validated = try await deployment.run(["validate", deployment.config])
        #expect(validated.status == 1)
        #expect(validated.standardError.contains("/policies/zz.cedar:2:1:"), "\(validated.standardError)")
    }

    @Test("a missing policy directory stops start-up instead of allowing every token")
    func missingPolicyDirectoryStopsStartUp() async throws {
        let deployment = try Deployment(policies: nil)
        let served = try await deployment.run(["serve", "--config", deployment.config])
        #expect(served.status == 1)
        #expect(served.standardError.contains("cannot list policy directory"), "\(served.standardError)")
        let validated = try await deployment.run(["validate", deployment.config])
        #expect(validated.status == 1 && validated.standardError.contains("cannot list policy directory"))
    }

    @Test("a protected route without a tokens section is refused instead of being forwarded unchecked")
    func protectedRouteWithoutTokensIsRefused() async throws {
        let deployment = try Deployment(policies: ["orders.cedar": Self.readPolicy], tokens: false)
        for arguments in [["validate", deployment.config], ["serve", "--config", deployment.config]] {
            let result = try await deployment.run(arguments)
            #expect(result.status == 1, "\(arguments[0]): \(result.standardError)")
            #expect(result.standardError.contains(#"routes[0]: route "order" is protected, but there is no tokens section"#),
                    "\(arguments[0]): \(result.standardError)")
        }
    }

    @Test("a public route that strips its prefix onto the protected API's upstream is refused")
    func publicRouteReachingTheProtectedUpstreamIsRefused() async throws {
        let routes = """
              - name: public
                path: { prefix: /public/ }
                upstream: api
                strip_prefix: true
                public: true

            """ + Deployment.protectedRoute
        let deployment = try Deployment(policies: ["orders.cedar": Self.readPolicy], routes: routes)
        let validated = try await deployment.run(["validate", deployment.config])
        #expect(validated.status == 1)
        #expect(validated.standardError.contains(
            #"routes[0].public: public route "public" reaches what protected route "order" guards: /public/orders/x needs no token"#),
                "\(validated.standardError)")
    }

    @Test("the shipped gateway.yaml and its policies validate: no hole in the default")
    func shippedConfigurationValidates() async throws {
        let result = try await runProcess(
            try GatewayProcess.executablePath(), ["validate", RepositoryPaths.root + "/gateway.yaml"], timeout: .seconds(60))
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("policies)"), "\(result.standardOutput)")
    }
}

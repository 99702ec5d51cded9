/// gateway.yaml text for tests: ephemeral ports, the dev certificate, and one upstream
/// per entry of `upstreams` (name → base URL). `routes` is YAML for the `routes:` list;
/// `listen` holds extra `listen:` lines (indented two spaces), e.g. `trusted_proxies`.
public enum TestConfig {
    public static func yaml(
        upstreams: [(name: String, url: String, responseTimeout: String)], routes: String, gracePeriod: String = "5s",
        listen: String = ""
    ) -> String {
        var text = """
            listen:
              quic: 127.0.0.1:0
              cert: \(RepositoryPaths.fixtures)/dev-cert.pem
              key: \(RepositoryPaths.fixtures)/dev-key.pem
              control: 127.0.0.1:0
              grace_period: \(gracePeriod)

            """ + listen + "upstreams:\n"
        for upstream in upstreams {
            text += """
                  - name: \(upstream.name)
                    urls: [\(upstream.url)]
                    connect_timeout: 1s
                    response_timeout: \(upstream.responseTimeout)

                """
        }
        return text + "routes:\n" + routes
    }

    /// A `policies` section allowing every valid session (`RepositoryPaths.permitAllPolicies`):
    /// the gateway refuses to start without a policy set that loads.
    public static var permitAllPoliciesYAML: String {
        "policies:\n  directory: \(RepositoryPaths.permitAllPolicies)\n  reload: { watch: false }\n"
    }
}

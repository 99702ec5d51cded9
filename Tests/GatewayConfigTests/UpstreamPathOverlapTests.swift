import Testing

@testable import GatewayConfig

/// A public route must not reach, through its upstream, what a protected route guards.
@Suite struct UpstreamPathOverlapTests {
    private func errors(_ yaml: String) -> [String] {
        do {
            _ = try GatewayConfig.parse(yaml: withTokens(yaml), fileName: "gateway.yaml")
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    /// The shipped default once had this shape: `/public/` stripped onto the API's upstream.
    @Test func strippedPublicPrefixOnTheProtectedUpstreamIsRefused() {
        let yaml = validYAML.replacingOccurrences(of: "    audit: false\n", with: "    strip_prefix: true\n")
        #expect(errors(yaml) == [
            #"gateway.yaml:16:13: routes[0].public: public route "public" reaches what protected route "order" guards: "#
                + #"/public/orders/x needs no token and is sent to upstream "orders" as /orders/x; give the public route "#
                + #"its own upstream or path space, or set reaches_protected_paths: true if that content is meant to be public"#,
        ])
    }

    @Test func anExplicitOptInAcceptsTheOverlap() throws {
        let yaml = validYAML.replacingOccurrences(
            of: "    audit: false\n", with: "    strip_prefix: true\n    reaches_protected_paths: true\n")
        let config = try GatewayConfig.parse(yaml: withTokens(yaml), fileName: "gateway.yaml")
        #expect(config.routes[0].reachesProtectedPaths)
        #expect(try GatewayConfig.parse(yaml: config.renderYAML(), fileName: "gateway.yaml") == config)
    }

    @Test func theOptInBelongsToPublicRoutesOnly() {
        let yaml = validYAML.replacingOccurrences(
            of: "    upstream: users\n", with: "    upstream: users\n    reaches_protected_paths: true\n")
        #expect(errors(yaml) == [
            "gateway.yaml:26:30: routes[2].reaches_protected_paths: applies only to a public route (public: true)",
        ])
    }

    @Test func anotherUpstreamNameOnTheSameServerCountsAsTheSameUpstream() {
        let yaml = validYAML
            .replacingOccurrences(of: "    urls: [http://127.0.0.1:8082]\n", with: "    urls: [http://127.0.0.1:8081]\n")
            .replacingOccurrences(of: "    upstream: orders\n    audit: false\n", with: "    upstream: users\n    strip_prefix: true\n")
        let found = errors(yaml)
        #expect(found.count == 1)
        #expect(found.first?.contains(#"/public/orders/x needs no token and is sent to upstream "users" as /orders/x"#) == true,
                "\(found)")
    }

    @Test func disjointMethodsDoNotOverlapButHeadReadsWhatGetReads() {
        let open = RouteConfig(name: "p", path: .prefix("/"), methods: ["HEAD"], upstream: "u", isPublic: true)
        let upstreams = [UpstreamConfig(name: "u", urls: [UpstreamURL(scheme: "http", host: "h", port: 1, basePath: "")])]
        let writes = RouteConfig(name: "w", path: .exact("/orders"), methods: ["POST"], upstream: "u")
        let reads = RouteConfig(name: "r", path: .exact("/orders"), methods: ["GET"], upstream: "u")
        #expect(UpstreamPathOverlap.finding(public: open, protected: writes, upstreams: upstreams) == nil)
        #expect(UpstreamPathOverlap.finding(public: open, protected: reads, upstreams: upstreams)
            == .init(clientPath: "/orders", upstreamPath: "/orders"))
    }

    @Test func basePathsArePartOfTheUpstreamPath() {
        func upstream(_ name: String, _ base: String) -> UpstreamConfig {
            UpstreamConfig(name: name, urls: [UpstreamURL(scheme: "http", host: "h", port: 1, basePath: base)])
        }
        let open = RouteConfig(name: "p", path: .prefix("/static/"), upstream: "assets", stripPrefix: true, isPublic: true)
        let guarded = RouteConfig(name: "g", path: .prefix("/"), upstream: "api")
        #expect(UpstreamPathOverlap.finding(public: open, protected: guarded, upstreams: [upstream("assets", "/assets"), upstream("api", "/api")]) == nil)
        #expect(UpstreamPathOverlap.finding(public: open, protected: guarded, upstreams: [upstream("assets", "/api/v1"), upstream("api", "/api")])
            == .init(clientPath: "/static/x", upstreamPath: "/api/v1/x"))
    }
}

import GatewayConfig
import Testing

@testable import Gateway

@Suite struct RouterTests {
    let router: Router

    init() throws {
        let config = try GatewayConfig.parse(yaml: """
            listen: { quic: "127.0.0.1:4433", cert: c.pem, key: k.pem }
            upstreams:
              - { name: demo, urls: [http://127.0.0.1:8081] }
            routes:
              - { name: public, path: { prefix: /public/ }, upstream: demo, strip_prefix: true, public: true,
                  reaches_protected_paths: true }
              - { name: order-read, path: { template: "/orders/{id}" }, methods: [GET, HEAD], upstream: demo }
              - { name: order-write, path: { template: "/orders/{id}" }, methods: [PUT], upstream: demo }
              - { name: items, path: { template: "/orders/{id}/items/{item}" }, upstream: demo }
              - { name: orders, path: { exact: /orders }, methods: [GET, POST], upstream: demo }
              - { name: admin, host: admin.example.com, path: { prefix: /api/ }, upstream: demo }
              - { name: tenant, host: "*.example.com", path: { prefix: /api/ }, upstream: demo }
              - { name: api, path: { prefix: /api/ }, methods: [GET], upstream: demo }
            tokens: { keys: [k.json] }
            """, fileName: "router.yaml")
        router = Router(routes: config.routes)
    }

    private func routeName(_ method: String, _ target: String, host: String = "gw.test") -> String? {
        guard case .matched(let match) = router.match(method: method, authority: host, target: target) else { return nil }
        return match.route.name
    }

    @Test func exactMatchesOnlyTheWholePath() {
        #expect(routeName("GET", "/orders") == "orders")
        #expect(routeName("GET", "/orders?page=2") == "orders")
        #expect(router.match(method: "GET", authority: "gw.test", target: "/orders/") == .notFound)
    }

    @Test func templateCapturesDecodedParameters() throws {
        guard case .matched(let match) = router.match(method: "GET", authority: "gw", target: "/orders/a%20b/items/7?x=1")
        else { Issue.record("no match"); return }
        #expect(match.route.name == "items")
        #expect(match.parameters == ["id": "a b", "item": "7"])
        #expect(match.upstreamPath == "/orders/a%20b/items/7?x=1")
    }

    @Test func templateNeedsEverySegmentNonEmpty() {
        #expect(router.match(method: "GET", authority: "gw", target: "/orders/") == .notFound)
        #expect(router.match(method: "GET", authority: "gw", target: "/orders//items/7")
            == .badPath(reason: #"the path contains an empty segment ("//")"#))
    }

    /// Upstreams merge `//`, read `;` as a path parameter (`..;` is `..` to Tomcat) and
    /// may stop at a NUL: such paths are refused before any route sees them.
    @Test func emptySegmentsPathParametersAndControlsAreRefused() {
        for target in ["/public//orders/1", "//public/x", "/public/..;/orders/1", "/orders/1;jsessionid=x",
                       "/public/a%3Bb", "/public/a%00b", "/public/a%0D%0Ab", "/public/a b", "/public/a\u{7F}"] {
            guard case .badPath = router.match(method: "GET", authority: "gw", target: target) else {
                Issue.record("\(target) was not refused")
                continue
            }
        }
        #expect(routeName("GET", "/public/trailing/") == "public")
    }

    @Test func stripPrefixKeepsTheQueryAndALeadingSlash() {
        guard case .matched(let match) = router.match(method: "GET", authority: "gw", target: "/public/docs/a.txt?v=1&w")
        else { Issue.record("no match"); return }
        #expect(match.upstreamPath == "/docs/a.txt?v=1&w")
        guard case .matched(let root) = router.match(method: "GET", authority: "gw", target: "/public/")
        else { Issue.record("no match"); return }
        #expect(root.upstreamPath == "/")
    }

    @Test func wrongMethodOnAMatchingPathIs405WithEveryAllowedMethod() {
        #expect(router.match(method: "DELETE", authority: "gw", target: "/orders/1")
            == .methodNotAllowed(allowed: ["GET", "HEAD", "PUT"]))
        #expect(routeName("PUT", "/orders/1") == "order-write")
    }

    @Test func unknownPathIs404() {
        #expect(router.match(method: "GET", authority: "gw", target: "/nothing") == .notFound)
    }

    @Test func hostMatchingIgnoresPortAndCaseAndWildcardCoversOneLabel() {
        #expect(routeName("POST", "/api/x", host: "ADMIN.example.com:4433") == "admin")
        #expect(routeName("POST", "/api/x", host: "acme.example.com") == "tenant")
        #expect(routeName("POST", "/api/x", host: "a.b.example.com") == nil)
        #expect(routeName("GET", "/api/x", host: "a.b.example.com") == "api")
        #expect(routeName("GET", "/api/x", host: "[::1]:4433") == "api")
    }

    @Test func firstMatchingRouteWins() {
        #expect(routeName("GET", "/api/x", host: "admin.example.com") == "admin")
    }

    @Test func dotSegmentsAreRefusedEvenWhenEncoded() {
        for target in ["/public/../orders/1", "/public/%2e%2E/orders/1", "/public/./x", "/public/a%2Fb",
                       "/public/%2F%C3/x", "/public/%C3%2F"] {
            guard case .badPath = router.match(method: "GET", authority: "gw", target: target) else {
                Issue.record("\(target) was not refused")
                continue
            }
        }
    }

    @Test func backslashesAreRefusedRawOrEncoded() {
        for target in ["/public/a\\b", "/public/a%5Cb", "/public/a%5cb/c"] {
            guard case .badPath = router.match(method: "GET", authority: "gw", target: target) else {
                Issue.record("\(target) was not refused")
                continue
            }
        }
    }

    @Test func dotPrefixedNamesAndOtherEscapesPass() {
        #expect(routeName("GET", "/public/.well-known/x") == "public")
        #expect(routeName("GET", "/public/...") == "public")
        #expect(routeName("GET", "/public/a%20b/%2e%2e%2e") == "public")
        #expect(routeName("GET", "/public/%zz") == "public")
    }

    @Test func aPathWithoutLeadingSlashIsRefused() {
        guard case .badPath(let reason) = router.match(method: "GET", authority: "gw", target: "orders/1") else {
            Issue.record("not refused")
            return
        }
        #expect(reason == "the path must start with \"/\"")
    }

    @Test func hostNameStripsPortBracketsAndTrailingDot() {
        #expect(Router.hostName("Example.COM.:443") == "example.com")
        #expect(Router.hostName("[2001:db8::1]:4433") == "2001:db8::1")
        #expect(Router.hostName("localhost") == "localhost")
    }
}

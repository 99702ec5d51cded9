/// Finds a public route whose forwarded paths can reach what a protected route guards on
/// the same upstream: `GET /public/orders/42` with `strip_prefix` arrives upstream as
/// `/orders/42`, the protected route's content, with no token and no decision.
///
/// Conservative: a template counts as every path under its literal prefix, and two
/// upstreams are the same when they share a scheme, host and port. A false alarm costs
/// the operator one explicit `reaches_protected_paths: true`; a miss costs the API.
enum UpstreamPathOverlap {
    /// The upstream paths a route can request: one path, or every path under a prefix.
    enum Space: Equatable {
        case exact(String)
        case prefix(String)

        /// One upstream path in both spaces, if any.
        func witness(sharedWith other: Space) -> String? {
            switch (self, other) {
            case (.exact(let a), .exact(let b)):
                return a == b ? a : nil
            case (.exact(let path), .prefix(let prefix)), (.prefix(let prefix), .exact(let path)):
                return path.hasPrefix(prefix) ? path : nil
            case (.prefix(let a), .prefix(let b)):
                let longer = a.count >= b.count ? a : b
                return a.hasPrefix(b) || b.hasPrefix(a) ? longer + (longer.hasSuffix("/") ? "x" : "") : nil
            }
        }
    }

    /// What a public route exposes of a protected one, for the error message.
    struct Finding: Equatable {
        /// A request path on the public route (no token needed)…
        var clientPath: String
        /// …and the path it is sent to upstream, which the protected route guards.
        var upstreamPath: String
    }

    /// nil when no upstream path is reachable through both routes with a common method.
    static func finding(public open: RouteConfig, protected guarded: RouteConfig, upstreams: [UpstreamConfig]) -> Finding? {
        guard methodsMeet(open.methods, guarded.methods),
              let openUpstream = upstreams.first(where: { $0.name == open.upstream }),
              let guardedUpstream = upstreams.first(where: { $0.name == guarded.upstream })
        else { return nil }
        for openURL in openUpstream.urls {
            for guardedURL in guardedUpstream.urls
            where openURL.scheme == guardedURL.scheme && openURL.host == guardedURL.host && openURL.port == guardedURL.port {
                let reachable = space(of: open, basePath: openURL.basePath)
                guard let shared = reachable.witness(sharedWith: space(of: guarded, basePath: guardedURL.basePath)) else { continue }
                let routePath = String(shared.dropFirst(openURL.basePath.count))
                return Finding(clientPath: clientPath(of: open, reaching: routePath), upstreamPath: shared)
            }
        }
        return nil
    }

    /// HEAD reads what GET reads; no method list means every method.
    private static func methodsMeet(_ a: [String]?, _ b: [String]?) -> Bool {
        guard let a, let b else { return true }
        func reading(_ methods: [String]) -> Set<String> { Set(methods.map { $0 == "HEAD" ? "GET" : $0 }) }
        return !reading(a).isDisjoint(with: reading(b))
    }

    static func space(of route: RouteConfig, basePath: String) -> Space {
        switch route.path {
        case .exact(let path): return .exact(basePath + path)
        case .prefix(let prefix): return .prefix(basePath + (route.stripPrefix ? "/" : prefix))
        case .template(let template): return .prefix(basePath + template.literalPrefix)
        }
    }

    /// The request path that `Router` forwards as `upstreamPath` on `route`.
    private static func clientPath(of route: RouteConfig, reaching upstreamPath: String) -> String {
        guard route.stripPrefix, case .prefix(let prefix) = route.path else { return upstreamPath }
        return prefix.hasSuffix("/") ? prefix + upstreamPath.dropFirst() : prefix + upstreamPath
    }
}

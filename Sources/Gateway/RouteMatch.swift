import GatewayConfig

/// The route chosen for a request and what the proxy needs to forward it.
public struct RouteMatch: Sendable, Equatable {
    public var route: RouteConfig
    /// Template captures, percent-decoded: `/orders/{id}` on `/orders/a%20b` gives `id = "a b"`.
    public var parameters: [String: String]
    /// Path and query to request from the upstream: `strip_prefix` applied, query kept
    /// byte for byte.
    public var upstreamPath: String

    public init(route: RouteConfig, parameters: [String: String], upstreamPath: String) {
        self.route = route
        self.parameters = parameters
        self.upstreamPath = upstreamPath
    }
}

/// What the router decided. Only `.matched` is forwarded; the others become error responses.
public enum RouterResult: Sendable, Equatable {
    case matched(RouteMatch)
    /// Some route matches host and path but none allows the method; `allowed` feeds the
    /// `allow` header of the 405.
    case methodNotAllowed(allowed: [String])
    case notFound
    /// The path is one the gateway refuses to interpret (for example `..` segments, which
    /// an upstream would resolve past a prefix route's boundary).
    case badPath(reason: String)
}

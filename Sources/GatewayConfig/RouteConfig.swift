/// One entry of `routes`. Routes are tried in file order; the first that matches host,
/// path and method wins.
public struct RouteConfig: Sendable, Hashable {
    public var name: String
    /// nil matches any host.
    public var host: HostPattern?
    public var path: RoutePath
    /// Upper-case method names; nil allows every method.
    public var methods: [String]?
    public var upstream: String
    /// Remove the matched `prefix` before forwarding (prefix paths only).
    public var stripPrefix: Bool
    /// A public route is forwarded without an RTA token.
    public var isPublic: Bool
    /// Which Cedar action and resource a request on this route is; nil for public routes
    /// and for protected routes decided as `Route::"<name>"` (docs/policies.md).
    public var policy: RoutePolicy?
    /// Whether forwards on this route are audited. Always true for protected routes; a
    /// public route may opt out (`audit: false`), e.g. for static assets.
    public var audit: Bool
    /// The operator's explicit acceptance that this public route's upstream paths can
    /// reach paths a protected route guards on the same upstream (`reaches_protected_paths`).
    public var reachesProtectedPaths: Bool
    /// This route's request body bound; nil uses `limits.max_body_bytes`.
    public var maxBodyBytes: Int?

    public init(
        name: String, host: HostPattern? = nil, path: RoutePath, methods: [String]? = nil,
        upstream: String, stripPrefix: Bool = false, isPublic: Bool = false, policy: RoutePolicy? = nil,
        audit: Bool = true, reachesProtectedPaths: Bool = false, maxBodyBytes: Int? = nil
    ) {
        self.name = name
        self.host = host
        self.path = path
        self.methods = methods
        self.upstream = upstream
        self.stripPrefix = stripPrefix
        self.isPublic = isPublic
        self.policy = policy
        self.audit = audit
        self.reachesProtectedPaths = reachesProtectedPaths
        self.maxBodyBytes = maxBodyBytes
    }
}

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
    /// and routes that need only a valid token.
    public var policy: RoutePolicy?

    public init(
        name: String, host: HostPattern? = nil, path: RoutePath, methods: [String]? = nil,
        upstream: String, stripPrefix: Bool = false, isPublic: Bool = false, policy: RoutePolicy? = nil
    ) {
        self.name = name
        self.host = host
        self.path = path
        self.methods = methods
        self.upstream = upstream
        self.stripPrefix = stripPrefix
        self.isPublic = isPublic
        self.policy = policy
    }
}

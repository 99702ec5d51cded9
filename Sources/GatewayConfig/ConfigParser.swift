import Yams

/// Turns the composed YAML document into config values, one section at a time.
/// Cross-entry rules (names, references, shadowing) live in `ConfigValidator`; this
/// type keeps the nodes they need to point at.
struct ConfigParser {
    static let topLevelKeys = [
        "listen", "upstreams", "routes", "policies", "tokens", "identity_providers", "audit", "signals", "admin",
        "limits",
    ]
    static let upstreamKeys = ["name", "urls", "connect_timeout", "response_timeout", "max_connections"]
    static let routeKeys = [
        "name", "host", "path", "methods", "upstream", "strip_prefix", "public", "policy", "audit",
        "reaches_protected_paths", "max_body_bytes",
    ]
    static let pathKeys = ["exact", "prefix", "template"]

    /// An upstream entry as far as it could be read; `config` is nil if any field was bad.
    struct Upstream {
        var config: UpstreamConfig?
        var name: (value: String, node: Node, path: ConfigKeyPath)?
    }

    /// A route entry as far as it could be read; `config` is nil if any field was bad.
    struct Route {
        /// `routes[i]`, for messages that point at the entry as a whole.
        var path: ConfigKeyPath
        var config: RouteConfig?
        var name: (value: String, node: Node, path: ConfigKeyPath)?
        var upstream: (value: String, node: Node, path: ConfigKeyPath)?
        var pathNode: (node: Node, path: ConfigKeyPath)?
        /// The `public` key when present, else the route entry: where rules about who may
        /// reach the route (a public route overlapping a protected one, tokens needed) point.
        var publicNode: (node: Node, path: ConfigKeyPath)?
    }

    let reader: ConfigReader
    /// Folder that relative certificate and key paths are resolved against.
    let baseDirectory: String?

    /// Every section as far as it could be read; a nil section had errors (recorded).
    struct Document {
        var listen: ListenConfig?
        var upstreams: [Upstream]
        var routes: [Route]
        var policies: PoliciesConfig?
        var tokens: TokensConfig??
        var identityProviders: [IdentityProviderSettings]?
        var audit: AuditConfig??
        var signals: SignalsSettings??
        var admin: AdminSettings??
        var limits: LimitsConfig?
    }

    func document(_ root: Node) -> Document {
        guard let top = reader.mapping(root, at: .root, known: Self.topLevelKeys) else {
            return Document(upstreams: [], routes: [])
        }
        let listen = top.node("listen", required: true).flatMap { self.listen($0.node, at: $0.path) }
        let upstreams = top.node("upstreams", required: true).map { entry in
            (reader.list(entry.node, at: entry.path) ?? []).enumerated().map {
                upstream($1, at: entry.path.index($0))
            }
        } ?? []
        let routes = top.node("routes", required: true).map { entry in
            (reader.list(entry.node, at: entry.path) ?? []).enumerated().map {
                route($1, at: entry.path.index($0))
            }
        } ?? []
        let policies = self.policies(top.node("policies", required: false))
        let adminEntry = top.node("admin", required: false)
        checkAdminExposure(listen: listen, admin: adminEntry)
        let identityProviders = self.identityProviders(top.node("identity_providers", required: false))
        return Document(
            listen: listen, upstreams: upstreams, routes: routes, policies: policies,
            tokens: tokens(top.node("tokens", required: false)),
            identityProviders: identityProviders,
            audit: audit(top.node("audit", required: false)),
            signals: signals(top.node("signals", required: false), identityIssuers: identityProviders?.map(\.issuer)),
            admin: admin(adminEntry),
            limits: limits(top.node("limits", required: false)))
    }

    private func upstream(_ node: Node, at path: ConfigKeyPath) -> Upstream {
        guard let map = reader.mapping(node, at: path, known: Self.upstreamKeys) else { return Upstream() }
        var result = Upstream()
        if let entry = map.node("name", required: true), let name = reader.string(entry.node, at: entry.path) {
            result.name = (name, entry.node, entry.path)
        }
        let urls = map.node("urls", required: true).flatMap { self.urls($0.node, at: $0.path) }
        let connect = map.duration("connect_timeout", default: UpstreamConfig.defaultConnectTimeout)
        let response = map.duration("response_timeout", default: UpstreamConfig.defaultResponseTimeout)
        var maxConnections: Int? = UpstreamConfig.defaultMaxConnections
        if let entry = map.node("max_connections", required: false) {
            maxConnections = reader.int(entry.node, at: entry.path)
            if let value = maxConnections, value < 1 {
                reader.fail(.badValue, at: entry.node, entry.path, "must be at least 1, found \(value)")
                maxConnections = nil
            }
        }
        if let name = result.name?.value, let urls, let connect, let response, let maxConnections {
            result.config = UpstreamConfig(
                name: name, urls: urls, connectTimeout: connect, responseTimeout: response,
                maxConnections: maxConnections)
        }
        return result
    }

    private func urls(_ node: Node, at path: ConfigKeyPath) -> [UpstreamURL]? {
        guard let items = reader.list(node, at: path) else { return nil }
        guard !items.isEmpty else {
            reader.fail(.badValue, at: node, path, "list at least one URL, e.g. [http://127.0.0.1:8081]")
            return nil
        }
        let urls = items.enumerated().map { index, item -> UpstreamURL? in
            guard let text = reader.string(item, at: path.index(index)) else { return nil }
            switch UpstreamURL.parse(text) {
            case .success(let url): return url
            case .failure(let reason):
                reader.fail(.badValue, at: item, path.index(index), "invalid upstream URL \"\(text)\": \(reason.text)")
                return nil
            }
        }
        return urls.contains(where: { $0 == nil }) ? nil : urls.compactMap { $0 }
    }

    private func route(_ node: Node, at path: ConfigKeyPath) -> Route {
        var result = Route(path: path)
        guard let map = reader.mapping(node, at: path, known: Self.routeKeys) else { return result }
        if let entry = map.node("name", required: true), let name = reader.string(entry.node, at: entry.path) {
            result.name = (name, entry.node, entry.path)
        }
        if let entry = map.node("upstream", required: true), let name = reader.string(entry.node, at: entry.path) {
            result.upstream = (name, entry.node, entry.path)
        }
        var routePath: RoutePath?
        if let entry = map.node("path", required: true) {
            result.pathNode = entry
            routePath = self.routePath(entry.node, at: entry.path)
        }
        var host: HostPattern?? = .some(nil)
        if let entry = map.node("host", required: false) {
            host = reader.string(entry.node, at: entry.path).flatMap { text -> HostPattern?? in
                switch HostPattern.parse(text) {
                case .success(let pattern): return .some(pattern)
                case .failure(let reason):
                    reader.fail(.badValue, at: entry.node, entry.path, "invalid host \"\(text)\": \(reason.text)")
                    return nil
                }
            }
        }
        var methods: [String]?? = .some(nil)
        if let entry = map.node("methods", required: false) {
            methods = self.methods(entry.node, at: entry.path).map { .some($0) }
        }
        var stripPrefix = map.bool("strip_prefix", default: false)
        if stripPrefix == true, let routePath, let entry = map.node("strip_prefix", required: false) {
            if case .prefix = routePath {} else {
                reader.fail(.badValue, at: entry.node, entry.path, "strip_prefix applies only to a prefix path")
                stripPrefix = nil
            }
        }
        let isPublic = map.bool("public", default: false)
        var policy: RoutePolicy?? = .some(nil)
        if let entry = map.node("policy", required: false) {
            policy = routePolicy(entry.node, at: entry.path, routePath: routePath).map { .some($0) }
            if isPublic == true {
                reader.fail(.badValue, at: entry.node, entry.path,
                            "a public route is forwarded without a token, so its policy would never run; remove one of them")
                policy = nil
            }
        }
        var audit = map.bool("audit", default: true)
        if audit == false, isPublic == false, let entry = map.node("audit", required: false) {
            reader.fail(.badValue, at: entry.node, entry.path,
                        "only a public route may turn its audit records off; every decision on a protected route is recorded")
            audit = nil
        }
        var reaches = map.bool("reaches_protected_paths", default: false)
        if reaches == true, isPublic == false, let entry = map.node("reaches_protected_paths", required: false) {
            reader.fail(.badValue, at: entry.node, entry.path, "applies only to a public route (public: true)")
            reaches = nil
        }
        var maxBody: Int?? = .some(nil)
        if let entry = map.node("max_body_bytes", required: false) {
            maxBody = reader.int(entry.node, at: entry.path).flatMap { value -> Int?? in
                guard value >= 1 else {
                    reader.fail(.badValue, at: entry.node, entry.path, "must be at least 1, found \(value)")
                    return nil
                }
                return .some(value)
            }
        }
        result.publicNode = map.node("public", required: false) ?? (node, path)
        if let name = result.name?.value, let upstream = result.upstream?.value, let routePath,
           let host, let methods, let stripPrefix, let isPublic, let policy, let audit, let reaches, let maxBody {
            result.config = RouteConfig(
                name: name, host: host, path: routePath, methods: methods, upstream: upstream,
                stripPrefix: stripPrefix, isPublic: isPublic, policy: policy, audit: audit,
                reachesProtectedPaths: reaches, maxBodyBytes: maxBody)
        }
        return result
    }

    private func routePath(_ node: Node, at path: ConfigKeyPath) -> RoutePath? {
        guard let map = reader.mapping(node, at: path, known: Self.pathKeys) else { return nil }
        let present = Self.pathKeys.filter { map.entries[$0] != nil }
        guard present.count == 1, let kind = present.first, let entry = map.node(kind, required: true) else {
            if present.isEmpty {
                reader.fail(.missingKey, at: node, path, "expected one of exact, prefix or template")
            } else {
                reader.fail(.badValue, at: node, path,
                            "give exactly one of exact, prefix or template (found \(present.joined(separator: ", ")))")
            }
            return nil
        }
        guard let text = reader.string(entry.node, at: entry.path) else { return nil }
        if kind == "template" {
            switch PathTemplate.parse(text) {
            case .success(let template): return .template(template)
            case .failure(let reason):
                reader.fail(.badValue, at: entry.node, entry.path, "invalid template \"\(text)\": \(reason.text)")
                return nil
            }
        }
        guard text.hasPrefix("/"), !text.contains("?"), !text.contains("#") else {
            reader.fail(.badValue, at: entry.node, entry.path,
                        "invalid path \"\(text)\": must start with \"/\" and have no query or fragment")
            return nil
        }
        return kind == "exact" ? .exact(text) : .prefix(text)
    }

    private func methods(_ node: Node, at path: ConfigKeyPath) -> [String]? {
        guard let items = reader.list(node, at: path) else { return nil }
        guard !items.isEmpty else {
            reader.fail(.badValue, at: node, path, "list at least one method, or leave methods out to allow all")
            return nil
        }
        var seen: Set<String> = []
        var ok = true
        for (index, item) in items.enumerated() {
            guard let method = reader.string(item, at: path.index(index)) else {
                ok = false
                continue
            }
            guard method.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
                reader.fail(.badValue, at: item, path.index(index),
                            "invalid method \"\(method)\": methods are upper-case tokens, e.g. \"\(method.uppercased())\"")
                ok = false
                continue
            }
            if !seen.insert(method).inserted {
                reader.fail(.badValue, at: item, path.index(index), "method \"\(method)\" is listed twice")
                ok = false
            }
        }
        return ok ? items.compactMap(\.scalar?.string) : nil
    }

    func resolve(_ path: String) -> String {
        guard !path.hasPrefix("/"), let baseDirectory, !baseDirectory.isEmpty else { return path }
        return baseDirectory.hasSuffix("/") ? baseDirectory + path : baseDirectory + "/" + path
    }
}

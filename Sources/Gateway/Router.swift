import Foundation
import GatewayConfig

/// Picks the route for a request. Built once from the configuration; routes are tried
/// in file order and the first whose host, path and method all match wins, the same
/// order `GatewayConfig` uses to report unreachable routes.
public struct Router: Sendable {
    public let routes: [RouteConfig]

    public init(routes: [RouteConfig]) {
        self.routes = routes
    }

    /// - Parameters:
    ///   - authority: `:authority` as received; the port and a trailing dot are ignored.
    ///   - target: `:path` as received, with its query.
    public func match(method: String, authority: String, target: String) -> RouterResult {
        let queryStart = target.firstIndex(of: "?") ?? target.endIndex
        let path = String(target[..<queryStart])
        let query = target[queryStart...]
        if let reason = Self.refusal(of: path) { return .badPath(reason: reason) }
        let host = Self.hostName(authority)
        var allowed: [String] = []
        for route in routes {
            if let pattern = route.host, !pattern.matches(host) { continue }
            guard let parameters = Self.parameters(of: route.path, matching: path) else { continue }
            if let methods = route.methods, !methods.contains(method) {
                for method in methods where !allowed.contains(method) { allowed.append(method) }
                continue
            }
            var upstreamPath = path
            if route.stripPrefix, case .prefix(let prefix) = route.path {
                upstreamPath = String(path.dropFirst(prefix.count))
                if !upstreamPath.hasPrefix("/") { upstreamPath = "/" + upstreamPath }
            }
            return .matched(RouteMatch(route: route, parameters: parameters, upstreamPath: upstreamPath + query))
        }
        return allowed.isEmpty ? .notFound : .methodNotAllowed(allowed: allowed)
    }

    private static func parameters(of routePath: RoutePath, matching path: String) -> [String: String]? {
        switch routePath {
        case .exact(let exact): return path == exact ? [:] : nil
        case .prefix(let prefix): return path.hasPrefix(prefix) ? [:] : nil
        case .template(let template):
            return template.match(path)?.mapValues { $0.removingPercentEncoding ?? $0 }
        }
    }

    /// Lowercase host without port: `API.example.com:4433` → `api.example.com`, `[::1]:443` → `::1`.
    static func hostName(_ authority: String) -> String {
        var host = Substring(authority.lowercased())
        if host.hasPrefix("[") {
            host = host.dropFirst().prefix { $0 != "]" }
        } else if let colon = host.lastIndex(of: ":") {
            host = host[..<colon]
        }
        if host.hasSuffix(".") { host = host.dropLast() }
        return String(host)
    }

    /// Dot segments (also percent-encoded) are refused rather than resolved: resolving
    /// them here and again upstream could disagree, and `/public/../admin` must never
    /// reach an upstream through the public route.
    private static func refusal(of path: String) -> String? {
        guard path.hasPrefix("/") else { return "the path must start with \"/\"" }
        for segment in path.split(separator: "/", omittingEmptySubsequences: false) {
            // Only a segment of dots or one with an escape can be a refusal: most paths
            // leave here without allocating.
            guard segment.contains("%") || segment.first == "." || segment.contains("\\") else { continue }
            let decoded = String(segment).removingPercentEncoding ?? String(segment)
            if decoded == "." || decoded == ".." { return "the path contains a \"\(decoded)\" segment" }
            if decoded.contains("/") || decoded.contains("\\") {
                return "the path contains an encoded slash or backslash"
            }
        }
        return nil
    }
}

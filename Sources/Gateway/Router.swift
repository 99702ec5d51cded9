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
        let queryStart = target.utf8.firstIndex(of: UInt8(ascii: "?")) ?? target.endIndex
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
            guard var captures = template.match(path) else { return nil }
            for (name, value) in captures where PercentDecoding.isEncoded(value) {
                captures[name] = PercentDecoding.decode(value) ?? value
            }
            return captures
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
    /// reach an upstream through the public route. For the same reason empty segments
    /// (`//`, merged by many upstreams) and `;` (path parameters: Tomcat reads `..;` as
    /// `..`) are refused.
    private static func refusal(of path: String) -> String? {
        let bytes = path.utf8
        guard bytes.first == UInt8(ascii: "/") else { return "the path must start with \"/\"" }
        // Only a segment that starts with a dot or holds an escape or a backslash can
        // be refused: most paths are scanned once, byte by byte, without allocating.
        var segmentStart = bytes.index(after: bytes.startIndex)
        var suspicious = false
        var index = segmentStart
        while true {
            let atEnd = index == bytes.endIndex
            if atEnd || bytes[index] == UInt8(ascii: "/") {
                if suspicious, let reason = segmentRefusal(path[segmentStart..<index]) { return reason }
                if atEnd { return nil }
                if index == segmentStart { return "the path contains an empty segment (\"//\")" }
                segmentStart = bytes.index(after: index)
                suspicious = false
            } else {
                let byte = bytes[index]
                if byte == UInt8(ascii: ";") { return "the path contains \";\" (path parameters are not accepted)" }
                if byte <= 0x20 || byte == 0x7F { return "the path contains a space or control character" }
                if byte == UInt8(ascii: "%") || byte == UInt8(ascii: "\\")
                    || (byte == UInt8(ascii: ".") && index == segmentStart) {
                    suspicious = true
                }
            }
            index = bytes.index(after: index)
        }
    }

    /// Looks at the bytes the segment decodes to, not at a string: a segment whose
    /// escapes do not form UTF-8 (`%2F%C3`) must not hide its encoded slash.
    private static func segmentRefusal(_ segment: Substring) -> String? {
        let decoded = PercentDecoding.bytes(segment)
        if decoded.allSatisfy({ $0 == UInt8(ascii: ".") }), decoded.count == 1 || decoded.count == 2 {
            return "the path contains a \"\(String(decoding: decoded, as: UTF8.self))\" segment"
        }
        if decoded.contains(UInt8(ascii: "/")) || decoded.contains(UInt8(ascii: "\\")) {
            return "the path contains an encoded slash or backslash"
        }
        if decoded.contains(where: { $0 < 0x20 || $0 == 0x7F }) || decoded.contains(UInt8(ascii: ";")) {
            return "the path contains an encoded control character or \";\""
        }
        return nil
    }
}

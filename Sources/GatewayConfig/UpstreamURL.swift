/// One base URL of an upstream. Requests go to `basePath` + the route's upstream path.
public struct UpstreamURL: Sendable, Hashable, CustomStringConvertible {
    public var scheme: String
    public var host: String
    public var port: Int
    /// Empty, or a path starting with `/` and never ending with one.
    public var basePath: String

    public init(scheme: String, host: String, port: Int, basePath: String) {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.basePath = basePath
    }

    /// Why a URL was refused, phrased to finish the sentence `invalid upstream URL "…": `.
    static func parse(_ text: String) -> Result<UpstreamURL, ReasonText> {
        let scheme: String
        if text.hasPrefix("http://") { scheme = "http" } else if text.hasPrefix("https://") { scheme = "https" } else {
            return .failure(ReasonText("scheme must be http or https"))
        }
        let rest = text.dropFirst(scheme.count + 3)
        if rest.contains("?") || rest.contains("#") { return .failure(ReasonText("query and fragment are not allowed")) }
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        if authority.contains("@") { return .failure(ReasonText("credentials in the URL are not allowed")) }
        var path = String(rest[authorityEnd...])
        while path.hasSuffix("/") { path.removeLast() }
        let defaultPort = scheme == "https" ? 443 : 80
        let hostPort: ConfigAddress?
        if authority.hasPrefix("[") {
            hostPort = authority.hasSuffix("]")
                ? ConfigAddress(host: String(authority.dropFirst().dropLast()), port: defaultPort)
                : ConfigAddress(parsing: String(authority))
        } else if authority.contains(":") {
            hostPort = ConfigAddress(parsing: String(authority))
        } else {
            hostPort = authority.isEmpty ? nil : ConfigAddress(host: String(authority), port: defaultPort)
        }
        guard let hostPort, !hostPort.host.isEmpty, hostPort.port > 0 else {
            return .failure(ReasonText("expected a host and an optional port, e.g. http://127.0.0.1:8081"))
        }
        return .success(UpstreamURL(scheme: scheme, host: hostPort.host, port: hostPort.port, basePath: path))
    }

    public var description: String {
        let host = self.host.contains(":") ? "[\(self.host)]" : self.host
        return "\(scheme)://\(host):\(port)\(basePath)"
    }
}

/// A human-readable reason carried through `Result` by the small parsers of this module.
struct ReasonText: Error, Sendable {
    var text: String
    init(_ text: String) { self.text = text }
}

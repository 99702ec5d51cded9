/// How a route matches the request path (never the query).
public enum RoutePath: Sendable, Hashable, CustomStringConvertible {
    /// The whole path equals this.
    case exact(String)
    /// The path starts with this string. It is a plain string prefix: write `/api/` to
    /// match whole segments, since `/api` also matches `/apiary`.
    case prefix(String)
    case template(PathTemplate)

    public var description: String {
        switch self {
        case .exact(let path): "exact: \(path)"
        case .prefix(let path): "prefix: \(path)"
        case .template(let template): "template: \(template)"
        }
    }
}

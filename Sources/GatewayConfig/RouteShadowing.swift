/// Decides whether an earlier route answers every request a later one could, which
/// makes the later route dead configuration. Conservative: it reports only sure cases.
enum RouteShadowing {
    static func covers(_ earlier: RouteConfig, _ later: RouteConfig) -> Bool {
        hostCovers(earlier.host, later.host) && methodsCover(earlier.methods, later.methods)
            && pathCovers(earlier.path, later.path)
    }

    private static func hostCovers(_ earlier: HostPattern?, _ later: HostPattern?) -> Bool {
        guard let earlier else { return true }
        guard let later else { return false }
        if earlier == later { return true }
        if case .exact(let name) = later { return earlier.matches(name) }
        return false
    }

    private static func methodsCover(_ earlier: [String]?, _ later: [String]?) -> Bool {
        guard let earlier else { return true }
        guard let later else { return false }
        return Set(later).isSubset(of: earlier)
    }

    private static func pathCovers(_ earlier: RoutePath, _ later: RoutePath) -> Bool {
        switch (earlier, later) {
        case (.prefix(let prefix), .exact(let path)), (.prefix(let prefix), .prefix(let path)):
            return path.hasPrefix(prefix)
        case (.prefix(let prefix), .template(let template)):
            return template.literalPrefix.hasPrefix(prefix)
        case (.exact(let a), .exact(let b)):
            return a == b
        case (.template(let template), .exact(let path)):
            return template.match(path) != nil
        case (.template(let a), .template(let b)):
            return a.hasSameShape(as: b)
        default:
            return false
        }
    }
}

import Yams

/// Rules that span entries: unique names, upstream references, and routes that can
/// never match because an earlier route takes all their requests.
struct ConfigValidator {
    let reader: ConfigReader

    func validate(upstreams: [ConfigParser.Upstream], routes: [ConfigParser.Route]) {
        let upstreamNames = uniqueNames(upstreams.compactMap(\.name), kind: "upstream", code: .duplicateUpstreamName)
        _ = uniqueNames(routes.compactMap(\.name), kind: "route", code: .duplicateRouteName)
        for route in routes {
            guard let upstream = route.upstream, !upstreamNames.contains(upstream.value) else { continue }
            let defined = upstreamNames.isEmpty
                ? "no upstreams are defined" : "defined: " + upstreamNames.sorted().joined(separator: ", ")
            reader.fail(.unknownUpstream, at: upstream.node, upstream.path,
                        "no upstream named \"\(upstream.value)\" (\(defined))")
        }
        checkShadowing(routes)
    }

    /// Reports every repeat of a name at the repeat, pointing back to the first; returns the set of names.
    private func uniqueNames(
        _ names: [(value: String, node: Node, path: ConfigKeyPath)], kind: String, code: ConfigError.Code
    ) -> Set<String> {
        var first: [String: (node: Node, path: ConfigKeyPath)] = [:]
        for name in names {
            if let earlier = first[name.value] {
                let line = earlier.node.mark.map { ", line \($0.line)" } ?? ""
                reader.fail(code, at: name.node, name.path,
                            "duplicate \(kind) name \"\(name.value)\" (first defined at \(earlier.path)\(line))")
            } else {
                first[name.value] = (name.node, name.path)
            }
        }
        return Set(first.keys)
    }

    private func checkShadowing(_ routes: [ConfigParser.Route]) {
        for (index, route) in routes.enumerated() {
            guard let later = route.config, let pathNode = route.pathNode else { continue }
            for earlierRoute in routes[..<index] {
                guard let earlier = earlierRoute.config, RouteShadowing.covers(earlier, later) else { continue }
                reader.fail(.unreachableRoute, at: pathNode.node, pathNode.path,
                            "route \"\(later.name)\" is unreachable: route \"\(earlier.name)\" (\(earlierRoute.path)) "
                                + "comes first and matches every request it would match")
                break
            }
        }
    }
}


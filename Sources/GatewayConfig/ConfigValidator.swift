import Yams

/// Rules that span entries: unique names, upstream references, routes that can never
/// match because an earlier route takes all their requests, and routes that would let a
/// request past the checks (a protected route without token checks, a public route that
/// reaches a protected route's upstream paths).
struct ConfigValidator {
    let reader: ConfigReader

    func validate(upstreams: [ConfigParser.Upstream], routes: [ConfigParser.Route], hasTokens: Bool) {
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
        if !hasTokens { checkTokensPresent(routes) }
        checkPublicReach(routes, upstreams: upstreams.compactMap(\.config))
    }

    /// Fail closed: without a `tokens` section no request can be authenticated, so a
    /// protected route has no way to be checked. There is no implicit "forward unchecked".
    private func checkTokensPresent(_ routes: [ConfigParser.Route]) {
        for route in routes {
            guard let config = route.config, !config.isPublic, let node = route.publicNode else { continue }
            reader.fail(.protectedRouteWithoutTokens, at: node.node, node.path,
                        "route \"\(config.name)\" is protected, but there is no tokens section to check its requests; "
                            + "add a tokens section, or mark the route public: true to forward it without a token")
        }
    }

    private func checkPublicReach(_ routes: [ConfigParser.Route], upstreams: [UpstreamConfig]) {
        let guarded = routes.compactMap(\.config).filter { !$0.isPublic }
        for route in routes {
            guard let open = route.config, open.isPublic, !open.reachesProtectedPaths, let node = route.publicNode else { continue }
            for protected in guarded {
                guard let found = UpstreamPathOverlap.finding(public: open, protected: protected, upstreams: upstreams)
                else { continue }
                reader.fail(.publicReachesProtected, at: node.node, node.path,
                            "public route \"\(open.name)\" reaches what protected route \"\(protected.name)\" guards: "
                                + "\(found.clientPath) needs no token and is sent to upstream \"\(open.upstream)\" as "
                                + "\(found.upstreamPath); give the public route its own upstream or path space, or set "
                                + "reaches_protected_paths: true if that content is meant to be public")
                break
            }
        }
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


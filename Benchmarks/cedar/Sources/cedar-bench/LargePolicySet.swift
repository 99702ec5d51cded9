/// Workload (b): a large deployment, 1,000 policies over 10,000 entities (2,500 users in
/// 200 groups, 7,000 documents in 300 nested folders), mostly RBAC grants with
/// attribute conditions and some forbids, and 1,000 requests. Deterministic: the same
/// text on every run, so Swift and cedarpy see identical input.
enum LargePolicySet {
    static let users = 2_500, groups = 200, folders = 300, docs = 7_000
    static let actions = ["read", "list", "edit", "comment", "share", "delete"]

    /// A well-spread deterministic number in `0..<n` for item `i` (SplitMix64 finaliser).
    static func pick(_ i: Int, _ salt: Int, _ n: Int) -> Int {
        var z = UInt64(truncatingIfNeeded: i &* 0x9E37_79B9 &+ salt &* 0x85EB_CA6B)
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(n))
    }

    static func policies(count: Int) -> String {
        var out: [String] = []
        for i in 0..<count {
            let g = pick(i, 1, groups), f = pick(i, 2, folders), a = actions[pick(i, 3, actions.count)]
            switch i % 10 {
            case 0, 1, 2, 3:
                out.append("permit(principal in Group::\"g\(g)\", action == Action::\"\(a)\", resource in Folder::\"f\(f)\");")
            case 4, 5:
                out.append("""
                    permit(principal is User, action == Action::"\(a)", resource in Folder::"f\(f)")
                      when { principal.level >= resource.level && principal.dept == "d\(pick(i, 4, 20))" };
                    """)
            case 6:
                out.append("""
                    permit(principal, action in [Action::"read", Action::"list"], resource is Doc)
                      when { resource has owner && resource.owner == principal && context.mfa };
                    """)
            case 7:
                out.append("""
                    permit(principal in Group::"g\(g)", action, resource == Doc::"d\(pick(i, 5, docs))")
                      when { context.ip.isInRange(ip("10.\(pick(i, 6, 4)).0.0/16")) };
                    """)
            case 8:
                out.append("""
                    forbid(principal, action == Action::"delete", resource in Folder::"f\(f)")
                      unless { principal.level > \(pick(i, 7, 10)) };
                    """)
            default:
                out.append("""
                    forbid(principal in Group::"g\(g)", action, resource)
                      when { resource has tags && resource.tags.contains("secret") && !context.mfa };
                    """)
            }
        }
        return out.joined(separator: "\n")
    }

    static func entities() -> String {
        var out: [String] = []
        func uid(_ type: String, _ id: String) -> String { "{\"type\":\"\(type)\",\"id\":\"\(id)\"}" }
        for u in 0..<users {
            let parents = (0..<(1 + pick(u, 10, 3))).map { uid("Group", "g\(pick(u, 11 + $0, groups))") }
            out.append("""
                {"uid":\(uid("User", "u\(u)")),"attrs":{"level":\(pick(u, 14, 10)),"dept":"d\(pick(u, 15, 20))"},\
                "parents":[\(parents.joined(separator: ","))]}
                """)
        }
        for g in 0..<groups {
            let parents = g >= 20 ? [uid("Group", "g\(pick(g, 16, 20))")] : []
            out.append("{\"uid\":\(uid("Group", "g\(g)")),\"attrs\":{},\"parents\":[\(parents.joined(separator: ","))]}")
        }
        for f in 0..<folders {
            // Folders form a forest: each folder's parent has a smaller number.
            let parents = f >= 10 ? [uid("Folder", "f\(pick(f, 17, f))")] : []
            out.append("""
                {"uid":\(uid("Folder", "f\(f)")),"attrs":{"level":\(pick(f, 18, 10))},"parents":[\(parents.joined(separator: ","))]}
                """)
        }
        for d in 0..<docs {
            let tags = pick(d, 19, 8) == 0 ? ",\"tags\":[\"secret\",\"hr\"]" : ""
            out.append("""
                {"uid":\(uid("Doc", "d\(d)")),"attrs":{"level":\(pick(d, 20, 10)),\
                "owner":{"__entity":\(uid("User", "u\(pick(d, 21, users))"))}\(tags)},\
                "parents":[\(uid("Folder", "f\(pick(d, 22, folders))"))]}
                """)
        }
        for a in actions { out.append("{\"uid\":\(uid("Action", a)),\"attrs\":{},\"parents\":[]}") }
        return "[" + out.joined(separator: ",\n") + "]"
    }

    static func requests(count: Int) -> [String] {
        (0..<count).map { i in
            """
            {"principal":{"type":"User","id":"u\(pick(i, 30, users))"},\
            "action":{"type":"Action","id":"\(actions[pick(i, 31, actions.count)])"},\
            "resource":{"type":"Doc","id":"d\(pick(i, 32, docs))"},\
            "context":{"mfa":\(pick(i, 33, 2) == 0),"ip":{"__extn":{"fn":"ip","arg":"10.\(pick(i, 34, 4)).\(pick(i, 35, 256)).7"}}}}
            """
        }
    }

    static func workload() -> Workload {
        Workload(
            name: "large_policy_set", label: "(b) 1,000 policies, 10,000 entities",
            scenarios: [Scenario(name: "large", policies: policies(count: 1_000), entities: entities(), requests: requests(count: 1_000))])
    }
}

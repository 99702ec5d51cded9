/// Workload (c): membership 20 levels deep. User `leaf` is in group `g1`, `g1` in `g2`,
/// … `g19` in `g20`; documents sit at the bottom of a 20-deep folder chain. Policies
/// grant at the top of both chains, so every `in` has to see through the whole
/// hierarchy; requests come from users attached at every depth.
enum DeepHierarchy {
    static let depth = 20

    static func workload() -> Workload {
        func uid(_ type: String, _ id: String) -> String { "{\"type\":\"\(type)\",\"id\":\"\(id)\"}" }
        var entities: [String] = []
        for level in 1...depth {
            let parent = level < depth ? uid("Group", "g\(level + 1)") : ""
            entities.append("{\"uid\":\(uid("Group", "g\(level)")),\"attrs\":{},\"parents\":[\(parent)]}")
            let folderParent = level < depth ? uid("Folder", "f\(level + 1)") : ""
            entities.append("{\"uid\":\(uid("Folder", "f\(level)")),\"attrs\":{},\"parents\":[\(folderParent)]}")
            entities.append("{\"uid\":\(uid("User", "u\(level)")),\"attrs\":{\"level\":\(level)},\"parents\":[\(uid("Group", "g\(level)"))]}")
            entities.append("{\"uid\":\(uid("Doc", "d\(level)")),\"attrs\":{},\"parents\":[\(uid("Folder", "f\(level)"))]}")
        }
        entities.append("{\"uid\":\(uid("User", "outsider")),\"attrs\":{\"level\":0},\"parents\":[]}")
        for a in ["read", "write"] { entities.append("{\"uid\":\(uid("Action", a)),\"attrs\":{},\"parents\":[]}") }
        let policies = """
            permit(principal in Group::"g\(depth)", action == Action::"read", resource in Folder::"f\(depth)");
            permit(principal in Group::"g\(depth / 2)", action == Action::"write", resource in Folder::"f\(depth)")
              when { principal.level <= \(depth / 2) };
            forbid(principal in Group::"g3", action == Action::"write", resource in Folder::"f2");
            permit(principal, action, resource in Folder::"f\(depth)") when { principal in Group::"g\(depth - 1)" && resource in Folder::"f1" };
            forbid(principal, action, resource) unless { principal in Group::"g\(depth)" };
            """
        var requests: [String] = []
        for level in 1...depth {
            for (action, doc) in [("read", 1), ("write", level), ("write", 1)] {
                requests.append("""
                    {"principal":\(uid("User", "u\(level)")),"action":\(uid("Action", action)),"resource":\(uid("Doc", "d\(doc)")),"context":{}}
                    """)
            }
        }
        requests.append("{\"principal\":\(uid("User", "outsider")),\"action\":\(uid("Action", "read")),\"resource\":\(uid("Doc", "d1")),\"context\":{}}")
        return Workload(
            name: "deep_hierarchy", label: "(c) hierarchy depth 20",
            scenarios: [Scenario(name: "deep", policies: policies, entities: "[" + entities.joined(separator: ",\n") + "]", requests: requests)])
    }
}

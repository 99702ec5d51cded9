/// One generated scenario: a policy set, an entity store and requests against them.
struct DifferentialCase {
    /// Cedar policy text; ids are the default `policy0`, `policy1`, … in both engines.
    var policies: String
    /// The entities JSON document (an array of entities).
    var entities: String
    /// Request JSON documents, `{"principal": {"type","id"}, "action": …, "resource": …, "context": {…}}`.
    var requests: [String]
}

/// Builds random but reproducible cases: a small world of users in groups, documents in
/// folders and grouped actions; entities carry most of their attributes (some are left
/// out on purpose); requests mix existing and unknown principals and resources.
struct CaseGenerator {
    private var rng: SplitMix64

    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    mutating func next() -> DifferentialCase {
        let users = (0..<rng.int(in: 1...8)).map { "u\($0)" }
        let groups = (0..<rng.int(in: 1...5)).map { "g\($0)" }
        let folders = (0..<rng.int(in: 1...4)).map { "f\($0)" }
        let docs = (0..<rng.int(in: 1...8)).map { "d\($0)" }
        let actions = ["view", "edit", "delete", "read", "write"]

        var entities: [GeneratedJSON] = []
        for id in users { entities.append(user(id, users: users, groups: groups)) }
        for (i, id) in groups.enumerated() {
            entities.append(entity("Group", id, attrs: [("name", .string(rng.pick(ExpressionGenerator.strings))), ("level", long())],
                                   parents: groups[..<i].filter { _ in rng.chance(0.3) }.map { ("Group", $0) }))
        }
        for (i, id) in folders.enumerated() {
            entities.append(entity("Folder", id, attrs: [("name", .string(rng.pick(ExpressionGenerator.strings))), ("level", long())],
                                   parents: folders[..<i].filter { _ in rng.chance(0.4) }.map { ("Folder", $0) }))
        }
        for id in docs { entities.append(doc(id, users: users, folders: folders)) }
        let actionParents = ["view": ["read"], "edit": ["write", "read"], "delete": ["write"], "read": [], "write": []]
        for id in actions {
            entities.append(entity("Action", id, attrs: [], parents: (actionParents[id] ?? []).map { ("Action", $0) }))
        }

        func literal(_ type: String, _ id: String) -> String { "\(type)::\(ExpressionGenerator.cedarString(id))" }
        var expressions = ExpressionGenerator(
            rng: rng,
            entityLiterals: users.map { literal("User", $0) } + docs.map { literal("Doc", $0) }
                + folders.map { literal("Folder", $0) } + [literal("User", "ghost"), literal("Doc", "gone")],
            containerLiterals: groups.map { literal("Group", $0) } + folders.map { literal("Folder", $0) }
                + actions.map { literal("Action", $0) })
        var policies: [String] = []
        for _ in 0..<expressions.rng.int(in: 1...6) {
            var text = "\(expressions.rng.chance(0.7) ? "permit" : "forbid")(\(expressions.scope()))"
            for _ in 0..<expressions.rng.int(in: 0...2) {
                text += "\n  \(expressions.rng.chance(0.75) ? "when" : "unless") { \(expressions.expression(.bool, depth: 4)) }"
            }
            policies.append(text + ";")
        }
        rng = expressions.rng

        var requests: [String] = []
        for _ in 0..<rng.int(in: 3...10) {
            let principal = rng.chance(0.85) ? ("User", rng.pick(users)) : rng.pick([("Group", groups[0]), ("User", "ghost")])
            let resource = rng.chance(0.85)
                ? (rng.chance(0.75) ? ("Doc", rng.pick(docs)) : ("Folder", rng.pick(folders))) : ("Doc", "gone")
            let request = GeneratedJSON.object([
                ("principal", .uid(principal.0, principal.1)),
                ("action", .uid("Action", rng.pick(actions))),
                ("resource", .uid(resource.0, resource.1)),
                ("context", context()),
            ])
            requests.append(request.text)
        }
        return DifferentialCase(policies: policies.joined(separator: "\n"), entities: GeneratedJSON.array(entities).text, requests: requests)
    }

    private mutating func user(_ id: String, users: [String], groups: [String]) -> GeneratedJSON {
        let attrs: [(String, GeneratedJSON)] = [
            ("name", .string(rng.pick(ExpressionGenerator.strings))),
            ("age", long()),
            ("level", long()),
            ("tags", stringSet()),
            ("manager", .entity("User", rng.pick(users + ["ghost"]))),
            ("addr", .extensionCall("ip", rng.pick(ExpressionGenerator.ipLiterals))),
            ("score", .extensionCall("decimal", rng.pick(ExpressionGenerator.decimalLiterals))),
            ("profile", record()),
        ]
        return entity("User", id, attrs: attrs, parents: groups.filter { _ in rng.chance(0.4) }.map { ("Group", $0) })
    }

    private mutating func doc(_ id: String, users: [String], folders: [String]) -> GeneratedJSON {
        let attrs: [(String, GeneratedJSON)] = [
            ("name", .string(rng.pick(ExpressionGenerator.strings))),
            ("owner", .entity("User", rng.pick(users))),
            ("public", .bool(rng.chance(0.5))),
            ("size", long()),
            ("labels", stringSet()),
            ("folder", .entity("Folder", rng.pick(folders))),
            ("score", .extensionCall("decimal", rng.pick(ExpressionGenerator.decimalLiterals))),
        ]
        return entity("Doc", id, attrs: attrs, parents: folders.filter { _ in rng.chance(0.5) }.map { ("Folder", $0) })
    }

    /// An entity with each attribute kept with probability 0.85, so `has` and missing
    /// attribute errors both happen.
    private mutating func entity(_ type: String, _ id: String, attrs: [(String, GeneratedJSON)], parents: [(String, String)]) -> GeneratedJSON {
        .object([
            ("uid", .uid(type, id)),
            ("attrs", .object(attrs.filter { _ in rng.chance(0.85) })),
            ("parents", .array(parents.map { .uid($0.0, $0.1) })),
        ])
    }

    private mutating func context() -> GeneratedJSON {
        let fields: [(String, GeneratedJSON)] = [
            ("authenticated", .bool(rng.chance(0.5))),
            ("n", long()),
            ("ns", .array((0..<rng.below(4)).map { _ in .int(Int64(rng.int(in: 0...5))) })),
            ("tags", stringSet()),
            ("rec", record()),
            ("ip", .extensionCall("ip", rng.pick(ExpressionGenerator.ipLiterals))),
            ("score", .extensionCall("decimal", rng.pick(ExpressionGenerator.decimalLiterals))),
        ]
        return .object(fields.filter { _ in rng.chance(0.8) })
    }

    private mutating func record() -> GeneratedJSON {
        var fields: [(String, GeneratedJSON)] = [("dept", .string(rng.pick(ExpressionGenerator.strings)))]
        if rng.chance(0.8) { fields.append(("active", .bool(rng.chance(0.5)))) }
        if rng.chance(0.6) { fields.append(("n", long())) }
        return .object(fields)
    }

    private mutating func long() -> GeneratedJSON {
        rng.chance(0.08) ? .int(rng.pick([Int64.max, Int64.min + 1, 1 << 62])) : .int(Int64(rng.int(in: -3...20)))
    }

    private mutating func stringSet() -> GeneratedJSON {
        .array(Array(Set((0..<rng.below(4)).map { _ in rng.pick(ExpressionGenerator.strings) })).sorted().map { .string($0) })
    }
}

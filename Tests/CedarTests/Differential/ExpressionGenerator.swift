import Foundation

/// Writes random Cedar expressions as text, typed enough that most of them evaluate, with
/// deliberate error paths mixed in: attributes that only some entities have, principals
/// of the wrong type, 64-bit overflow, ill-typed operands and malformed extension literals.
///
/// Attribute access goes through fixed paths (`principal.manager.level`, `context.rec.n`)
/// that match what `CaseGenerator` puts into entities and contexts, so `has` guards and
/// missing attributes both occur.
struct ExpressionGenerator {
    /// The kinds of value an expression is generated for.
    enum Kind: CaseIterable {
        case bool, long, string, entity, stringSet, longSet, record, ip, decimal
    }

    var rng: SplitMix64
    /// Entity literals that may appear in policies, in Cedar syntax (some do not exist).
    let entityLiterals: [String]
    /// Group, folder and action literals, the usual right-hand sides of `in`.
    let containerLiterals: [String]

    static let strings = ["alice", "bob", "eng", "ops", "", "a*b", "caf\u{e9}", "q\"t"]
    static let patterns = ["*", "a*", "*o*", "eng", "", #"a\*b"#, "*b", "?"]
    static let ipLiterals = ["10.1.2.3", "127.0.0.1", "::1", "192.168.0.0/16", "10.0.0.0/8", "ff02::1", "224.0.0.1"]
    static let decimalLiterals = ["0.0", "1.5", "-2.25", "922337203685477.5807", "3.1415"]
    static let entityTypes = ["User", "Group", "Doc", "Folder", "Action"]

    static let paths: [Kind: [String]] = [
        .bool: ["resource.public", "principal.profile.active", "context.authenticated", "context.rec.active"],
        .long: ["principal.age", "principal.level", "principal.manager.level", "resource.size", "resource.level", "context.n", "context.rec.n"],
        .string: ["principal.name", "principal.profile.dept", "resource.name", "context.rec.dept", "principal.manager.name"],
        .entity: ["principal", "resource", "action", "principal.manager", "resource.owner", "resource.folder"],
        .stringSet: ["principal.tags", "resource.labels", "context.tags"],
        .longSet: ["context.ns"],
        .record: ["principal.profile", "context.rec"],
        .ip: ["principal.addr", "context.ip"],
        .decimal: ["principal.score", "resource.score", "context.score"],
    ]

    /// `has` tests that succeed on some entities and records and fail on others.
    static let hasTests = [
        "principal has age", "principal has manager", "resource has owner", "resource has level",
        "context has n", "context has rec", "principal.profile has dept", "context.rec has n", "principal has \"tags\"",
    ]

    mutating func expression(_ kind: Kind, depth: Int) -> String {
        if rng.chance(0.02) { return illTyped(kind) }
        if depth <= 0 || rng.chance(0.25) { return leaf(kind) }
        let d = depth - 1
        switch kind {
        case .bool: return boolean(d)
        case .long: return long(d)
        case .string:
            return rng.chance(0.5) ? leaf(.string) : "(if \(expression(.bool, depth: d)) then \(expression(.string, depth: d)) else \(expression(.string, depth: d)))"
        case .entity:
            return rng.chance(0.7) ? leaf(.entity) : "(if \(expression(.bool, depth: d)) then \(expression(.entity, depth: d)) else \(expression(.entity, depth: d)))"
        case .stringSet:
            return "[" + (0..<rng.below(4)).map { _ in expression(.string, depth: d) }.joined(separator: ", ") + "]"
        case .longSet:
            return "[" + (0..<rng.below(4)).map { _ in expression(.long, depth: d) }.joined(separator: ", ") + "]"
        case .record:
            var fields = ["dept: \(expression(.string, depth: d))"]
            if rng.chance(0.7) { fields.append("active: \(expression(.bool, depth: d))") }
            if rng.chance(0.4) { fields.append("\"n\": \(expression(.long, depth: d))") }
            return "{" + fields.joined(separator: ", ") + "}"
        case .ip, .decimal:
            return leaf(kind)
        }
    }

    /// A policy's scope, `principal …, action …, resource …`.
    mutating func scope() -> String {
        let users = entityLiterals.filter { $0.hasPrefix("User::") }
        let resources = entityLiterals.filter { $0.hasPrefix("Doc::") || $0.hasPrefix("Folder::") }
        let groups = containerLiterals.filter { $0.hasPrefix("Group::") }
        let folders = containerLiterals.filter { $0.hasPrefix("Folder::") }
        let actions = containerLiterals.filter { $0.hasPrefix("Action::") }
        let principal: String
        switch rng.below(5) {
        case 0: principal = "principal"
        case 1: principal = "principal == \(rng.pick(users))"
        case 2: principal = "principal in \(rng.pick(groups))"
        case 3: principal = "principal is User"
        default: principal = "principal is User in \(rng.pick(groups))"
        }
        let action: String
        switch rng.below(4) {
        case 0: action = "action"
        case 1: action = "action == \(rng.pick(actions))"
        case 2: action = "action in \(rng.pick(actions))"
        default: action = "action in [\(rng.pick(actions)), \(rng.pick(actions))]"
        }
        let resource: String
        switch rng.below(5) {
        case 0: resource = "resource"
        case 1: resource = "resource == \(rng.pick(resources))"
        case 2: resource = "resource in \(rng.pick(folders))"
        case 3: resource = "resource is Doc"
        default: resource = "resource is Doc in \(rng.pick(folders))"
        }
        return "\(principal), \(action), \(resource)"
    }

    private mutating func boolean(_ d: Int) -> String {
        switch rng.below(17) {
        case 0: return "(\(expression(.bool, depth: d)) && \(expression(.bool, depth: d)))"
        case 1: return "(\(expression(.bool, depth: d)) || \(expression(.bool, depth: d)))"
        case 2: return "!(\(expression(.bool, depth: d)))"
        case 3: return "(\(expression(.long, depth: d)) \(rng.pick(["<", "<=", ">", ">=", "==", "!="])) \(expression(.long, depth: d)))"
        case 4: return "(\(expression(.string, depth: d)) \(rng.pick(["==", "!="])) \(expression(.string, depth: d)))"
        case 5: return "(\(expression(.entity, depth: d)) \(rng.pick(["==", "!="])) \(expression(.entity, depth: d)))"
        case 6:
            let rhs = rng.chance(0.3)
                ? "[\(rng.pick(containerLiterals)), \(rng.pick(entityLiterals))]" : expression(.entity, depth: d)
            return "(\(expression(.entity, depth: d)) in \(rhs))"
        case 7:
            let type = rng.pick(Self.entityTypes)
            return rng.chance(0.3)
                ? "(\(expression(.entity, depth: d)) is \(type) in \(rng.pick(containerLiterals)))"
                : "(\(expression(.entity, depth: d)) is \(type))"
        case 8: return rng.chance(0.5) ? "(\(rng.pick(Self.hasTests)))" : "(\(rng.pick(Self.hasTests)) && \(expression(.bool, depth: d)))"
        case 9: return "(\(expression(.string, depth: d)) like \"\(rng.pick(Self.patterns))\")"
        case 10:
            let method = rng.pick(["contains", "containsAll", "containsAny"])
            let argument = method == "contains" ? expression(.string, depth: d) : expression(.stringSet, depth: d)
            return "\(expression(.stringSet, depth: d)).\(method)(\(argument))"
        case 11:
            return rng.chance(0.5)
                ? "\(expression(.longSet, depth: d)).contains(\(expression(.long, depth: d)))"
                : "\(expression(.stringSet, depth: d)).isEmpty()"
        case 12: return "(if \(expression(.bool, depth: d)) then \(expression(.bool, depth: d)) else \(expression(.bool, depth: d)))"
        case 13:
            let ip = expression(.ip, depth: d)
            return rng.chance(0.5)
                ? "\(ip).isInRange(\(expression(.ip, depth: d)))"
                : "\(ip).\(rng.pick(["isIpv4", "isIpv6", "isLoopback", "isMulticast"]))()"
        case 14:
            let method = rng.pick(["lessThan", "lessThanOrEqual", "greaterThan", "greaterThanOrEqual"])
            return "\(expression(.decimal, depth: d)).\(method)(\(expression(.decimal, depth: d)))"
        case 15: return "(\(expression(.record, depth: d)) \(rng.pick(["==", "!="])) \(expression(.record, depth: d)))"
        default:
            let kind = rng.pick([Kind.longSet, .stringSet])
            return "(\(expression(kind, depth: d)) == \(expression(kind, depth: d)))"
        }
    }

    private mutating func long(_ d: Int) -> String {
        switch rng.below(6) {
        case 0: return "(\(expression(.long, depth: d)) + \(expression(.long, depth: d)))"
        case 1: return "(\(expression(.long, depth: d)) - \(expression(.long, depth: d)))"
        case 2: return "(\(expression(.long, depth: d)) * \(expression(.long, depth: d)))"
        case 3: return "(-(\(expression(.long, depth: d))))"
        case 4: return "(if \(expression(.bool, depth: d)) then \(expression(.long, depth: d)) else \(expression(.long, depth: d)))"
        default: return leaf(.long)
        }
    }

    private mutating func leaf(_ kind: Kind) -> String {
        if rng.chance(0.45), let paths = Self.paths[kind] {
            let path = rng.pick(paths)
            return rng.chance(0.04) ? path + ".missing" : path
        }
        switch kind {
        case .bool: return rng.chance(0.5) ? "true" : "false"
        case .long:
            if rng.chance(0.1) { return rng.pick(["9223372036854775807", "-9223372036854775807", "4611686018427387904"]) }
            return String(rng.int(in: -5...20))
        case .string: return Self.cedarString(rng.pick(Self.strings))
        case .entity: return rng.pick(entityLiterals + containerLiterals)
        case .stringSet: return "[" + (0..<rng.below(3)).map { _ in Self.cedarString(rng.pick(Self.strings)) }.joined(separator: ", ") + "]"
        case .longSet: return "[" + (0..<rng.below(3)).map { _ in String(rng.int(in: 0...5)) }.joined(separator: ", ") + "]"
        case .record: return "{dept: \(Self.cedarString(rng.pick(Self.strings))), active: \(rng.chance(0.5))}"
        case .ip: return "ip(\"\(rng.chance(0.03) ? "10.0.0.999" : rng.pick(Self.ipLiterals))\")"
        case .decimal: return "decimal(\"\(rng.chance(0.03) ? "1.23456" : rng.pick(Self.decimalLiterals))\")"
        }
    }

    /// An operand of the wrong type, to exercise the evaluator's type errors.
    private mutating func illTyped(_ kind: Kind) -> String {
        let other = rng.pick(Kind.allCases.filter { $0 != kind })
        return leaf(other)
    }

    /// A Cedar string literal.
    static func cedarString(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

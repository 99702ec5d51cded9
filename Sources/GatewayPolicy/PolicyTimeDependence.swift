import Cedar

/// Whether a policy set's answers can depend on `context.time`, the only context field
/// that differs between two requests of the same session with the same method, path
/// and client address (docs/policies.md). When none can, such requests get the same
/// decision, and the gateway may reuse it instead of evaluating again.
///
/// Conservative: `context` used whole (compared, put in a record, passed to a function)
/// counts as reading the time; only `context.<name>` with another name and
/// `context has <name>` do not.
public enum PolicyTimeDependence {
    public static func readsTime(_ set: PolicySet) -> Bool {
        set.policies.contains(where: readsTime) || set.templates.values.contains(where: readsTime)
    }

    public static func readsTime(_ policy: Policy) -> Bool {
        policy.conditions.contains { readsTime($0.body) }
    }

    public static func readsTime(_ expr: Expr) -> Bool {
        switch expr.kind {
        case .variable(let variable):
            return variable == .context
        case .literal, .slot:
            return false
        case .getAttr(let object, let name):
            if case .variable(.context) = object.kind { return name == "time" }
            return readsTime(object)
        case .hasAttr(let object, _):
            if case .variable(.context) = object.kind { return false }
            return readsTime(object)
        case .ifThenElse(let condition, let then, let otherwise):
            return readsTime(condition) || readsTime(then) || readsTime(otherwise)
        case .and(let left, let right), .or(let left, let right), .binary(_, let left, let right):
            return readsTime(left) || readsTime(right)
        case .unary(_, let operand), .like(let operand, _), .isType(let operand, _):
            return readsTime(operand)
        case .set(let elements), .extensionCall(_, let elements):
            return elements.contains(where: readsTime)
        case .record(let fields):
            return fields.contains { readsTime($0.value) }
        }
    }
}

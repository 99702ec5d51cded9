/// A fact established by a `has` or `hasTag` test that makes a later access safe, e.g.
/// `principal has email && principal.email like "*@x"`.
///
/// Expressions are compared by shape, ignoring source spans, because the test and the
/// access are different nodes of the same text.
struct Capability: Hashable {
    let subject: Expr
    /// The attribute name as a string literal, or the tag-key expression.
    let key: Expr
    let isTag: Bool

    static func attribute(_ subject: Expr, _ name: String) -> Capability {
        Capability(subject: subject.withoutSpans, key: Expr(.literal(.string(name))), isTag: false)
    }

    static func tag(_ subject: Expr, _ key: Expr) -> Capability {
        Capability(subject: subject.withoutSpans, key: key.withoutSpans, isTag: true)
    }
}

extension Expr {
    /// The same expression with every span cleared, for comparing expressions by shape.
    var withoutSpans: Expr {
        Expr(kind.withoutSpans)
    }
}

extension ExprKind {
    fileprivate var withoutSpans: ExprKind {
        switch self {
        case .literal, .variable, .slot: return self
        case .ifThenElse(let a, let b, let c): return .ifThenElse(a.withoutSpans, b.withoutSpans, c.withoutSpans)
        case .and(let a, let b): return .and(a.withoutSpans, b.withoutSpans)
        case .or(let a, let b): return .or(a.withoutSpans, b.withoutSpans)
        case .unary(let op, let a): return .unary(op, a.withoutSpans)
        case .binary(let op, let a, let b): return .binary(op, a.withoutSpans, b.withoutSpans)
        case .getAttr(let a, let name): return .getAttr(a.withoutSpans, name)
        case .hasAttr(let a, let name): return .hasAttr(a.withoutSpans, name)
        case .like(let a, let pattern): return .like(a.withoutSpans, pattern)
        case .isType(let a, let type): return .isType(a.withoutSpans, type)
        case .set(let elements): return .set(elements.map(\.withoutSpans))
        case .record(let fields): return .record(fields.map { RecordField(key: $0.key, value: $0.value.withoutSpans) })
        case .extensionCall(let name, let args): return .extensionCall(name, args.map(\.withoutSpans))
        }
    }
}

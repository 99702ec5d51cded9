/// Pre-evaluates the request-independent parts of a policy once, when it joins a
/// `PolicySet`, so the per-request path does not re-parse `ip("10.0.0.0/8")` or rebuild
/// literal sets such as `[Action::"a", Action::"b"]` on every call.
///
/// Only subtrees that read no variable and no entity data are folded (no `in`, attribute
/// or tag access), and only when their evaluation succeeds: an expression that would fail
/// is left in place so the policy still reports the error at request time.
/// `false && x`, `true || x` and `if <literal> then … else …` fold by short-circuit.
enum ConstantFolder {
    private static let evaluator = Evaluator(
        request: Request(principal: EntityUID(type: "", id: ""), action: EntityUID(type: "", id: ""), resource: EntityUID(type: "", id: "")),
        entities: .empty)

    static func fold(_ policy: Policy) -> Policy {
        var folded = policy
        folded.conditions = policy.conditions.map { Condition(kind: $0.kind, body: fold($0.body)) }
        return folded
    }

    static func fold(_ expr: Expr) -> Expr {
        let kind: ExprKind
        switch expr.kind {
        case .literal, .variable, .slot:
            return expr
        case .ifThenElse(let c, let t, let e):
            let c = fold(c)
            if case .literal(.bool(let b)) = c.kind { return fold(b ? t : e) }
            kind = .ifThenElse(c, fold(t), fold(e))
        case .and(let l, let r):
            let l = fold(l)
            if case .literal(.bool(false)) = l.kind { return Expr(.literal(.bool(false)), span: expr.span) }
            kind = .and(l, fold(r))
        case .or(let l, let r):
            let l = fold(l)
            if case .literal(.bool(true)) = l.kind { return Expr(.literal(.bool(true)), span: expr.span) }
            kind = .or(l, fold(r))
        case .unary(let op, let x): kind = .unary(op, fold(x))
        case .binary(let op, let l, let r): kind = .binary(op, fold(l), fold(r))
        case .getAttr(let x, let a): return Expr(.getAttr(fold(x), a), span: expr.span)
        case .hasAttr(let x, let a): return Expr(.hasAttr(fold(x), a), span: expr.span)
        case .like(let x, let p): kind = .like(fold(x), p)
        case .isType(let x, let t): kind = .isType(fold(x), t)
        case .set(let xs): kind = .set(xs.map(fold))
        case .record(let fs): kind = .record(fs.map { RecordField(key: $0.key, value: fold($0.value)) })
        case .extensionCall(let n, let xs): kind = .extensionCall(n, xs.map(fold))
        }
        let rebuilt = Expr(kind, span: expr.span)
        guard isFoldable(kind), let value = try? evaluator.evaluate(rebuilt) else { return rebuilt }
        return Expr(.literal(value), span: expr.span)
    }

    /// Whether `kind`'s operator is pure and all its operands are already literals.
    private static func isFoldable(_ kind: ExprKind) -> Bool {
        func lit(_ e: Expr) -> Bool {
            if case .literal = e.kind { return true }
            return false
        }
        switch kind {
        case .ifThenElse(let c, let t, let e): return lit(c) && lit(t) && lit(e)
        case .and(let l, let r), .or(let l, let r): return lit(l) && lit(r)
        case .unary(_, let x), .like(let x, _), .isType(let x, _): return lit(x)
        case .binary(let op, let l, let r):
            switch op {
            case .in, .hasTag, .getTag: return false
            default: return lit(l) && lit(r)
            }
        case .set(let xs), .extensionCall(_, let xs): return xs.allSatisfy(lit)
        case .record(let fs): return fs.allSatisfy { lit($0.value) }
        case .literal, .variable, .slot, .getAttr, .hasAttr: return false
        }
    }
}

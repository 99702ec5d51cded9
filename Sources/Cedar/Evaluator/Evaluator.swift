/// Evaluates expressions for one request against one entity store, with Cedar 4.x
/// semantics: checked 64-bit arithmetic, short-circuit `&&`/`||` that still type-check
/// the evaluated operands, structural equality for sets and records, and errors (never
/// silent `false`) for type mismatches and missing attributes or entities.
///
/// Error messages are built only on the error path; the success path does no string work.
struct Evaluator: Sendable {
    let request: Request
    let entities: Entities
    /// The request's own entities, looked up once per request rather than once per use.
    private let principalEntity: Entity?
    private let actionEntity: Entity?
    private let resourceEntity: Entity?

    init(request: Request, entities: Entities) {
        self.request = request
        self.entities = entities
        self.principalEntity = entities[request.principal]
        self.actionEntity = entities[request.action]
        self.resourceEntity = entities[request.resource]
    }

    @inline(__always)
    private func entity(_ uid: EntityUID) -> Entity? {
        if uid == request.principal { return principalEntity }
        if uid == request.resource { return resourceEntity }
        if uid == request.action { return actionEntity }
        return entities[uid]
    }

    /// Cedar's `a in b`, using the cached request entities.
    @inline(__always)
    private func isDescendant(_ a: EntityUID, of b: EntityUID) -> Bool {
        a == b || (entity(a)?.ancestors.contains(b) ?? false)
    }

    /// Whether `policy`'s scope and conditions all hold for the request.
    func isSatisfied(_ policy: Policy) throws(EvaluationError) -> Bool {
        guard scopeMatches(policy.principal, request.principal),
            actionMatches(policy.action),
            scopeMatches(policy.resource, request.resource)
        else { return false }
        for condition in policy.conditions {
            let value = try evaluate(condition.body)
            guard case .bool(let b) = value else { throw .type(expected: "bool", got: value, span: condition.body.span) }
            if b != (condition.kind == .when) { return false }
        }
        return true
    }

    private func scopeMatches(_ constraint: ScopeConstraint, _ uid: EntityUID) -> Bool {
        switch constraint {
        case .any: true
        case .eq(.uid(let target)): uid == target
        case .in(.uid(let target)): isDescendant(uid, of: target)
        case .isType(let type): uid.type == type
        case .isTypeIn(let type, .uid(let target)): uid.type == type && isDescendant(uid, of: target)
        case .eq(.slot), .in(.slot), .isTypeIn(_, .slot): false
        }
    }

    private func actionMatches(_ constraint: ActionConstraint) -> Bool {
        switch constraint {
        case .any: true
        case .eq(let target): request.action == target
        case .in(let target): isDescendant(request.action, of: target)
        case .inSet(let targets): targets.contains { isDescendant(request.action, of: $0) }
        }
    }

    /// The value of `expr`, or the first error met in evaluation order.
    func evaluate(_ expr: Expr) throws(EvaluationError) -> Value {
        switch expr.kind {
        case .literal(let v):
            return v
        case .variable(let v):
            switch v {
            case .principal: return .entity(request.principal)
            case .action: return .entity(request.action)
            case .resource: return .entity(request.resource)
            case .context: return .record(request.context)
            }
        case .slot(let s):
            throw EvaluationError(.unlinkedSlot, "template slot `\(s.rawValue)` is not linked", span: expr.span)
        case .ifThenElse(let c, let t, let e):
            return try bool(c) ? try evaluate(t) : try evaluate(e)
        case .and(let l, let r):
            guard try bool(l) else { return .bool(false) }
            return .bool(try bool(r))
        case .or(let l, let r):
            if try bool(l) { return .bool(true) }
            return .bool(try bool(r))
        case .unary(let op, let operand):
            return try unary(op, operand, expr.span)
        case .binary(let op, let l, let r):
            return try binary(op, try evaluate(l), try evaluate(r), expr.span)
        case .getAttr(let target, let attr):
            return try getAttr(try evaluate(target), attr, expr.span)
        case .hasAttr(let target, let attr):
            switch try evaluate(target) {
            case .record(let fields): return .bool(fields[attr] != nil)
            case .entity(let uid): return .bool(entity(uid)?.attributes[attr] != nil)
            case let other: throw .type(expected: "entity or record", got: other, span: target.span)
            }
        case .like(let target, let pattern):
            let v = try evaluate(target)
            guard case .string(let s) = v else { throw .type(expected: "string", got: v, span: target.span) }
            return .bool(pattern.matches(s))
        case .isType(let target, let type):
            let v = try evaluate(target)
            guard case .entity(let uid) = v else { throw .type(expected: "entity", got: v, span: target.span) }
            return .bool(uid.type == type)
        case .set(let elements):
            var set = Set<Value>(minimumCapacity: elements.count)
            for e in elements { set.insert(try evaluate(e)) }
            return .set(set)
        case .record(let fields):
            var record = [String: Value](minimumCapacity: fields.count)
            for f in fields { record[f.key] = try evaluate(f.value) }
            return .record(record)
        case .extensionCall(let name, let args):
            var values: [Value] = []
            values.reserveCapacity(args.count)
            for a in args { values.append(try evaluate(a)) }
            return try ExtensionFunctions.call(name, values, span: expr.span)
        }
    }

    private func bool(_ expr: Expr) throws(EvaluationError) -> Bool {
        let v = try evaluate(expr)
        guard case .bool(let b) = v else { throw .type(expected: "bool", got: v, span: expr.span) }
        return b
    }

    private func unary(_ op: UnaryOp, _ operand: Expr, _ span: SourceSpan) throws(EvaluationError) -> Value {
        let v = try evaluate(operand)
        switch (op, v) {
        case (.not, .bool(let b)): return .bool(!b)
        case (.neg, .long(let n)):
            let (result, overflow) = Int64(0).subtractingReportingOverflow(n)
            if overflow { throw EvaluationError(.integerOverflow, "integer overflow while negating \(n)", span: span) }
            return .long(result)
        case (.isEmpty, .set(let s)): return .bool(s.isEmpty)
        case (.not, _): throw .type(expected: "bool", got: v, span: operand.span)
        case (.neg, _): throw .type(expected: "long", got: v, span: operand.span)
        case (.isEmpty, _): throw .type(expected: "set", got: v, span: operand.span)
        }
    }

    private func binary(_ op: BinaryOp, _ l: Value, _ r: Value, _ span: SourceSpan) throws(EvaluationError) -> Value {
        switch op {
        case .eq: return .bool(l == r)
        case .notEq: return .bool(l != r)
        case .less, .lessEq, .greater, .greaterEq: return .bool(try compare(op, l, r, span))
        case .add, .sub, .mul: return .long(try arithmetic(op, l, r, span))
        case .in: return .bool(try isIn(l, r, span))
        case .contains:
            guard case .set(let s) = l else { throw .type(expected: "set", got: l, span: span) }
            return .bool(s.contains(r))
        case .containsAll, .containsAny:
            guard case .set(let a) = l else { throw .type(expected: "set", got: l, span: span) }
            guard case .set(let b) = r else { throw .type(expected: "set", got: r, span: span) }
            return .bool(op == .containsAll ? b.isSubset(of: a) : !a.isDisjoint(with: b))
        case .hasTag, .getTag:
            guard case .entity(let uid) = l else { throw .type(expected: "entity", got: l, span: span) }
            guard case .string(let tag) = r else { throw .type(expected: "string", got: r, span: span) }
            if op == .hasTag { return .bool(entity(uid)?.tags[tag] != nil) }
            guard let entity = entity(uid) else {
                throw EvaluationError(.entityDoesNotExist, "entity `\(uid)` does not exist", span: span)
            }
            guard let value = entity.tags[tag] else {
                throw EvaluationError(.missingTag, "`\(uid)` does not have the tag `\(tag)`", span: span)
            }
            return value
        }
    }

    /// `<` and friends: on longs, and on two datetimes or two durations.
    private func compare(_ op: BinaryOp, _ l: Value, _ r: Value, _ span: SourceSpan) throws(EvaluationError) -> Bool {
        func apply<T: Comparable>(_ a: T, _ b: T) -> Bool {
            switch op {
            case .less: a < b
            case .lessEq: a <= b
            case .greater: a > b
            default: a >= b
            }
        }
        switch (l, r) {
        case (.long(let a), .long(let b)): return apply(a, b)
        case (.ext(.datetime(let a)), .ext(.datetime(let b))): return apply(a, b)
        case (.ext(.duration(let a)), .ext(.duration(let b))): return apply(a, b)
        case (.long, _), (.ext(.datetime), _), (.ext(.duration), _):
            throw .type(expected: l.typeName, got: r, span: span)
        default:
            throw .type(expected: "long, datetime or duration", got: l, span: span)
        }
    }

    private func arithmetic(_ op: BinaryOp, _ l: Value, _ r: Value, _ span: SourceSpan) throws(EvaluationError) -> Int64 {
        guard case .long(let a) = l else { throw .type(expected: "long", got: l, span: span) }
        guard case .long(let b) = r else { throw .type(expected: "long", got: r, span: span) }
        let (result, overflow) =
            switch op {
            case .add: a.addingReportingOverflow(b)
            case .sub: a.subtractingReportingOverflow(b)
            default: a.multipliedReportingOverflow(by: b)
            }
        if overflow {
            throw EvaluationError(.integerOverflow, "integer overflow: \(a) \(op.rawValue) \(b)", span: span)
        }
        return result
    }

    /// `a in b` where `b` is an entity or a set of entities (every element must be one).
    private func isIn(_ l: Value, _ r: Value, _ span: SourceSpan) throws(EvaluationError) -> Bool {
        guard case .entity(let uid) = l else { throw .type(expected: "entity", got: l, span: span) }
        switch r {
        case .entity(let target):
            return isDescendant(uid, of: target)
        case .set(let targets):
            var found = false
            for t in targets {
                guard case .entity(let target) = t else { throw .type(expected: "set of entities", got: t, span: span) }
                if !found, isDescendant(uid, of: target) { found = true }
            }
            return found
        default:
            throw .type(expected: "entity or set of entities", got: r, span: span)
        }
    }

    private func getAttr(_ target: Value, _ attr: String, _ span: SourceSpan) throws(EvaluationError) -> Value {
        switch target {
        case .record(let fields):
            guard let v = fields[attr] else {
                throw EvaluationError(.missingAttribute, "record does not have the attribute `\(attr)`", span: span)
            }
            return v
        case .entity(let uid):
            guard let entity = entity(uid) else {
                throw EvaluationError(.entityDoesNotExist, "entity `\(uid)` does not exist", span: span)
            }
            guard let v = entity.attributes[attr] else {
                throw EvaluationError(.missingAttribute, "`\(uid)` does not have the attribute `\(attr)`", span: span)
            }
            return v
        default:
            throw .type(expected: "entity or record", got: target, span: span)
        }
    }
}

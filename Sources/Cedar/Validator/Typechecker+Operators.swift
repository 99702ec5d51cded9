/// Unary and binary operator rules of the strict type checker.
extension Typechecker {
    func typecheckUnary(_ op: UnaryOp, _ operand: Expr, _ prior: Set<Capability>) -> TypeAnswer {
        switch op {
        case .not:
            return expect(operand, [.anyBool], prior).then { type, _ in
                switch type {
                case .some(.bool(.alwaysTrue)): return .success(.singleton(false))
                case .some(.bool(.alwaysFalse)): return .success(.singleton(true))
                case .some: return .success(.anyBool)
                case .none: return .failure(.anyBool)
                }
            }
        case .neg:
            return expect(operand, [.long], prior).then { _, _ in .success(.long) }
        case .isEmpty:
            return expect(operand, [.anySet], prior).then { _, _ in .success(.anyBool) }
        }
    }

    func typecheckBinary(_ expr: Expr, _ op: BinaryOp, _ left: Expr, _ right: Expr, _ prior: Set<Capability>) -> TypeAnswer {
        switch op {
        case .eq:
            return typecheckEquality(expr, left, right, prior)
        case .notEq:
            // Cedar defines `a != b` as `!(a == b)`.
            return typecheckEquality(expr, left, right, prior).then { type, _ in
                switch type {
                case .some(.bool(.alwaysTrue)): return .success(.singleton(false))
                case .some(.bool(.alwaysFalse)): return .success(.singleton(true))
                default: return .success(.anyBool)
                }
            }
        case .less, .lessEq:
            return typecheckComparison(left, right, prior)
        case .greater, .greaterEq:
            // Cedar defines `a > b` as `b < a`.
            return typecheckComparison(right, left, prior)
        case .add, .sub, .mul:
            return expect(left, [.long], prior).then { _, _ in
                expect(right, [.long], prior).then { _, _ in .success(.long) }
            }
        case .in:
            return typecheckIn(left, right, prior)
        case .contains:
            return expect(left, [.anySet], prior).then { setType, _ in
                typecheck(right, prior).then { elementType, _ in
                    var declared: ValidatorType?
                    if case .some(.set(.some(let element))) = setType { declared = element }
                    return strictEquality(expr, .anyBool, declared, elementType, context: "the set element and the argument of `contains`")
                }
            }
        case .containsAll, .containsAny:
            return expect(left, [.anySet], prior).then { leftType, _ in
                expect(right, [.anySet], prior).then { rightType, _ in
                    strictEquality(expr, .anyBool, leftType, rightType, context: "the operands of `\(op.rawValue)`")
                }
            }
        case .hasTag:
            return typecheckHasTag(left, right, prior)
        case .getTag:
            return typecheckGetTag(expr, left, right, prior)
        }
    }

    private func typecheckEquality(_ expr: Expr, _ left: Expr, _ right: Expr, _ prior: Set<Capability>) -> TypeAnswer {
        let leftAnswer = typecheck(left, prior)
        let rightAnswer = typecheck(right, prior)
        return leftAnswer.then { leftType, _ in
            rightAnswer.then { rightType, _ in
                var type = ValidatorType.anyBool
                if let leftType, let rightType, ValidatorType.areDisjoint(leftType, rightType) {
                    type = .singleton(false)
                } else if let leftValue = literalValue(left), let rightValue = literalValue(right) {
                    type = .singleton(leftValue == rightValue)
                }
                return strictEquality(expr, type, leftType, rightType, context: "the operands of `==`")
            }
        }
    }

    /// Strict mode only lets values of compatible types be compared, unless the result
    /// is already known (`principal == Other::"x"` is simply false).
    private func strictEquality(_ expr: Expr, _ type: ValidatorType, _ left: ValidatorType?, _ right: ValidatorType?,
                                context: String) -> TypeAnswer {
        if case .bool(let kind) = type, kind != .any { return .success(type) }
        guard let left, let right else { return .success(type) }
        if ValidatorType.leastUpperBound(left, right) == nil {
            report(.incompatibleTypes, "\(context) have incompatible types: \(left.displayName) and \(right.displayName)", at: expr.span)
            return .failure(type)
        }
        return .success(type)
    }

    private func isComparable(_ type: ValidatorType) -> Bool {
        if case .long = type { return true }
        if case .extensionType(let name) = type { return ExtensionSignature.comparableExtensionTypes.contains(name) }
        return false
    }

    /// `lhs < rhs`: both Long, or both the same ordered extension type (datetime, duration).
    private func typecheckComparison(_ lhs: Expr, _ rhs: Expr, _ prior: Set<Capability>) -> TypeAnswer {
        typecheck(lhs, prior).then { leftType, _ in
            typecheck(rhs, prior).then { rightType, _ in
                guard let leftType, let rightType else { return .failure(.anyBool) }
                let comparable = "Long, datetime or duration"
                switch (leftType, rightType) {
                case (.never, .never):
                    return .failure(.anyBool)
                case (.never, let other), (let other, .never):
                    if isComparable(other) { return .success(.anyBool) }
                    report(.unexpectedType, "unexpected type: expected one of \(comparable) but saw \(other.displayName)",
                           at: leftType == .never ? rhs.span : lhs.span)
                    return .failure(.anyBool)
                case _ where leftType == rightType && isComparable(leftType):
                    return .success(.anyBool)
                case _ where isComparable(leftType):
                    report(.unexpectedType, "unexpected type: expected \(leftType.displayName) but saw \(rightType.displayName)", at: rhs.span)
                case _ where isComparable(rightType):
                    report(.unexpectedType, "unexpected type: expected \(rightType.displayName) but saw \(leftType.displayName)", at: lhs.span)
                default:
                    report(.unexpectedType, "unexpected type: expected one of \(comparable) but saw \(leftType.displayName)", at: lhs.span)
                    report(.unexpectedType, "unexpected type: expected one of \(comparable) but saw \(rightType.displayName)", at: rhs.span)
                }
                return .failure(.anyBool)
            }
        }
    }

    private func typecheckIn(_ lhs: Expr, _ rhs: Expr, _ prior: Set<Capability>) -> TypeAnswer {
        let leftAnswer = expect(lhs, [.anyEntity], prior)
        let rightAnswer = expect(rhs, [.set(.anyEntity), .anyEntity], prior)
        guard leftAnswer.succeeded, rightAnswer.succeeded else { return .failure(.anyBool) }
        if case .entity(let leftUID)? = literalValue(lhs), leftUID.type.isAction, let rightUIDs = literalEntities(rhs) {
            return typeOfActionIn(leftUID, rightUIDs)
        }
        guard case .entity(.union(let leftTypes))? = leftAnswer.type else { return .success(.anyBool) }
        let rightTypes: Set<String>
        switch rightAnswer.type {
        case .entity(.union(let types))?: rightTypes = types
        case .set(.entity(.union(let types)))?: rightTypes = types
        default: return .success(.anyBool)
        }
        return .success(anyTypeCanBeIn(leftTypes, rightTypes) ? .anyBool : .singleton(false))
    }

    /// Entity literals (or `action`) making up `expr`: a single one or a set of them.
    private func literalEntities(_ expr: Expr) -> [EntityUID]? {
        if case .entity(let uid)? = literalValue(expr) { return [uid] }
        guard case .set(let elements) = expr.kind else { return nil }
        var result: [EntityUID] = []
        for element in elements {
            guard case .entity(let uid)? = literalValue(element) else { return nil }
            result.append(uid)
        }
        return result
    }

    private func typeOfActionIn(_ action: EntityUID, _ candidates: [EntityUID]) -> TypeAnswer {
        let groups = candidates.filter(\.type.isAction).map { SchemaActionID(type: $0.type.name, id: $0.id) }
        guard !groups.isEmpty else { return .success(.singleton(false)) }
        guard let members = schema.actions(in: groups) else { return .failure(.anyBool) }
        return .success(.singleton(members.contains(SchemaActionID(type: action.type.name, id: action.id))))
    }

    private func anyTypeCanBeIn(_ leftTypes: Set<String>, _ rightTypes: Set<String>) -> Bool {
        leftTypes.contains { left in
            rightTypes.contains { right in
                schema.entityTypes(in: right).contains(left) || left == right
                    || schema.actions.values.contains { action in
                        action.id.type == right && action.descendants.contains { $0.type == left }
                    }
            }
        }
    }
}

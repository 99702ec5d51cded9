/// Type-checks one policy condition in one request environment, in strict mode,
/// following `cedar-policy-core/src/validator/typecheck.rs` rule by rule.
///
/// Boolean singleton types drive short-circuiting exactly as in Cedar: the right side
/// of `false && e` or `true || e` and the untaken branch of `if true …` are never
/// checked, so they cannot produce errors. Operator rules live in
/// `Typechecker+Operators.swift`, attribute and tag access in `Typechecker+Access.swift`.
final class Typechecker {
    let schema: Schema
    let environment: RequestEnvironment
    let policyID: PolicyID
    private(set) var errors: [ValidationError] = []

    init(schema: Schema, environment: RequestEnvironment, policyID: PolicyID) {
        self.schema = schema
        self.environment = environment
        self.policyID = policyID
    }

    func report(_ code: ValidationError.Code, _ message: String, at span: SourceSpan) {
        errors.append(ValidationError(code, message, policyID: policyID, span: span))
    }

    func typecheck(_ expr: Expr, _ prior: Set<Capability>) -> TypeAnswer {
        switch expr.kind {
        case .literal(let value):
            return literalAnswer(value)
        case .variable(let variable):
            switch variable {
            case .principal: return .success(.entity(named: environment.principal))
            case .resource: return .success(.entity(named: environment.resource))
            case .context: return .success(environment.context)
            case .action:
                guard let type = literalType(of: environment.action) else { return .failure(nil) }
                return .success(type)
            }
        case .slot(let slot):
            let assumed = slot == .principal ? environment.principalSlot : environment.resourceSlot
            return .success(assumed.map { .entity(named: $0) } ?? .anyEntity)
        case .ifThenElse(let test, let then, let otherwise):
            return typecheckIf(expr, test, then, otherwise, prior)
        case .and(let left, let right):
            return typecheckAnd(left, right, prior)
        case .or(let left, let right):
            return typecheckOr(left, right, prior)
        case .unary(let op, let operand):
            return typecheckUnary(op, operand, prior)
        case .binary(let op, let left, let right):
            return typecheckBinary(expr, op, left, right, prior)
        case .getAttr(let subject, let name):
            return typecheckGetAttr(expr, subject, name, prior)
        case .hasAttr(let subject, let name):
            return typecheckHasAttr(subject, name, prior)
        case .like(let subject, _):
            return expect(subject, [.string], prior).then { _, _ in .success(.anyBool) }
        case .isType(let subject, let type):
            return typecheckIs(subject, type.name, prior)
        case .set(let elements):
            return typecheckSet(expr, elements, prior)
        case .record(let fields):
            let answers = fields.map { typecheck($0.value, prior) }
            return TypeAnswer.all(answers) { types in
                var attributes: [String: ValidatorAttribute] = [:]
                for (field, type) in zip(fields, types) {
                    guard let type else { return .failure(nil) }
                    attributes[field.key] = ValidatorAttribute(type: type, isRequired: true)
                }
                return .success(.record(attributes, isOpen: false))
            }
        case .extensionCall(let name, let arguments):
            return typecheckExtensionCall(expr, name, arguments, prior)
        }
    }

    /// Checks `expr` and reports an error unless its type is (permissively) one of `expected`.
    func expect(_ expr: Expr, _ expected: [ValidatorType], _ prior: Set<Capability>) -> TypeAnswer {
        typecheck(expr, prior).then { type, capabilities in
            guard let type else { return .failure(nil) }
            if expected.contains(where: { type.isSubtype(of: $0, strict: false) }) {
                return .success(type, capabilities)
            }
            let names = expected.map(\.displayName).joined(separator: ", ")
            report(.unexpectedType, "unexpected type: expected \(expected.count == 1 ? names : "one of \(names)") but saw \(type.displayName)", at: expr.span)
            return .failure(nil)
        }
    }

    /// Least upper bound of recovered types; reports `incompatibleTypes` when there is none.
    func leastUpperBound(_ types: [ValidatorType?], at span: SourceSpan, context: String) -> ValidatorType? {
        let known = types.compactMap { $0 }
        guard known.count == types.count else { return nil }
        guard let bound = ValidatorType.leastUpperBound(of: known) else {
            report(.incompatibleTypes, "\(context) have incompatible types: \(known.map(\.displayName).joined(separator: ", "))", at: span)
            return nil
        }
        return bound
    }

    // MARK: literals

    private func literalAnswer(_ value: Value) -> TypeAnswer {
        switch value {
        case .bool(let b): return .success(.singleton(b))
        case .long: return .success(.long)
        case .string: return .success(.string)
        case .entity(let uid):
            guard let type = literalType(of: uid) else { return .failure(nil) }
            return .success(type)
        case .ext(let ext): return .success(.extensionType(ext.typeName))
        case .set, .record: return .failure(nil)
        }
    }

    /// The type of an entity literal, or nil when its type (or action) is not declared;
    /// that case is reported once by the scope checks, not by the type checker.
    func literalType(of uid: EntityUID) -> ValidatorType? {
        if uid.type.isAction {
            return schema.actions[SchemaActionID(type: uid.type.name, id: uid.id)] == nil ? nil : .entity(named: uid.type.name)
        }
        return schema.entityTypes[uid.type.name] == nil ? nil : .entity(named: uid.type.name)
    }

    /// `action` stands for the environment's action uid; other literals for themselves.
    func literalValue(_ expr: Expr) -> Value? {
        switch expr.kind {
        case .variable(.action): return .entity(environment.action)
        case .literal(let value): return value
        default: return nil
        }
    }

    // MARK: control flow

    private func typecheckIf(_ expr: Expr, _ test: Expr, _ then: Expr, _ otherwise: Expr, _ prior: Set<Capability>) -> TypeAnswer {
        expect(test, [.anyBool], prior).then { testType, testCapabilities in
            if testType == .singleton(true) {
                return typecheck(then, prior.union(testCapabilities)).then { type, capabilities in
                    .success(type, capabilities.union(testCapabilities))
                }
            }
            if testType == .singleton(false) {
                return typecheck(otherwise, prior).then { type, capabilities in .success(type, capabilities) }
            }
            var thenAnswer = typecheck(then, prior.union(testCapabilities))
            if thenAnswer.succeeded { thenAnswer.capabilities.formUnion(testCapabilities) }
            let elseAnswer = typecheck(otherwise, prior)
            return thenAnswer.then { thenType, thenCapabilities in
                elseAnswer.then { elseType, elseCapabilities in
                    guard let bound = leastUpperBound([thenType, elseType], at: expr.span, context: "the branches of `if`") else {
                        return .failure(nil)
                    }
                    return .success(bound, thenCapabilities.intersection(elseCapabilities))
                }
            }
        }
    }

    private func typecheckAnd(_ left: Expr, _ right: Expr, _ prior: Set<Capability>) -> TypeAnswer {
        expect(left, [.anyBool], prior).then { leftType, leftCapabilities in
            if leftType == .singleton(false) { return .success(leftType) }
            return expect(right, [.anyBool], prior.union(leftCapabilities)).then { rightType, rightCapabilities in
                guard let leftType, let rightType else { return .failure(.anyBool) }
                if rightType == .singleton(false) { return .success(rightType) }
                if rightType == .singleton(true) { return .success(leftType, leftCapabilities.union(rightCapabilities)) }
                if leftType == .singleton(true) { return .success(rightType, rightCapabilities) }
                return .success(.anyBool, leftCapabilities.union(rightCapabilities))
            }
        }
    }

    private func typecheckOr(_ left: Expr, _ right: Expr, _ prior: Set<Capability>) -> TypeAnswer {
        expect(left, [.anyBool], prior).then { leftType, leftCapabilities in
            if leftType == .singleton(true) { return .success(leftType, leftCapabilities) }
            return expect(right, [.anyBool], prior).then { rightType, rightCapabilities in
                guard let leftType, let rightType else { return .failure(.anyBool) }
                if rightType == .singleton(true) { return .success(rightType, rightCapabilities) }
                if rightType == .singleton(false) { return .success(leftType, leftCapabilities) }
                if leftType == .singleton(false) { return .success(rightType, rightCapabilities) }
                return .success(.anyBool, leftCapabilities.intersection(rightCapabilities))
            }
        }
    }

    private func typecheckSet(_ expr: Expr, _ elements: [Expr], _ prior: Set<Capability>) -> TypeAnswer {
        let answers = elements.map { typecheck($0, prior) }
        return TypeAnswer.all(answers) { types in
            let bound = leastUpperBound(types, at: expr.span, context: "set elements")
            if elements.isEmpty {
                report(.emptySetForbidden, "empty set literals are forbidden in policies", at: expr.span)
                return .failure(nil)
            }
            guard let bound else { return .failure(nil) }
            return .success(.set(bound))
        }
    }

    // MARK: extension functions

    private func typecheckExtensionCall(_ expr: Expr, _ name: String, _ arguments: [Expr], _ prior: Set<Capability>) -> TypeAnswer {
        guard let signature = ExtensionSignature.lookup(name) else {
            report(.undefinedFunction, "undefined extension function `\(name)`", at: expr.span)
            _ = arguments.map { typecheck($0, prior) }
            return .failure(nil)
        }
        var failed = false
        if arguments.count != signature.arguments.count {
            report(.wrongNumberArguments, "`\(name)` expects \(signature.arguments.count) argument(s) but got \(arguments.count)", at: expr.span)
            failed = true
        }
        if let check = signature.literalCheck {
            if arguments.count == 1, case .literal(.string(let text)) = arguments[0].kind, !check(text) {
                report(.functionArgumentValidation, "`\(name)(\(CedarString.quoted(text)))` is not a valid \(signature.result.displayName) literal", at: expr.span)
                failed = true
            }
            if !arguments.allSatisfy({ if case .literal = $0.kind { true } else { false } }) {
                report(.nonLiteralExtensionConstructor, "`\(name)` must be called with a literal argument in strict validation", at: expr.span)
                failed = true
            }
        }
        if failed {
            _ = arguments.map { typecheck($0, prior) }
            return .failure(signature.result)
        }
        let answers = zip(arguments, signature.arguments).map { expect($0, [$1], prior) }
        return TypeAnswer.all(answers) { _ in .success(signature.result) }
    }
}

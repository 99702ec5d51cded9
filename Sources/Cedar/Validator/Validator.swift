/// Strict validation of policies against a schema, as Cedar's `validate` does: a policy
/// set that validates cannot hit a type error at evaluation time for any request the
/// schema allows.
///
/// Each policy is first checked for unknown names and an impossible scope
/// (`ScopeChecks`), then its whole condition — scope, `when` and negated `unless`
/// clauses joined by `&&` — is type-checked once per request environment. Clauses after
/// a scope that is statically false in an environment are not checked there.
public struct Validator: Sendable {
    public let schema: Schema

    public init(schema: Schema) {
        self.schema = schema
    }

    /// All validation errors of `policies`, in policy order; empty means the set validates.
    public func validate(_ policies: [Policy]) -> [ValidationError] {
        let environments = RequestEnvironment.all(in: schema)
        return policies.flatMap { validate($0, environments: environments) }
    }

    func validate(_ policy: Policy, environments: [RequestEnvironment]) -> [ValidationError] {
        var errors = ScopeChecks(schema: schema).errors(for: policy)
        let condition = Self.condition(of: policy)
        var seen = Set<ValidationError>(errors)
        for environment in environments {
            for linked in linkedEnvironments(environment, policy) {
                let checker = Typechecker(schema: schema, environment: linked, policyID: policy.id)
                _ = checker.expect(condition, [.anyBool], [])
                for error in checker.errors where seen.insert(error).inserted {
                    errors.append(error)
                }
            }
        }
        return errors
    }

    /// The policy as one boolean expression, nested the way Cedar builds it:
    /// `principal && (action && (resource && (c1 && (c2 && …))))`.
    static func condition(of policy: Policy) -> Expr {
        let span = policy.span
        var body: Expr?
        for condition in policy.conditions.reversed() {
            let clause = condition.kind == .when ? condition.body : Expr(.unary(.not, condition.body), span: condition.body.span)
            body = body.map { Expr(.and(clause, $0), span: span) } ?? clause
        }
        let scope = [scopeExpr(policy.principal, .principal, span), actionExpr(policy.action, span), scopeExpr(policy.resource, .resource, span)]
        return scope.reversed().reduce(body ?? Expr(.literal(.bool(true)), span: span)) { Expr(.and($1, $0), span: span) }
    }

    private static func scopeExpr(_ constraint: ScopeConstraint, _ variable: Variable, _ span: SourceSpan) -> Expr {
        let subject = Expr(.variable(variable), span: span)
        func target(_ reference: EntityReference) -> Expr {
            switch reference {
            case .uid(let uid): return Expr(.literal(.entity(uid)), span: span)
            case .slot(let slot): return Expr(.slot(slot), span: span)
            }
        }
        switch constraint {
        case .any: return Expr(.literal(.bool(true)), span: span)
        case .eq(let reference): return Expr(.binary(.eq, subject, target(reference)), span: span)
        case .in(let reference): return Expr(.binary(.in, subject, target(reference)), span: span)
        case .isType(let type): return Expr(.isType(subject, type), span: span)
        case .isTypeIn(let type, let reference):
            return Expr(.and(Expr(.isType(subject, type), span: span), Expr(.binary(.in, subject, target(reference)), span: span)), span: span)
        }
    }

    /// Cedar turns `action in A` and `action in [A, B]` into `action in <set literal>`.
    private static func actionExpr(_ constraint: ActionConstraint, _ span: SourceSpan) -> Expr {
        let subject = Expr(.variable(.action), span: span)
        let literal = { (uid: EntityUID) in Expr(.literal(.entity(uid)), span: span) }
        switch constraint {
        case .any: return Expr(.literal(.bool(true)), span: span)
        case .eq(let uid): return Expr(.binary(.eq, subject, literal(uid)), span: span)
        case .in(let uid): return Expr(.binary(.in, subject, Expr(.set([literal(uid)]), span: span)), span: span)
        case .inSet(let uids): return Expr(.binary(.in, subject, Expr(.set(uids.map(literal)), span: span)), span: span)
        }
    }

    /// For templates, one environment per entity type each slot could be linked to.
    private func linkedEnvironments(_ environment: RequestEnvironment, _ policy: Policy) -> [RequestEnvironment] {
        let slots = policy.slots
        var result: [RequestEnvironment] = []
        for principal in slotTypes(slots.contains(.principal), policy.principal, environment.principal) {
            for resource in slotTypes(slots.contains(.resource), policy.resource, environment.resource) {
                var linked = environment
                linked.principalSlot = principal
                linked.resourceSlot = resource
                result.append(linked)
            }
        }
        return result
    }

    private func slotTypes(_ hasSlot: Bool, _ constraint: ScopeConstraint, _ variableType: String) -> [String?] {
        guard hasSlot else { return [nil] }
        switch constraint {
        case .eq: return [variableType]
        case .in, .isTypeIn:
            let ancestors = schema.entityTypes.values.filter { $0.descendants.contains(variableType) }.map(\.name).sorted()
            return ancestors + [variableType]
        case .any, .isType:
            return schema.entityTypes.keys.sorted()
        }
    }
}

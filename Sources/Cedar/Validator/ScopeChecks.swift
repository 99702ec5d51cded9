/// Checks on a policy that need no type checking: every entity type and action it names
/// exists, enum entities use a declared id, and the scope can match at least one action's
/// `appliesTo` (otherwise the policy could never apply: Cedar's `invalidActionApplication`).
struct ScopeChecks {
    let schema: Schema

    func errors(for policy: Policy) -> [ValidationError] {
        var errors: [ValidationError] = []
        let uids = entityUIDs(in: policy)
        for type in entityTypeNames(in: policy) where !schema.isKnownEntityType(type) {
            errors.append(ValidationError(.unrecognizedEntityType, "unrecognized entity type `\(type)`",
                                          policyID: policy.id, span: policy.span))
        }
        for uid in uids where !uid.type.isAction {
            if let choices = schema.entityTypes[uid.type.name]?.enumChoices, !choices.contains(uid.id) {
                errors.append(ValidationError(.invalidEnumEntity, "`\(uid)` is not one of the declared ids of enum type `\(uid.type)`",
                                              policyID: policy.id, span: policy.span))
            }
        }
        for uid in uids where uid.type.isAction && schema.actions[SchemaActionID(type: uid.type.name, id: uid.id)] == nil {
            errors.append(ValidationError(.unrecognizedActionId, "unrecognized action `\(uid)`", policyID: policy.id, span: policy.span))
        }
        if !actionCanApply(policy) {
            errors.append(ValidationError(.invalidActionApplication,
                                          "no action in the scope applies to the principal and resource types in the scope",
                                          policyID: policy.id, span: policy.span))
        }
        return errors
    }

    private func scopeUIDs(_ constraint: ScopeConstraint) -> [EntityUID] {
        switch constraint {
        case .eq(.uid(let uid)), .in(.uid(let uid)), .isTypeIn(_, .uid(let uid)): return [uid]
        default: return []
        }
    }

    private func actionUIDs(_ constraint: ActionConstraint) -> [EntityUID] {
        switch constraint {
        case .any: return []
        case .eq(let uid), .in(let uid): return [uid]
        case .inSet(let uids): return uids
        }
    }

    private func entityUIDs(in policy: Policy) -> [EntityUID] {
        var result = scopeUIDs(policy.principal) + actionUIDs(policy.action) + scopeUIDs(policy.resource)
        for condition in policy.conditions {
            condition.body.visit { expr in
                if case .literal(.entity(let uid)) = expr.kind { result.append(uid) }
            }
        }
        return result
    }

    private func entityTypeNames(in policy: Policy) -> [String] {
        var result: [String] = []
        for constraint in [policy.principal, policy.resource] {
            switch constraint {
            case .isType(let type), .isTypeIn(let type, .slot): result.append(type.name)
            case .isTypeIn(let type, .uid(let uid)): result += [type.name, uid.type.name]
            case .eq(.uid(let uid)), .in(.uid(let uid)): result.append(uid.type.name)
            default: break
            }
        }
        result += actionUIDs(policy.action).map(\.type.name)
        for condition in policy.conditions {
            condition.body.visit { expr in
                switch expr.kind {
                case .literal(.entity(let uid)): result.append(uid.type.name)
                case .isType(_, let type): result.append(type.name)
                default: break
                }
            }
        }
        return result
    }

    // MARK: action application

    private func actionCanApply(_ policy: Policy) -> Bool {
        let principals = typesSatisfying(policy.principal)
        let resources = typesSatisfying(policy.resource)
        return actionsSatisfying(policy.action).contains { id in
            guard let action = schema.actions[id] else { return false }
            return !principals.isDisjoint(with: action.principalTypes) && !resources.isDisjoint(with: action.resourceTypes)
        }
    }

    private func actionsSatisfying(_ constraint: ActionConstraint) -> [SchemaActionID] {
        switch constraint {
        case .any: return Array(schema.actions.keys)
        case .eq(let uid): return [SchemaActionID(type: uid.type.name, id: uid.id)]
        case .in(let uid): return Array(schema.actions(in: [SchemaActionID(type: uid.type.name, id: uid.id)]) ?? [])
        case .inSet(let uids): return Array(schema.actions(in: uids.map { SchemaActionID(type: $0.type.name, id: $0.id) }) ?? [])
        }
    }

    private func typesSatisfying(_ constraint: ScopeConstraint) -> Set<String> {
        let all = Set(schema.entityTypes.keys)
        switch constraint {
        case .any, .eq(.slot), .in(.slot): return all
        case .eq(.uid(let uid)): return [uid.type.name]
        case .in(.uid(let uid)): return schema.entityTypes(in: uid.type.name)
        case .isType(let type), .isTypeIn(let type, .slot): return all.contains(type.name) ? [type.name] : []
        case .isTypeIn(let type, .uid(let uid)): return schema.entityTypes(in: uid.type.name).intersection([type.name])
        }
    }
}

extension Expr {
    /// Calls `body` on this expression and every sub-expression, parents first.
    func visit(_ body: (Expr) -> Void) {
        body(self)
        switch kind {
        case .literal, .variable, .slot: break
        case .ifThenElse(let a, let b, let c): a.visit(body); b.visit(body); c.visit(body)
        case .and(let a, let b), .or(let a, let b), .binary(_, let a, let b): a.visit(body); b.visit(body)
        case .unary(_, let a), .getAttr(let a, _), .hasAttr(let a, _), .like(let a, _), .isType(let a, _): a.visit(body)
        case .set(let elements), .extensionCall(_, let elements): elements.forEach { $0.visit(body) }
        case .record(let fields): fields.forEach { $0.value.visit(body) }
        }
    }
}

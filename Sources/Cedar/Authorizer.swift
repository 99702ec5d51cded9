/// Allow or deny.
public enum Decision: String, Hashable, Sendable {
    case allow, deny
}

/// A policy that could not be evaluated, and why. Such a policy counts as not satisfied.
public struct PolicyEvaluationError: Error, Hashable, Sendable {
    public var policyID: PolicyID
    public var error: EvaluationError
}

/// The authorizer's answer with its justification.
public struct Response: Sendable, Hashable {
    public var decision: Decision
    /// The policies that determined the decision: satisfied `forbid`s on deny, satisfied
    /// `permit`s on allow; empty for the default deny.
    public var reason: Set<PolicyID>
    /// Policies skipped because evaluating them failed, in policy-set order.
    public var errors: [PolicyEvaluationError]
}

/// Cedar's authorization algorithm: every policy is evaluated; a satisfied `forbid` wins,
/// otherwise a satisfied `permit` allows, otherwise the answer is deny. A policy whose
/// evaluation fails is skipped and reported, so one broken policy cannot grant access.
public enum Authorizer {
    public static func isAuthorized(_ request: Request, policies: PolicySet, entities: Entities) -> Response {
        let evaluator = Evaluator(request: request, entities: entities)
        var permits: Set<PolicyID> = []
        var forbids: Set<PolicyID> = []
        var errors: [PolicyEvaluationError] = []
        for evaluable in policies.evaluable {
            let policy = evaluable.policy
            do {
                if try evaluator.isSatisfied(policy) {
                    if policy.effect == .permit {
                        permits.insert(policy.id)
                    } else {
                        forbids.insert(policy.id)
                    }
                }
            } catch {
                errors.append(PolicyEvaluationError(policyID: policy.id, error: error))
            }
        }
        if !forbids.isEmpty { return Response(decision: .deny, reason: forbids, errors: errors) }
        if !permits.isEmpty { return Response(decision: .allow, reason: permits, errors: errors) }
        return Response(decision: .deny, reason: [], errors: errors)
    }
}

import Cedar
import GatewayConfig

/// The policy step's answer for one request, with what an audit record needs.
///
/// Fails closed: a request is allowed only when a `permit` is satisfied, no `forbid` is,
/// and no policy failed to evaluate. An evaluation error anywhere turns the answer into
/// deny even if some `permit` matched, because the failed policy might have been a
/// `forbid`. No policy set (nothing loaded yet) and an unmappable request are denies too.
public struct PolicyDecision: Sendable, Hashable {
    public enum Reason: String, Sendable, Hashable {
        /// A permit matched, nothing forbade, nothing failed.
        case permitted
        /// A forbid matched.
        case forbidden
        /// No permit matched (Cedar's default deny).
        case noMatchingPermit = "no_matching_permit"
        /// Some policy could not be evaluated.
        case evaluationError = "evaluation_error"
        /// No policy set has been loaded successfully.
        case noPolicySet = "no_policy_set"
        /// The request could not be mapped to a Cedar request.
        case mappingFailed = "mapping_failed"
    }

    /// A policy skipped because evaluating it failed.
    public struct Failure: Sendable, Hashable {
        public var policyID: String
        public var message: String
    }

    public var isAllowed: Bool
    public var reason: Reason
    /// The epoch of the set decided with; nil when there was none.
    public var epoch: UInt64?
    /// The policies that determined the answer (matched permits on allow, matched
    /// forbids on deny), sorted.
    public var determiningPolicies: [String]
    public var failures: [Failure]
    /// For `mappingFailed` and `noPolicySet`: what went wrong, for the log.
    public var detail: String?

    /// Decides `request` against `snapshot` (take it once per request from `PolicyStore.snapshot`).
    public static func evaluate(_ request: PolicyRequest, snapshot: PolicySnapshot?) -> PolicyDecision {
        guard let snapshot else {
            return PolicyDecision(
                isAllowed: false, reason: .noPolicySet, epoch: nil, determiningPolicies: [], failures: [],
                detail: "no policy set is loaded")
        }
        let entities: Entities
        do {
            entities = try request.entitySet(adding: snapshot.entities)
        } catch {
            return PolicyDecision(
                isAllowed: false, reason: .mappingFailed, epoch: snapshot.epoch, determiningPolicies: [], failures: [],
                detail: error.message)
        }
        let response = Authorizer.isAuthorized(request.request, policies: snapshot.policies, entities: entities)
        let failures = response.errors.map { Failure(policyID: $0.policyID.rawValue, message: $0.error.description) }
        let determining = response.reason.map(\.rawValue).sorted()
        let reason: Reason
        switch response.decision {
        case .allow: reason = failures.isEmpty ? .permitted : .evaluationError
        case .deny: reason = !determining.isEmpty ? .forbidden : failures.isEmpty ? .noMatchingPermit : .evaluationError
        }
        return PolicyDecision(
            isAllowed: reason == .permitted, reason: reason, epoch: snapshot.epoch,
            determiningPolicies: determining, failures: failures, detail: nil)
    }

    /// The pipeline's one call: maps the request and decides it against the store's
    /// current set.
    public static func evaluate(
        route: RouteConfig, method: String, path: String, parameters: [String: String],
        facts: AuthorizationFacts, store: PolicyStore
    ) -> PolicyDecision {
        evaluate(route: route, method: method, path: path, parameters: parameters, facts: facts, snapshot: store.snapshot)
    }

    /// Maps the request and decides it against `snapshot` (taken once per request).
    public static func evaluate(
        route: RouteConfig, method: String, path: String, parameters: [String: String],
        facts: AuthorizationFacts, snapshot: PolicySnapshot?
    ) -> PolicyDecision {
        do {
            let request = try PolicyRequest(route: route, method: method, path: path, parameters: parameters, facts: facts)
            return evaluate(request, snapshot: snapshot)
        } catch {
            return PolicyDecision(
                isAllowed: false, reason: .mappingFailed, epoch: snapshot?.epoch, determiningPolicies: [], failures: [],
                detail: error.message)
        }
    }
}

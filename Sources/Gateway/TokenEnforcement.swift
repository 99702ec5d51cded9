import AuditLog
import Foundation
import GatewayConfig
import GatewayPolicy
import HTTP3
import Logging
import RTATokens
import TokenExchange

/// Everything the pipeline needs to enforce RTA tokens: the validator and session
/// store (PROTOCOL.md §1), the exchange (§2), the policy store and the audit trail (§8). Built once by `GatewayService`; each method is one pipeline step.
public final class TokenEnforcement: Sendable {
    /// The outcome of the token step.
    enum Authentication: Sendable {
        case valid(ValidatedToken)
        /// 401 with the error's wire code.
        case invalid(TokenError)
        /// The session store failed: 503, the token may be fine.
        case unavailable(String)
    }

    /// The outcome of the policy step, with what the audit record and upstream need.
    struct Verdict: Sendable {
        var isAllowed: Bool
        var decisionID: String
        var reason: String
        var policies: [String]
        var errors: [String]
    }

    let validator: TokenValidator
    let sessions: any SessionStore
    let exchange: TokenExchangeService
    /// Subject not-before and disabled state: written by signals and the admin API, read by the exchange.
    let revocations: any SubjectRevocations
    let policies: PolicyStore
    let audit: AuditTrail
    let connections = ConnectionStates()
    let decisions = DecisionCache()
    /// Event streams and in-flight requests per session (PROTOCOL.md §6).
    let hub: SessionEventHub
    let reissuer: SessionReissuer

    public init(
        validator: TokenValidator, sessions: any SessionStore, exchange: TokenExchangeService,
        revocations: any SubjectRevocations, policies: PolicyStore, auditWriter: AuditWriter?, logger: Logger
    ) {
        self.validator = validator
        self.sessions = sessions
        self.exchange = exchange
        self.revocations = revocations
        self.policies = policies
        self.audit = AuditTrail(writer: auditWriter, logger: logger)
        self.hub = SessionEventHub(tickInterval: Self.tickInterval(maxAge: validator.limits.maxAge))
        self.reissuer = SessionReissuer(sessions: sessions, keyRing: validator.keyRing, clock: validator.clock)
    }

    /// Step "token": parse `Authorization: RTA …` and run every §1 check for this connection.
    func authenticate(_ request: HTTP3Request, on connection: ConnectionState) async -> Authentication {
        let token: RTAToken
        switch RTAAuthorizationHeader.token(in: request.headers) {
        case .success(let found): token = found
        case .failure(let error): return .invalid(error)
        }
        do {
            let result = try await validator.validate(
                token, connectionID: request.connection.id, sessions: sessions,
                cache: connection.signatures)
            switch result {
            case .success(let validated): return .valid(validated)
            case .failure(let error): return .invalid(error)
            }
        } catch {
            return .unavailable("\(error)")
        }
    }

    /// Step "policy": the route's Cedar decision for the session (deny when no set is loaded).
    func authorize(_ match: RouteMatch, _ request: HTTP3Request, session: Session, on connection: ConnectionState) -> Verdict {
        let decisionID = DecisionID.random()
        let decision = decide(match, request, session: session, snapshot: policies.snapshot, on: connection)
        return Verdict(
            isAllowed: decision.isAllowed, decisionID: decisionID, reason: decision.reason.rawValue,
            policies: decision.determiningPolicies,
            errors: decision.failures.map { "\($0.policyID): \($0.message)" } + (decision.detail.map { [$0] } ?? []))
    }

    /// When the snapshot allows reuse: the connection's last decision if the key is the
    /// same, else the shared cache's, else evaluated and kept in both.
    private func decide(
        _ match: RouteMatch, _ request: HTTP3Request, session: Session, snapshot: PolicySnapshot?,
        on connection: ConnectionState
    ) -> PolicyDecision {
        let path = Self.pathOnly(request.path)
        let clientAddress = request.connection.remoteAddress
        let evaluate = {
            PolicyDecision.evaluate(
                route: match.route, method: request.method, path: path, parameters: match.parameters,
                facts: SessionAuthorizationFacts.facts(for: session, clientIP: clientAddress?.ipAddress ?? ""),
                snapshot: snapshot)
        }
        guard let snapshot, !snapshot.readsTime else { return evaluate() }
        let key = DecisionCache.Key(
            session: session.id, contextHash: session.contextHash, epoch: snapshot.epoch, route: match.route.name,
            method: request.method, path: path, clientAddress: clientAddress)
        if let remembered = connection.decision(for: key) { return remembered }
        let decision: PolicyDecision
        if let cached = decisions.decision(for: key) {
            decision = cached
        } else {
            decision = evaluate()
            decisions.store(decision, for: key)
        }
        connection.remember(decision, for: key)
        return decision
    }

    static func pathOnly(_ target: String) -> String {
        guard let query = target.utf8.firstIndex(of: UInt8(ascii: "?")) else { return target }
        return String(target[..<query])
    }
}

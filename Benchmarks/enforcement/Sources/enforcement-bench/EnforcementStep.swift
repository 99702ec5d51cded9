import AuditLog
import GatewayPolicy
import RTATokens
import Sodium

/// One measured unit of the gateway's per-request enforcement. `request` is the
/// sum the pipeline pays on an allowed request (header parse, every §1 check with the
/// signature cached, facts, Cedar decision, decision id, audit entry and append);
/// the others isolate its parts, plus the cold validation a new token costs.
enum EnforcementStep: String, CaseIterable {
    /// `TokenValidator.validate`, signature already verified on this connection.
    case validateWarm = "validate-warm"
    /// The same without a cache: the Ed25519 verify runs on every call.
    case validateCold = "validate-cold"
    /// libsodium `crypto_sign_verify_detached` alone, through `Ed25519PublicKey`.
    case ed25519Verify = "ed25519-verify"
    /// `PolicyDecision.evaluate` for GET /orders/42 against `policies/` (schema-validated).
    case policy = "policy"
    /// `AuditWriter.append` of a request record (queued; the writer thread seals and writes it).
    case auditAppend = "audit-append"
    /// `RTAToken(authorization:)` alone: what the QUIC loop pays per protected request,
    /// once a revocation is remembered, to tell whether it carries a revoked session
    /// (`RequestPipeline.executor(for:)`; the hub's set lookup comes on top).
    case tokenParse = "token-parse"
    /// Everything above that an allowed request with a known token pays.
    case request = "request"

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static let path = "/orders/42"

    func perform(_ fixture: EnforcementFixture) async throws {
        switch self {
        case .validateWarm: _ = try await validate(fixture, cache: fixture.cache)
        case .validateCold: _ = try await validate(fixture, cache: nil)
        case .ed25519Verify:
            let key = fixture.validator.keyRing.current.publicKey
            guard key.isValidSignature(fixture.token.signature, for: fixture.token.signedBytes) else {
                throw Failure(description: "signature does not verify")
            }
        case .policy: _ = try decide(fixture, session: fixture.session)
        case .tokenParse: _ = try RTAToken(authorization: fixture.header)
        case .auditAppend:
            try await fixture.writer.append(Self.entry(fixture.session, decision: nil, decisionID: "-"))
        case .request: try await request(fixture)
        }
    }

    private func validate(_ fixture: EnforcementFixture, cache: VerifiedSignatureCache?) async throws -> Session {
        let result = try await fixture.validator.validate(
            fixture.token.bytes, connectionID: EnforcementFixture.connectionID, sessions: fixture.sessions, cache: cache)
        switch result {
        case .success(let validated): return validated.session
        case .failure(let error): throw Failure(description: "token refused: \(error.code.rawValue)")
        }
    }

    private func decide(_ fixture: EnforcementFixture, session: Session) throws -> PolicyDecision {
        let decision = PolicyDecision.evaluate(
            route: fixture.route, method: "GET", path: Self.path, parameters: ["id": "42"],
            facts: SessionFacts.facts(for: session, clientIP: "127.0.0.1"), store: fixture.policies)
        guard decision.isAllowed else { throw Failure(description: "policy denied: \(decision.reason.rawValue)") }
        return decision
    }

    /// The pipeline's token → policy → audit sequence for an allowed request.
    private func request(_ fixture: EnforcementFixture) async throws {
        // Parsed once, as `RTAAuthorizationHeader` does in the gateway.
        let token = try RTAToken(authorization: fixture.header)
        let result = try await fixture.validator.validate(
            token, connectionID: EnforcementFixture.connectionID, sessions: fixture.sessions, cache: fixture.cache)
        guard case .success(let validated) = result else { throw Failure(description: "token refused") }
        let decision = try decide(fixture, session: validated.session)
        let decisionID = SecureRandom.hex(count: 16)  // `DecisionID.random()`
        try await fixture.writer.append(Self.entry(validated.session, decision: decision, decisionID: decisionID))
    }

    static func entry(_ session: Session, decision: PolicyDecision?, decisionID: String) -> AuditEntry {
        AuditEntry(
            ts: TokenClock.system.now(), kind: .request, decision: .allow,
            reason: decision?.reason.rawValue ?? "permitted",
            policies: decision?.determiningPolicies ?? ["orders-read"], session: session.labels.session,
            subject: session.labels.subject, agent: session.agentID, chain: session.chain,
            route: "order", method: "GET", path: path, status: 200, latencyUs: 120, decisionID: decisionID)
    }
}

import AuditLog
import GatewayPolicy
import Logging
import RTATokens

/// Carries a policy reload to the sessions. The policy epoch is part of every
/// session's context hash (PROTOCOL.md §3), so after a reload each active session
/// gets the new epoch, a session-level policy check (`SessionPolicyCheck`), and
/// either a fresh token on its event stream or a revocation. Tokens issued before the
/// reload then fail with `stale_context`: an agent without an event stream exchanges
/// again, and is judged by the new policies either way.
struct PolicyEpochPropagator: Sendable {
    let store: PolicyStore
    let enforcement: TokenEnforcement
    let metrics: GatewayMetrics
    let logger: Logger

    /// Runs until the task is cancelled.
    func run() async {
        for await snapshot in store.updates() {
            await propagate(epoch: snapshot.epoch)
        }
    }

    func propagate(epoch: UInt64) async {
        let started = ContinuousClock.now
        enforcement.exchange.setPolicyEpoch(epoch)
        let ids: [SessionID]
        do {
            ids = try await enforcement.sessions.activeSessions()
        } catch {
            logger.error("policy reload not carried to sessions: session store failed", metadata: ["error": "\(error)"])
            return
        }
        var reissued = 0
        var revoked: [SessionID] = []
        for id in ids {
            guard let (session, token) = try? await enforcement.reissuer.reissue(id, { $0.policyEpoch = epoch }) else { continue }
            let verdict = SessionPolicyCheck.evaluate(
                sessionID: session.id.hex, facts: SessionAuthorizationFacts.facts(for: session), store: store)
            guard case .forbidden = verdict else {
                enforcement.hub.publishToken(id, token: token, reason: "policy-reload")
                reissued += 1
                continue
            }
            let reason = RevocationReason(reason: "policy_denied", at: enforcement.validator.clock.now())
            guard let ended = try? await enforcement.sessions.revoke(id, reason: reason) else { continue }
            enforcement.hub.publishRevoked(ended, notice: .init(reason: "policy_denied"))
            revoked += ended
        }
        metrics.sessionsRevoked(revoked.count, cause: "policy")
        logger.info("policy epoch carried to sessions", metadata: [
            "epoch": "\(epoch)", "reissued": "\(reissued)", "revoked": "\(revoked.count)",
        ])
        await enforcement.audit.record(AuditEntry(
            ts: AuditTrail.now(), kind: .admin, decision: .allow, reason: "policy_reload",
            errors: ["epoch=\(epoch)", "reissued=\(reissued)", "revoked=\(revoked.count)"],
            latencyUs: AuditTrail.microseconds(since: started)))
        for id in revoked {
            await enforcement.audit.record(AuditEntry(
                ts: AuditTrail.now(), kind: .admin, decision: .block, reason: "policy_denied", errors: ["epoch=\(epoch)"],
                session: id.hex))
        }
    }
}

import AuditLog
import Foundation
import GatewayPolicy
import Logging
import RTATokens
import Signals
import TokenExchange

/// The gateway's side of PROTOCOL.md §5: a SET from any source (push on either
/// listener, or poll) goes through the `SignalProcessor`, then its effect reaches the
/// agents (`revoked` events and stream resets, fresh `token` events after a policy
/// re-check) and the audit log — all before the push is answered, so a `202` means
/// the subject's agents are already cut off and the records are written.
final class SignalIntake: Sendable {
    let receiver: PushReceiver
    let recent: RecentSignals
    private let enforcement: TokenEnforcement
    private let metrics: GatewayMetrics
    private let logger: Logger

    init(processor: SignalProcessor, enforcement: TokenEnforcement, metrics: GatewayMetrics, recentCapacity: Int,
         logger: Logger) {
        self.receiver = PushReceiver(processor: processor)
        self.recent = RecentSignals(capacity: recentCapacity)
        self.enforcement = enforcement
        self.metrics = metrics
        self.logger = logger
    }

    var processor: SignalProcessor { receiver.processor }

    /// One RFC 8935 push; `via` names the listener for the audit log and admin API.
    /// Answered once the SET's records are written (not only queued): a transmitter
    /// forgets a SET it got an answer for. If they cannot be written (the audit writer
    /// failed), 503, so the transmitter delivers the SET again.
    func push(authorization: String?, contentType: String?, body: [UInt8], via: String) async -> PushResponse {
        let started = ContinuousClock.now
        let result = await receiver.receive(authorization: authorization, contentType: contentType, body: body)
        if let outcome = result.outcome {
            await settle(outcome, via: via, status: result.response.status, started: started)
        } else {
            await refused(result.failure, via: via, status: result.response.status, started: started)
        }
        guard await enforcement.audit.written() else { return .notRecorded(Self.auditFailed) }
        return result.response
    }

    /// A poll round's result for one SET; true once its records are written, which is
    /// when the poller may acknowledge it.
    func polled(_ result: PollReceiver.Result, started: ContinuousClock.Instant) async -> Bool {
        switch result {
        case .applied(let outcome): await settle(outcome, via: "poll", status: nil, started: started)
        case .failed(_, let error): await refused(error, via: "poll", status: nil, started: started)
        }
        return await enforcement.audit.written()
    }

    static let auditFailed = "the audit writer has failed (see the gateway log)"

    /// Delivers an applied SET's effect to the agents, then audits it. The revoked
    /// sessions the processor announced before writing the store were told then; this
    /// reaches the descendants its cascade added (the hub skips sessions it already ended).
    private func settle(_ outcome: SignalOutcome, via: String, status: Int?, started: ContinuousClock.Instant) async {
        let notice = SessionEventHub.RevocationNotice(
            reason: outcome.revocationReason ?? "revoked", event: outcome.eventType, jti: outcome.jti)
        enforcement.hub.publishRevoked(outcome.revokedSessions, notice: notice)
        var policyRevoked: [SessionID] = []
        var refreshed: [SessionID] = []
        for update in outcome.updatedSessions {
            if let revoked = await recheck(update, outcome: outcome) {
                policyRevoked += revoked
            } else {
                refreshed.append(update.session)
            }
        }
        metrics.sessionsRevoked(outcome.revokedSessions.count, cause: "signal")
        metrics.sessionsRevoked(policyRevoked.count, cause: "policy")
        metrics.signalProcessed(effect: Self.effectName(outcome.effect), duration: started.duration(to: .now))
        recent.append(RecentSignals.Summary(
            ts: AuditTrail.now(), via: via, issuer: outcome.issuer, jti: outcome.jti, event: outcome.eventType,
            subject: outcome.subject.description, effect: Self.effectName(outcome.effect), status: status,
            revokedSessions: outcome.revokedSessions.count + policyRevoked.count, updatedSessions: refreshed.count,
            description: outcome.effectDescription))
        logger.info("signal applied", metadata: [
            "via": "\(via)", "iss": "\(outcome.issuer)", "jti": "\(outcome.jti)", "event": "\(outcome.eventType)",
            "effect": "\(outcome.effectDescription)",
        ])
        await audit(outcome, via: via, status: status, started: started, revoked: outcome.revokedSessions,
                    policyRevoked: policyRevoked, refreshed: refreshed)
    }

    /// Re-evaluates policy for a session whose context changed: revokes it (and its
    /// descendants) when a `forbid` now covers the whole session, otherwise pushes
    /// its fresh token. Returns the revoked ids, or nil when the session goes on.
    private func recheck(_ update: SessionTokenUpdate, outcome: SignalOutcome) async -> [SessionID]? {
        guard let session = try? await enforcement.sessions.session(update.session), session.isActive else { return nil }
        let facts = SessionAuthorizationFacts.facts(for: session)
        guard case .forbidden(let policies) = SessionPolicyCheck.evaluate(
            sessionID: session.id.hex, facts: facts, store: enforcement.policies)
        else {
            enforcement.hub.publishToken(update.session, token: update.token, reason: Self.shortName(outcome.eventType))
            return nil
        }
        let reason = RevocationReason(
            reason: "policy_denied", event: outcome.eventType, jti: outcome.jti, at: enforcement.validator.clock.now())
        guard let revoked = try? await enforcement.sessions.revoke(session.id, reason: reason) else { return nil }
        enforcement.hub.publishRevoked(revoked, notice: .init(reason: "policy_denied", event: outcome.eventType, jti: outcome.jti))
        logger.info("session revoked by policy after a signal", metadata: [
            "session": "\(session.id.hex)", "policies": "\(policies.joined(separator: ","))", "jti": "\(outcome.jti)",
        ])
        return revoked
    }

    /// One `signal` record for the SET, then one per session it touched.
    private func audit(
        _ outcome: SignalOutcome, via: String, status: Int?, started: ContinuousClock.Instant, revoked: [SessionID],
        policyRevoked: [SessionID], refreshed: [SessionID]
    ) async {
        let ts = AuditTrail.now()
        await enforcement.audit.record(AuditEntry(
            ts: ts, kind: .signal, decision: .allow, reason: Self.effectName(outcome.effect),
            errors: [], subject: outcome.subject.description, route: via, method: "SET", path: outcome.eventType,
            status: status, latencyUs: AuditTrail.microseconds(since: started)))
        let touched = revoked.map { ($0, AuditDecision.block, outcome.revocationReason ?? "revoked") }
            + policyRevoked.map { ($0, AuditDecision.block, "policy_denied") }
            + refreshed.map { ($0, AuditDecision.allow, "context_updated") }
        var known: [SessionID: Session] = [:]
        known.reserveCapacity(touched.count)
        for session in outcome.matchedSessions { known[session.id] = session }
        let unread = touched.map(\.0).filter { known[$0] == nil }
        let stored = unread.isEmpty ? [] : (try? await enforcement.sessions.sessions(unread)) ?? []
        for session in stored { known[session.id] = session }
        let errors = ["jti=\(outcome.jti)"]
        for (id, decision, reason) in touched {
            let entry = AuditEntry(
                ts: ts, kind: .signal, decision: decision, reason: reason, errors: errors, session: id.hex,
                route: via, method: "SET", path: outcome.eventType)
            await enforcement.audit.record(known[id].map(entry.identifying) ?? entry)
        }
    }

    /// A SET that was refused or could not be applied: audited as a block.
    private func refused(_ failure: SignalProcessingError?, via: String, status: Int?, started: ContinuousClock.Instant) async {
        let (effect, code): (String, String) = switch failure {
        case .rejected(let error)?: ("rejected", error.code.rawValue)
        case .unavailable?: ("unavailable", "temporarily_unavailable")
        case .inProgress?: ("unavailable", "in_progress")
        case nil: ("rejected", "invalid_request")
        }
        let description = failure?.description ?? "refused"
        metrics.signalProcessed(effect: effect, duration: started.duration(to: .now))
        recent.append(RecentSignals.Summary(
            ts: AuditTrail.now(), via: via, effect: effect, status: status, revokedSessions: 0, updatedSessions: 0,
            description: description))
        logger.warning("signal refused", metadata: ["via": "\(via)", "error": "\(description)"])
        await enforcement.audit.record(AuditEntry(
            ts: AuditTrail.now(), kind: .signal, decision: .block, reason: code, errors: [description], route: via,
            method: "SET", status: status, latencyUs: AuditTrail.microseconds(since: started)))
    }

    static func effectName(_ effect: SignalOutcome.Effect) -> String {
        switch effect {
        case .revoked: "revoked"
        case .accountDisabled: "account_disabled"
        case .accountEnabled: "account_enabled"
        case .contextUpdated: "context_updated"
        case .none: "none"
        case .duplicate: "duplicate"
        }
    }

    /// `https://schemas.openid.net/secevent/caep/event-type/session-revoked` → `session-revoked`.
    static func shortName(_ eventType: String) -> String {
        String(eventType.split(separator: "/").last ?? Substring(eventType))
    }
}

import AuditLog
import HTTP3
import Logging
import RTATokens
import TokenExchange

/// The pipeline's side of the audit log: turns decisions into `AuditEntry` values
/// (PROTOCOL.md §8) and hands them to the writer. Without an `audit` section there is
/// no writer and records are dropped (start-up warned about that once).
struct AuditTrail: Sendable {
    let writer: AuditWriter?
    let logger: Logger

    /// Appends the entry. The decision was already made and answered; a writer that
    /// has failed is logged as an error on every record so the operator cannot miss it.
    func record(_ entry: AuditEntry) async {
        guard let writer else { return }
        do {
            try await writer.append(entry)
        } catch {
            logger.error("audit record lost: the audit writer has failed", metadata: [
                "error": "\(error)", "kind": "\(entry.kind.rawValue)", "decision": "\(entry.decision.rawValue)",
            ])
        }
    }

    /// The writer stopped after a sink error (docs/audit.md): requests that would be
    /// audited are refused with 503 rather than served unrecorded.
    var hasFailed: Bool { writer?.hasFailed ?? false }

    /// Waits until the records appended so far are in the log, synced as the
    /// configured policy says. False when they never will be: the writer has failed
    /// (logged here); true without a writer, where records are not kept at all.
    func written() async -> Bool {
        guard let writer else { return true }
        do {
            try await writer.waitUntilWritten()
            return true
        } catch {
            logger.error("audit records not written: the audit writer has failed", metadata: ["error": "\(error)"])
            return false
        }
    }

    /// The entry for a request the gateway decided; identity fields come from
    /// `context` (exchange) or are added with `identifying(_:)`.
    func entry(
        _ kind: AuditKind, _ decision: AuditDecision, _ request: HTTP3Request, route: String? = nil, status: Int,
        started: ContinuousClock.Instant, reason: String?, decisionID: String? = nil, policies: [String] = [],
        errors: [String] = [], context: ExchangeAuditContext = ExchangeAuditContext()
    ) -> AuditEntry {
        AuditEntry(
            ts: Self.now(), kind: kind, decision: decision, reason: reason, policies: policies, errors: errors,
            session: context.sessionID?.hex, subject: context.subjectLabel, agent: context.agentID, chain: context.chain,
            route: route, method: request.method, path: TokenEnforcement.pathOnly(request.path), status: status,
            latencyUs: Self.microseconds(since: started), decisionID: decisionID)
    }

    static func now() -> UInt64 { TokenClock.system.now() }

    static func microseconds(since started: ContinuousClock.Instant) -> UInt64 {
        let elapsed = started.duration(to: .now).components
        return UInt64(max(0, elapsed.seconds)) * 1_000_000 + UInt64(max(0, elapsed.attoseconds)) / 1_000_000_000_000
    }
}

extension AuditEntry {
    /// The entry with the session's identity fields (PROTOCOL.md §8 `session`,
    /// `subject`, `agent`, `chain`), taken from the labels the session carries.
    func identifying(_ session: Session) -> AuditEntry {
        var entry = self
        entry.session = session.labels.session
        entry.subject = session.labels.subject
        entry.agent = session.agentID
        entry.chain = session.chain
        return entry
    }
}

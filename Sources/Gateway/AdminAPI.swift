import AuditLog
import Foundation
import GatewayConfig
import RTATokens
import Sodium
import TokenExchange

/// The operator API on the control listener (docs/admin.md), behind the `admin`
/// section's bearer token:
///
/// - `GET /admin/sessions?iss=…&sub=…` (or `?email=…`, `?sid=…`): a subject's sessions;
/// - `GET /admin/sessions/{id}`: one session with its context, claims, chain and children;
/// - `POST /admin/sessions/{id}/revoke`: revoke it and its descendants;
/// - `POST /admin/subjects/revoke` with `{"iss","sub"}` or `{"email"}`: revoke every
///   session of the subject and refuse exchanges of IdP tokens issued before now;
/// - `GET /admin/signals?limit=N`: the last signals handled and what they did.
///
/// Revocations take effect exactly like a signal's: event streams get `revoked`,
/// in-flight requests are reset. Every admin request is an audit record (`kind` `admin`).
struct AdminAPI: Sendable {
    let settings: AdminSettings
    let enforcement: TokenEnforcement
    let revocations: any SubjectRevocations
    let recent: RecentSignals?
    let metrics: GatewayMetrics

    func answer(_ request: ControlRequest) async -> ControlResponse {
        let started = ContinuousClock.now
        let (response, reason, revoked) = authorized(request)
            ? await route(request) : (Self.unauthorized, "unauthorized", [])
        await audit(request, response, started: started, reason: reason)
        for id in revoked {
            await enforcement.audit.record(AuditEntry(
                ts: AuditTrail.now(), kind: .admin, decision: .block, reason: "admin", session: id.hex,
                method: request.method, path: request.path))
        }
        // The operator reads the log right after an admin action (and scripts do):
        // its records are there once the answer is. If they cannot be written the
        // answer stays: the revocation took effect, and `written()` logs the failure.
        _ = await enforcement.audit.written()
        return response
    }

    private static let unauthorized = ControlResponse.error(
        401, "unauthorized", "admin API: Authorization: Bearer <admin token> required",
        headers: [("www-authenticate", "Bearer realm=\"rta-admin\"")])

    private func authorized(_ request: ControlRequest) -> Bool {
        guard let header = request.header("authorization"), header.lowercased().hasPrefix("bearer ") else { return false }
        let presented = Array(header.dropFirst(7).trimmingCharacters(in: .whitespaces).utf8)
        return ConstantTime.equals(presented, Array(settings.token.utf8))
    }

    private func route(_ request: ControlRequest) async -> (ControlResponse, String, [SessionID]) {
        let parts = request.path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        do {
            switch (request.method, parts.dropFirst().first, parts.count) {
            case ("GET", "sessions", 2):
                return (try await listSessions(request.query), "list_sessions", [])
            case ("GET", "sessions", 3):
                return (try await showSession(parts[2]), "show_session", [])
            case ("POST", "sessions", 4) where parts[3] == "revoke":
                let (response, revoked) = try await revokeSession(parts[2], body: request.body)
                return (response, "revoke_session", revoked)
            case ("POST", "subjects", 3) where parts[2] == "revoke":
                let (response, revoked) = try await revokeSubject(request.body)
                return (response, "revoke_subject", revoked)
            case ("GET", "signals", 2):
                let limit = request.query["limit"].flatMap(Int.init) ?? 100
                return (.json(200, ["signals": recent?.latest(limit) ?? []]), "list_signals", [])
            default:
                return (.error(404, "not_found", "no admin endpoint \(request.method) \(request.path) (see docs/admin.md)"),
                        "not_found", [])
            }
        } catch let error as AdminError {
            return (.error(error.status, error.code, error.message), error.code, [])
        } catch {
            return (.error(503, "session_store_unavailable", "\(error)"), "session_store_unavailable", [])
        }
    }

    private func listSessions(_ query: [String: String]) async throws -> ControlResponse {
        let ids: [SessionID]
        if let issuer = query["iss"], let sub = query["sub"] {
            ids = try await enforcement.sessions.sessions(issuer: issuer, subject: sub)
        } else if let email = query["email"] {
            ids = try await enforcement.sessions.sessions(email: email.lowercased())
        } else if let sid = query["sid"] {
            ids = try await enforcement.sessions.sessions(sid: sid)
        } else {
            throw AdminError(400, "invalid_request", "name the subject: ?iss=…&sub=…, ?email=… or ?sid=…")
        }
        let views = try await enforcement.sessions.sessions(ids).map { AdminSessionView($0) }
        return .json(200, ["sessions": views])
    }

    private func showSession(_ hex: String) async throws -> ControlResponse {
        let id = try sessionID(hex)
        guard let session = try await enforcement.sessions.session(id) else {
            throw AdminError(404, "unknown_session", "no session \(hex)")
        }
        let children = try await enforcement.sessions.children(of: id)
        return .json(200, AdminSessionView(session, children: children))
    }

    private func revokeSession(_ hex: String, body: [UInt8]) async throws -> (ControlResponse, [SessionID]) {
        let id = try sessionID(hex)
        guard try await enforcement.sessions.session(id) != nil else {
            throw AdminError(404, "unknown_session", "no session \(hex)")
        }
        let reason = try RevokeBody.parse(body).reason ?? "admin"
        let revoked = try await enforcement.sessions.revoke(
            id, reason: RevocationReason(reason: reason, at: enforcement.validator.clock.now()))
        enforcement.hub.publishRevoked(revoked, notice: .init(reason: reason))
        metrics.sessionsRevoked(revoked.count, cause: "admin")
        return (.json(200, ["revoked": revoked.map(\.hex)]), revoked)
    }

    private func revokeSubject(_ body: [UInt8]) async throws -> (ControlResponse, [SessionID]) {
        let request = try RevokeBody.parse(body)
        let now = enforcement.validator.clock.now()
        let ids: [SessionID]
        let subject: RevokedSubject
        if let issuer = request.iss, let sub = request.sub {
            ids = try await enforcement.sessions.sessions(issuer: issuer, subject: sub)
            subject = .issuerSubject(issuer: issuer, sub: sub)
        } else if let email = request.email {
            ids = try await enforcement.sessions.sessions(email: email.lowercased())
            subject = .email(email.lowercased())
        } else {
            throw AdminError(400, "invalid_request", #"body must name the subject: {"iss":…,"sub":…} or {"email":…}"#)
        }
        let reason = request.reason ?? "admin"
        let revoked = try await enforcement.sessions.revoke(ids, reason: RevocationReason(reason: reason, at: now))
        await revocations.revokeTokens(of: subject, issuedBefore: now)
        enforcement.hub.publishRevoked(revoked, notice: .init(reason: reason))
        metrics.sessionsRevoked(revoked.count, cause: "admin")
        return (.json(200, RevokedSubjectAnswer(revoked: revoked.map(\.hex), notBefore: now)), revoked)
    }

    private func sessionID(_ hex: String) throws -> SessionID {
        do {
            return try SessionID(hex: hex)
        } catch {
            throw AdminError(400, "invalid_request", "\(hex) is not a session id (32 lowercase hex digits)")
        }
    }

    private func audit(_ request: ControlRequest, _ response: ControlResponse, started: ContinuousClock.Instant,
                       reason: String) async {
        await enforcement.audit.record(AuditEntry(
            ts: AuditTrail.now(), kind: .admin, decision: response.status < 400 ? .allow : .block, reason: reason,
            method: request.method, path: request.path, status: response.status,
            latencyUs: AuditTrail.microseconds(since: started)))
    }
}

/// The optional JSON body of the revoke endpoints.
private struct RevokeBody: Decodable {
    var iss: String?
    var sub: String?
    var email: String?
    var reason: String?

    static func parse(_ body: [UInt8]) throws -> RevokeBody {
        guard !body.isEmpty else { return RevokeBody() }
        do {
            return try JSONDecoder().decode(RevokeBody.self, from: Data(body))
        } catch {
            throw AdminError(400, "invalid_request", "body is not the expected JSON object: \(error)")
        }
    }
}

private struct RevokedSubjectAnswer: Encodable {
    var revoked: [String]
    var notBefore: UInt64

    enum CodingKeys: String, CodingKey {
        case revoked
        case notBefore = "not_before"
    }
}

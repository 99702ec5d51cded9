import HTTP3
import NIOCore
import RTATokens

/// `GET /.well-known/rta/events` (PROTOCOL.md §6): one long-lived SSE response per
/// subscribing agent. The stream carries `token` events (context changes, and a
/// refresh once the current token has lived three quarters of `max_age`), `ping`
/// keep-alives, and a final `revoked` event after which the response ends (written by
/// `SessionEventHub.publishRevoked` itself, so a revocation does not wait for this task).
///
/// A client that goes away is noticed at the next write (a ping at the latest). When
/// the gateway drains, the stream ends cleanly (no event) so the agent reconnects.
extension TokenEnforcement {
    static let pingInterval = Duration.seconds(15)

    /// How often a stream checks whether to ping or refresh: often enough to refresh
    /// before `max_age` runs out (an eighth of it, at least 100 ms), at most `pingInterval`.
    static func tickInterval(maxAge milliseconds: UInt64) -> Duration {
        min(pingInterval, .milliseconds(Int64(max(milliseconds / 8, 100))))
    }

    /// Serves the stream for an already authenticated session; returns the status sent.
    func streamEvents(for session: Session, response: any HTTP3ResponseWriter) async -> Int {
        guard let subscription = hub.subscribe(session.id, response: response) else {
            await GatewayErrorResponse.unauthorized(TokenError(.sessionRevoked, "the session was revoked")).write(to: response)
            return 401
        }
        defer { hub.unsubscribe(subscription) }
        do {
            try await response.writeHead(status: 200, headers: [
                HTTP3Header("content-type", "text/event-stream"), HTTP3Header("cache-control", "no-store"),
            ])
        } catch {
            return 200
        }
        var lastWrite = ContinuousClock.now
        for await event in subscription.events {
            let frame: ByteBuffer
            switch event {
            case .token(let token, let reason):
                let age = validator.clock.now() &- token.issuedAt
                let remaining = validator.limits.maxAge - min(age, validator.limits.maxAge)
                frame = EventStreamFrame.token(token, expiresIn: remaining / 1_000, reason: reason)
            case .revoked:
                return 200
            case .tick:
                await refreshIfDue(session.id)
                guard lastWrite.duration(to: .now) >= Self.pingInterval else { continue }
                frame = EventStreamFrame.ping(at: validator.clock.now())
            }
            do {
                try await response.writeBody(frame)
                lastWrite = .now
            } catch {
                return 200
            }
        }
        try? await response.finish()
        return 200
    }

    /// Issues a fresh token when the current one has used three quarters of `max_age`,
    /// and publishes it to every stream of the session.
    private func refreshIfDue(_ id: SessionID) async {
        guard let current = try? await sessions.currentToken(id) else { return }
        let age = validator.clock.now() &- current.issuedAt
        guard age >= validator.limits.maxAge / 4 * 3 else { return }
        guard let (_, token) = try? await reissuer.reissue(id, onlyIfChanged: false) else { return }
        hub.publishToken(id, token: token, reason: "refresh")
    }
}

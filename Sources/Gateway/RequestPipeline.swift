import AuditLog
import GatewayConfig
import HTTP3
import Logging
import RTATokens

/// The path every request takes through the gateway, in order, in one function:
///
/// 0. header section — size, control characters, `host` vs `:authority` (431, 400);
/// 1. endpoints — `POST /.well-known/rta/token` and `/bind`, `GET /.well-known/rta/events`
///    and `POST /ssf/events` (RFC 8935 push) are answered by the gateway;
/// 2. route — pick the route by host, path and method (404, 405, 400 end here, audited),
///    and refuse a declared body over the route's limit (413);
/// 3. public routes: forward, audited unless the route opts out;
/// 4. token — `Authorization: RTA …`, every PROTOCOL.md §1 check (401 ends here);
/// 5. policy — the route's Cedar decision for the session (403 ends here);
/// 6. forward — with the `RTA-*` identity fields, streaming the answer back;
/// 7. audit — one record per allow, 401 and 403 (endpoints audit their own answers).
///
/// Fails closed: a protected route is never forwarded without steps 4 and 5.
public struct RequestPipeline: HTTP3RequestHandler {
    public let router: Router
    public let proxy: ReverseProxy
    public let metrics: GatewayMetrics
    /// nil: no `tokens` section; protected routes are then refused with 503 (the
    /// configuration check does not let such a route exist).
    public let enforcement: TokenEnforcement?
    let audit: AuditTrail
    let limits: LimitsConfig
    /// nil: no `signals` section; `/ssf/events` is then routed like any path.
    let signals: SignalIntake?
    private let logger: Logger

    public init(router: Router, proxy: ReverseProxy, metrics: GatewayMetrics, enforcement: TokenEnforcement? = nil,
                limits: LimitsConfig = LimitsConfig(), logger: Logger = Logger(label: "rta.gateway.pipeline")) {
        self.init(router: router, proxy: proxy, metrics: metrics,
                  audit: enforcement?.audit ?? AuditTrail(writer: nil, logger: logger), limits: limits,
                  enforcement: enforcement, signals: nil, logger: logger)
    }

    init(router: Router, proxy: ReverseProxy, metrics: GatewayMetrics, audit: AuditTrail, limits: LimitsConfig,
         enforcement: TokenEnforcement?, signals: SignalIntake?, logger: Logger) {
        self.router = router
        self.proxy = proxy
        self.metrics = metrics
        self.audit = audit
        self.limits = limits
        self.enforcement = enforcement
        self.signals = signals
        self.logger = logger
    }

    /// One of the upstream client's event loops, in turn by stream. On Swift's global
    /// executor every step AsyncHTTPClient takes for a request (its deadline timer and
    /// that timer's cancel, the pool's idle timer, the write on the connection's loop)
    /// woke a loop thread with an eventfd write, ~6 µs of CPU each on the 2-core test
    /// host; on the loop they run in turn without waking anyone. In turn by stream, not
    /// by connection: one busy connection's requests then use every loop.
    /// Measured (docs/benchmarks.md): −9 % latency at one stream, −16 % at eight, and
    /// −11 % of the gateway's CPU per request.
    ///
    /// The endpoints the gateway answers itself stay on Swift's global executor: they
    /// make no upstream call, and event streams live long; a revocation ends a thousand
    /// at once, and their teardown must not queue in front of proxied requests.
    ///
    /// A revoked session's request stays on the QUIC loop that read it (`isRevokedSessionRequest`).
    public func executor(for request: HTTP3Request) -> (any TaskExecutor)? {
        guard ownEndpoint(for: request) == nil else { return nil }
        if let loop = request.connection.loopExecutor, isRevokedSessionRequest(request) { return loop }
        let executors = proxy.handlerExecutors
        guard !executors.isEmpty else { return nil }
        return executors[Int(UInt64(request.streamID >> 2) % UInt64(executors.count))]
    }

    /// A request for a protected route whose session was revoked here: its answer is a
    /// 401 that needs no upstream, and the agent waits for it. On the QUIC loop it is
    /// answered in the turn that read it, instead of waiting for a request loop and then
    /// for the QUIC loop again (each wake-up can wait behind other work on a busy core).
    /// The whole pipeline still runs: this only picks the thread. Public routes are
    /// excluded: they are forwarded whatever the token, and forwarding stays off the loop.
    private func isRevokedSessionRequest(_ request: HTTP3Request) -> Bool {
        guard let enforcement, enforcement.hub.remembersRevocations,
              case .success(let token) = RTAAuthorizationHeader.token(in: request.headers),
              enforcement.hub.wasRevokedIfKnown(token.sessionID) == true,
              case .matched(let match) = router.match(method: request.method, authority: request.authority,
                                                      target: request.path)
        else { return false }
        return !match.route.isPublic
    }

    /// A request the gateway answers itself rather than routing.
    private enum OwnEndpoint {
        case signalPush(SignalIntake)
        case rta(TokenEnforcement, TokenEnforcement.Endpoint)
    }

    /// The one rule for which requests are the gateway's own, used to answer them and
    /// to keep them off the upstream client's loops.
    private func ownEndpoint(for request: HTTP3Request) -> OwnEndpoint? {
        if let signals, TokenEnforcement.pathOnly(request.path) == ControlRoutes.ssfPath { return .signalPush(signals) }
        if let enforcement, let endpoint = enforcement.endpoint(for: request) { return .rta(enforcement, endpoint) }
        return nil
    }

    public func handle(_ request: HTTP3Request, response: any HTTP3ResponseWriter) async {
        let started = ContinuousClock.now

        if let refused = RequestHeaderCheck.refusal(of: request, maxBytes: limits.maxHeaderBytes) {
            await refuse(refused.error, reason: refused.reason, request, response, started)
            return
        }

        switch ownEndpoint(for: request) {
        case .signalPush(let signals):
            let status = await SignalPushEndpoint.answer(request, intake: signals, response: response)
            metrics.requestCompleted(route: "ssf-events", status: status, duration: started.duration(to: .now))
            return
        case .rta(let enforcement, let endpoint):
            let status = if audit.hasFailed {
                await refuseUnaudited(request, response)
            } else {
                await enforcement.answer(endpoint, request, response: response, started: started)
            }
            metrics.requestCompleted(route: endpoint.rawValue, status: status, duration: started.duration(to: .now))
            return
        case nil:
            break
        }

        let match: RouteMatch
        switch router.match(method: request.method, authority: request.authority, target: request.path) {
        case .matched(let found):
            match = found
        case .notFound:
            await refuse(.notFound("no route for \(request.method) \(request.path)"), reason: "no_route", request, response, started)
            return
        case .methodNotAllowed(let allowed):
            await refuse(.methodNotAllowed("\(request.method) is not allowed on this path", allowed: allowed),
                         reason: "method_not_allowed", request, response, started)
            return
        case .badPath(let reason):
            await refuse(.badRequest("invalid path: \(reason)"), reason: "bad_path", request, response, started)
            return
        }

        let bodyLimit = match.route.maxBodyBytes ?? limits.maxBodyBytes
        if let declared = request.headers.first(named: "content-length").flatMap(Int.init), declared > bodyLimit {
            await refuse(.payloadTooLarge(limit: bodyLimit), reason: "body_too_large", route: match.route.name,
                         request, response, started)
            return
        }

        if match.route.isPublic {
            await forwardPublic(match, bodyLimit: bodyLimit, request, response, started)
            return
        }

        guard !audit.hasFailed else {
            let status = await refuseUnaudited(request, response)
            metrics.requestCompleted(route: match.route.name, status: status, duration: started.duration(to: .now))
            return
        }

        guard let enforcement else {
            await refuse(.serviceUnavailable("route \(match.route.name) is protected and token checks are not configured"),
                         reason: "no_token_checks", route: match.route.name, request, response, started)
            return
        }

        let checksStarted = ContinuousClock.now
        let connection = enforcement.connections.state(for: request.connection.id)
        let validated: ValidatedToken
        switch await enforcement.authenticate(request, on: connection) {
        case .valid(let found):
            validated = found
        case .invalid(let error):
            await block(.unauthorized(error), reason: error.wireCode.rawValue, errors: [error.code.rawValue],
                        match, request, response, started)
            return
        case .unavailable(let reason):
            await block(.serviceUnavailable("session store unavailable"), reason: "session_store_unavailable",
                        errors: [reason], match, request, response, started)
            return
        }

        let verdict = enforcement.authorize(match, request, session: validated.session, on: connection)
        guard verdict.isAllowed else {
            await block(.forbidden(decisionID: verdict.decisionID), reason: verdict.reason, decisionID: verdict.decisionID,
                        errors: verdict.errors, policies: verdict.policies, session: validated.session,
                        match, request, response, started)
            return
        }

        guard let flight = enforcement.hub.beginRequest(validated.session.id, writer: response) else {
            let error = TokenError(.sessionRevoked, "the session was revoked while the request was checked")
            await block(.unauthorized(error), reason: error.wireCode.rawValue, errors: [error.code.rawValue],
                        session: validated.session, match, request, response, started)
            return
        }
        let identity = UpstreamIdentityHeaders.fields(for: validated.session, decisionID: verdict.decisionID)
        let checks = checksStarted.duration(to: .now)
        let status = await proxy.forward(request, to: match, adding: identity, bodyLimit: bodyLimit, response: response)
        let recordStarted = ContinuousClock.now
        let completed = enforcement.hub.endRequest(flight)

        await audit.record(audit.entry(
            .request, .allow, request, route: match.route.name, status: status, started: started,
            reason: verdict.reason, decisionID: verdict.decisionID, policies: verdict.policies,
            errors: completed ? [] : ["stream_reset_session_revoked"]).identifying(validated.session))
        metrics.enforcementCompleted(checks + recordStarted.duration(to: .now))
        metrics.requestCompleted(route: match.route.name, status: status, duration: started.duration(to: .now))
    }

    /// Fail closed: the audit writer has stopped (a sink failed), so nothing that would
    /// be audited is served. Not recorded (it cannot be); the writer logged the failure
    /// at `critical`, and each refusal is logged here.
    private func refuseUnaudited(_ request: HTTP3Request, _ response: any HTTP3ResponseWriter) async -> Int {
        logger.error("request refused: the audit log is unavailable", metadata: [
            "method": "\(request.method)", "path": "\(request.path)", "stream": "\(request.streamID)",
        ])
        let error = GatewayErrorResponse.serviceUnavailable("the audit log is unavailable; the gateway refuses requests it cannot record")
        await error.write(to: response)
        return error.status
    }

    /// Answers a routed request the token or policy step refused, and audits it.
    private func block(
        _ error: GatewayErrorResponse, reason: String, decisionID: String? = nil, errors: [String], policies: [String] = [],
        session: Session? = nil,
        _ match: RouteMatch, _ request: HTTP3Request,
        _ response: any HTTP3ResponseWriter, _ started: ContinuousClock.Instant
    ) async {
        // Debug, not info: every block is already an audit record, and a revocation
        // answers thousands of 401s at once; a log line each would cost more than the answer.
        logger.debug("request blocked", metadata: [
            "status": "\(error.status)", "reason": "\(reason)", "route": "\(match.route.name)",
            "stream": "\(request.streamID)",
        ])
        await error.write(to: response)
        let entry = audit.entry(
            .request, .block, request, route: match.route.name, status: error.status, started: started, reason: reason,
            decisionID: decisionID, policies: policies, errors: errors)
        await audit.record(session.map(entry.identifying) ?? entry)
        metrics.requestCompleted(route: match.route.name, status: error.status, duration: started.duration(to: .now))
    }

    /// A public route: no token, no policy; recorded like every decision unless the
    /// route opted out (`audit: false`), and refused while the audit log is down.
    private func forwardPublic(
        _ match: RouteMatch, bodyLimit: Int, _ request: HTTP3Request, _ response: any HTTP3ResponseWriter,
        _ started: ContinuousClock.Instant
    ) async {
        guard match.route.audit else {
            let status = await proxy.forward(request, to: match, bodyLimit: bodyLimit, response: response)
            metrics.requestCompleted(route: match.route.name, status: status, duration: started.duration(to: .now))
            return
        }
        guard !audit.hasFailed else {
            let status = await refuseUnaudited(request, response)
            metrics.requestCompleted(route: match.route.name, status: status, duration: started.duration(to: .now))
            return
        }
        let status = await proxy.forward(request, to: match, bodyLimit: bodyLimit, response: response)
        await audit.record(audit.entry(.request, .allow, request, route: match.route.name, status: status,
                                       started: started, reason: "public_route"))
        metrics.requestCompleted(route: match.route.name, status: status, duration: started.duration(to: .now))
    }

    /// Answers a request the gateway will not forward, with a logged reason and an audit record.
    private func refuse(
        _ error: GatewayErrorResponse, reason: String, route: String? = nil, _ request: HTTP3Request,
        _ response: any HTTP3ResponseWriter, _ started: ContinuousClock.Instant
    ) async {
        logger.info("request refused", metadata: [
            "status": "\(error.status)", "error": "\(error.code)", "method": "\(request.method)",
            "path": "\(request.path)", "stream": "\(request.streamID)",
        ])
        await error.write(to: response)
        await audit.record(audit.entry(.request, .block, request, route: route, status: error.status, started: started,
                                       reason: reason))
        metrics.requestCompleted(route: route ?? GatewayMetrics.unmatchedRoute, status: error.status,
                                 duration: started.duration(to: .now))
    }
}

import AuditLog
import Foundation
import HTTP3
import NIOCore
import RTATokens
import Sodium
import TokenExchange

/// The endpoints the gateway answers itself, with no route: token exchange
/// (PROTOCOL.md §2), connection re-binding (§4) and the agent event stream (§6).
/// Each answer is one audit record.
extension TokenEnforcement {
    enum Endpoint: String, Sendable {
        case token = "/.well-known/rta/token"
        case bind = "/.well-known/rta/bind"
        case events = "/.well-known/rta/events"
    }

    static let exporterLabel = "EXPORTER-RTA-binding"

    func endpoint(for request: HTTP3Request) -> Endpoint? {
        Endpoint(rawValue: Self.pathOnly(request.path))
    }

    /// Answers `endpoint` and returns the status sent.
    func answer(_ endpoint: Endpoint, _ request: HTTP3Request, response: any HTTP3ResponseWriter,
                started: ContinuousClock.Instant) async -> Int {
        let kind: AuditKind = switch endpoint {
        case .token: .token
        case .bind: .bind
        case .events: .request
        }
        let method = endpoint == .events ? "GET" : "POST"
        guard request.method == method else {
            let error = GatewayErrorResponse.methodNotAllowed("\(endpoint.rawValue) accepts only \(method)", allowed: [method])
            await error.write(to: response)
            await audit.record(audit.entry(kind, .block, request, status: error.status, started: started, reason: error.code))
            return error.status
        }
        if endpoint == .events {
            return await openEventStream(request, response: response, started: started)
        }
        guard let body = await RequestBodyCollector.collect(request) else {
            let error = GatewayErrorResponse.payloadTooLarge(limit: RequestBodyCollector.endpointLimit)
            await error.write(to: response)
            await audit.record(audit.entry(kind, .block, request, status: error.status, started: started, reason: error.code))
            return error.status
        }
        switch endpoint {
        case .token: return await exchangeToken(request, body: body, response: response, started: started)
        case .bind: return await bind(request, body: body, response: response, started: started)
        case .events: return 405
        }
    }

    /// Authenticates like any protected request, audits the opening, then streams.
    private func openEventStream(_ request: HTTP3Request, response: any HTTP3ResponseWriter,
                                 started: ContinuousClock.Instant) async -> Int {
        let session: Session
        switch await authenticate(request, on: connections.state(for: request.connection.id)) {
        case .valid(let validated):
            session = validated.session
        case .invalid(let error):
            await GatewayErrorResponse.unauthorized(error).write(to: response)
            await audit.record(audit.entry(.request, .block, request, route: "rta-events", status: 401, started: started,
                                     reason: error.wireCode.rawValue, errors: [error.code.rawValue]))
            return 401
        case .unavailable(let reason):
            await GatewayErrorResponse.serviceUnavailable("session store unavailable").write(to: response)
            await audit.record(audit.entry(.request, .block, request, route: "rta-events", status: 503, started: started,
                                     reason: "session_store_unavailable", errors: [reason]))
            return 503
        }
        await audit.record(audit.entry(.request, .allow, request, route: "rta-events", status: 200, started: started,
                                 reason: "event_stream_opened").identifying(session))
        return await streamEvents(for: session, response: response)
    }

    private func exchangeToken(_ request: HTTP3Request, body: [UInt8], response: any HTTP3ResponseWriter,
                               started: ContinuousClock.Instant) async -> Int {
        let result = await exchange.exchange(
            formBody: body, contentType: Self.header("content-type", in: request), connectionID: request.connection.id,
            signatureCache: connections.state(for: request.connection.id).signatures)
        switch result {
        case .success(let granted):
            await Self.write(200, headers: TokenExchangeResponse.headers, body: granted.jsonBody, to: response)
            await audit.record(audit.entry(.token, .allow, request, status: 200, started: started, reason: "session_created",
                                     context: granted.audit))
            return 200
        case .failure(let error):
            await Self.write(error.httpStatus, headers: OAuthError.headers, body: error.jsonBody, to: response)
            await audit.record(audit.entry(.token, .block, request, status: error.httpStatus, started: started,
                                     reason: error.reason.rawValue, errors: [error.code.rawValue], context: error.audit))
            return error.httpStatus
        }
    }

    private func bind(_ request: HTTP3Request, body: [UInt8], response: any HTTP3ResponseWriter,
                      started: ContinuousClock.Instant) async -> Int {
        let exporter = await request.connection.exporter.keyingMaterial(
            label: Self.exporterLabel, length: BindingProof.exporterLength) ?? []
        var outcome: Result<Session, BindFailure>
        switch BindRequest.parse(body, contentType: Self.header("content-type", in: request), headers: request.headers) {
        case .failure(let failure):
            outcome = .failure(failure)
        case .success(let bind):
            do {
                outcome = try await rebind(bind, connectionID: request.connection.id, exporter: exporter)
            } catch {
                outcome = .failure(.unavailable("\(error)"))
            }
        }
        switch outcome {
        case .success(let session):
            let answer = Data(#"{"bound":true,"session_id":"\#(session.id.hex)"}"#.utf8)
            await Self.write(200, headers: [("content-type", "application/json")], body: answer, to: response)
            await audit.record(audit.entry(.bind, .allow, request, status: 200, started: started, reason: "rebound")
                .identifying(session))
            return 200
        case .failure(let failure):
            let error = failure.response
            await error.write(to: response)
            await audit.record(audit.entry(.bind, .block, request, status: error.status, started: started,
                                     reason: failure.reason, errors: failure.errors))
            return error.status
        }
    }

    /// §1 checks except the binding (the point is to move it), then the PoP proof.
    private func rebind(_ bind: BindRequest, connectionID: UInt64, exporter: [UInt8]) async throws(SessionStoreError)
        -> Result<Session, BindFailure>
    {
        let now = validator.clock.now()
        let token: RTAToken
        switch TokenChecks.structure(bind.token) {
        case .success(let parsed): token = parsed
        case .failure(let error): return .failure(.token(error))
        }
        let key: Ed25519PublicKey
        switch TokenChecks.key(token, keyRing: validator.keyRing, now: now, limits: validator.limits) {
        case .success(let found): key = found
        case .failure(let error): return .failure(.token(error))
        }
        if case .failed(let error) = TokenChecks.age(token, now: now, limits: validator.limits) { return .failure(.token(error)) }
        let session: Session
        switch TokenChecks.session(try await sessions.session(token.sessionID), for: token) {
        case .success(let found): session = found
        case .failure(let error): return .failure(.token(error))
        }
        if case .failed(let error) = TokenChecks.context(token, session: session) { return .failure(.token(error)) }
        if case .failed(let error) = TokenChecks.signature(token, key: key, cache: connections.state(for: connectionID).signatures) {
            return .failure(.token(error))
        }
        if case .failed(let error) = BindingProof.verify(proof: bind.proof, session: session, exporter: exporter) {
            return .failure(.token(error))
        }
        try await sessions.rebind(session.id, to: connectionID)
        return .success(session)
    }

    static func header(_ name: String, in request: HTTP3Request) -> String? {
        request.headers.first { $0.name.lowercased() == name }?.value
    }

    static func write(_ status: Int, headers: [(name: String, value: String)], body: Data,
                      to response: any HTTP3ResponseWriter) async {
        let fields = headers.map { HTTP3Header($0.name, $0.value) } + [HTTP3Header("content-length", String(body.count))]
        try? await response.writeResponse(status: status, headers: fields, body: ByteBuffer(bytes: body))
    }
}

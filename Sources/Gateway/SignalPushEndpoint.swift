import HTTP3
import NIOCore

/// `POST /ssf/events` on the QUIC listener (PROTOCOL.md §5): the same receiver as the
/// control listener's, for transmitters that push over HTTP/3.
enum SignalPushEndpoint {
    static func answer(_ request: HTTP3Request, intake: SignalIntake, response: any HTTP3ResponseWriter) async -> Int {
        guard request.method == "POST" else {
            await GatewayErrorResponse.methodNotAllowed("\(ControlRoutes.ssfPath) accepts only POST", allowed: ["POST"])
                .write(to: response)
            return 405
        }
        guard let body = await RequestBodyCollector.collect(request, limit: ControlRoutes.bodyLimit) else {
            await GatewayErrorResponse.payloadTooLarge(limit: ControlRoutes.bodyLimit).write(to: response)
            return 413
        }
        let pushed = await intake.push(
            authorization: TokenEnforcement.header("authorization", in: request),
            contentType: TokenEnforcement.header("content-type", in: request), body: body, via: "push-quic")
        let headers = pushed.headers.map { HTTP3Header($0.name, $0.value) } + [HTTP3Header("content-length", String(pushed.body.count))]
        try? await response.writeResponse(status: pushed.status, headers: headers, body: ByteBuffer(bytes: pushed.body))
        return pushed.status
    }
}

/// The control listener's stateful routes: `POST /ssf/events` (RFC 8935 push, when a
/// `signals` section exists) and `/admin/…` (when an `admin` section exists). Without
/// their section they answer 404 with the reason, so a misconfiguration is obvious.
struct ControlRoutes: Sendable {
    var intake: SignalIntake?
    var admin: AdminAPI?

    static let ssfPath = "/ssf/events"
    static let adminPrefix = "/admin/"
    /// Largest body accepted (a SET is at most `CompactSET.maxLength`; admin bodies are tiny).
    static let bodyLimit = 64 * 1024

    static func handles(path: String) -> Bool {
        path == ssfPath || path.hasPrefix(adminPrefix)
    }

    func answer(_ request: ControlRequest) async -> ControlResponse {
        if request.path == Self.ssfPath {
            guard let intake else {
                return .error(404, "not_found", "no signals section in gateway.yaml: the SSF receiver is off")
            }
            guard request.method == "POST" else {
                return .error(405, "method_not_allowed", "\(Self.ssfPath) accepts only POST", headers: [("allow", "POST")])
            }
            let pushed = await intake.push(
                authorization: request.header("authorization"), contentType: request.header("content-type"),
                body: request.body, via: "push-control")
            return ControlResponse(status: pushed.status, headers: pushed.headers, body: pushed.body)
        }
        guard let admin else {
            return .error(404, "not_found", "no admin section in gateway.yaml: the admin API is off")
        }
        return await admin.answer(request)
    }
}

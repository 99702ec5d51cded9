import GatewayConfig
import HTTP3
import Logging

/// The path every request takes through the gateway, in order, in one function:
///
/// 1. route — pick the route by host, path and method (404, 405, 400 end here);
/// 2. forward — send it to the route's upstream and stream the answer back.
///
/// Token, session, binding, policy and audit checks belong between 1 and 2, each as one
/// call into the module that owns it, so `handle` stays the single place where the
/// order of the steps can be read.
public struct RequestPipeline: HTTP3RequestHandler {
    public let router: Router
    public let proxy: ReverseProxy
    public let metrics: GatewayMetrics
    private let logger: Logger

    public init(router: Router, proxy: ReverseProxy, metrics: GatewayMetrics,
                logger: Logger = Logger(label: "rta.gateway.pipeline")) {
        self.router = router
        self.proxy = proxy
        self.metrics = metrics
        self.logger = logger
    }

    public func handle(_ request: HTTP3Request, response: any HTTP3ResponseWriter) async {
        let started = ContinuousClock.now

        let match: RouteMatch
        switch router.match(method: request.method, authority: request.authority, target: request.path) {
        case .matched(let found):
            match = found
        case .notFound:
            await refuse(.notFound("no route for \(request.method) \(request.path)"), request, response, started)
            return
        case .methodNotAllowed(let allowed):
            await refuse(.methodNotAllowed("\(request.method) is not allowed on this path", allowed: allowed),
                         request, response, started)
            return
        case .badPath(let reason):
            await refuse(.badRequest("invalid path: \(reason)"), request, response, started)
            return
        }

        let status = await proxy.forward(request, to: match, response: response)
        metrics.requestCompleted(route: match.route.name, status: status, duration: started.duration(to: .now))
    }

    /// Answers a request the gateway will not forward, with a logged reason.
    private func refuse(
        _ error: GatewayErrorResponse, _ request: HTTP3Request, _ response: any HTTP3ResponseWriter,
        _ started: ContinuousClock.Instant
    ) async {
        logger.info("request refused", metadata: [
            "status": "\(error.status)", "error": "\(error.code)", "method": "\(request.method)",
            "path": "\(request.path)", "stream": "\(request.streamID)",
        ])
        await error.write(to: response)
        metrics.requestCompleted(route: GatewayMetrics.unmatchedRoute, status: error.status,
                                 duration: started.duration(to: .now))
    }
}

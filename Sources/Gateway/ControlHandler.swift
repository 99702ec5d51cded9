import NIOCore
import NIOHTTP1

/// Answers the control endpoints on one HTTP/1.1 connection. `/healthz`, `/readyz`
/// and `/metrics` are answered on the event loop; the stateful routes (admin API,
/// SSF push) get the whole body and run as a task, and their answer is written back
/// on the loop. NIO's pipelining helper holds a pipelined next request until then.
final class ControlHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let metrics: GatewayMetrics
    private let readiness: ReadinessFlag
    private let routes: ControlRoutes
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var bodyTooLarge = false

    init(metrics: GatewayMetrics, readiness: ReadinessFlag, routes: ControlRoutes) {
        self.metrics = metrics
        self.readiness = readiness
        self.routes = routes
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = []
            bodyTooLarge = false
        case .body(var chunk):
            if body.count + chunk.readableBytes > ControlRoutes.bodyLimit {
                bodyTooLarge = true
            } else if let bytes = chunk.readBytes(length: chunk.readableBytes) {
                body += bytes
            }
        case .end:
            guard let head else { return }
            self.head = nil
            dispatch(head, context: context)
        }
    }

    /// `IdleStateHandler` (first in the pipeline) saw no traffic for `control_idle_timeout`.
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is IdleStateHandler.IdleStateEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        context.close(promise: nil)
    }

    private func dispatch(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        let (path, query) = ControlRequest.split(uri: head.uri)
        guard ControlRoutes.handles(path: path) else {
            let (status, contentType, text) = answer(head, path: path)
            write(ControlResponse(status: Int(status.code), headers: [("content-type", contentType)], body: Array(text.utf8)),
                  to: head, context: context)
            return
        }
        guard !bodyTooLarge else {
            write(.error(413, "payload_too_large", "the body must be at most \(ControlRoutes.bodyLimit) bytes"),
                  to: head, context: context)
            return
        }
        let request = ControlRequest(
            method: head.method.rawValue, path: path, query: query,
            headers: head.headers.map { (name: $0.name.lowercased(), value: $0.value) }, body: body)
        let routes = self.routes
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        Task {
            let response = await routes.answer(request)
            bound.eventLoop.execute {
                let (handler, context) = bound.value
                handler.write(response, to: head, context: context)
            }
        }
    }

    private func write(_ response: ControlResponse, to head: HTTPRequestHead, context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        for field in response.headers { headers.add(name: field.name, value: field.value) }
        headers.add(name: "content-length", value: String(response.body.count))
        if !head.isKeepAlive { headers.add(name: "connection", value: "close") }
        let status = HTTPResponseStatus(statusCode: response.status)
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))),
                      promise: nil)
        if head.method != .HEAD, !response.body.isEmpty {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: response.body)))),
                          promise: nil)
        }
        let written = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !head.isKeepAlive {
            let channel = context.channel
            written.whenComplete { _ in channel.close(promise: nil) }
        }
    }

    private func answer(_ head: HTTPRequestHead, path: String) -> (HTTPResponseStatus, String, String) {
        let text = "text/plain; charset=utf-8"
        guard head.method == .GET || head.method == .HEAD else {
            return (.methodNotAllowed, text, "method not allowed\n")
        }
        switch path {
        case "/healthz": return (.ok, text, "ok\n")
        case "/readyz": return readiness.isReady ? (.ok, text, "ready\n") : (.serviceUnavailable, text, "not ready\n")
        case "/metrics": return (.ok, "text/plain; version=0.0.4; charset=utf-8", metrics.exposition())
        default: return (.notFound, text, "not found\n")
        }
    }
}

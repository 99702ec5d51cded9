import NIOCore
import NIOHTTP1

/// Collects one HTTP/1.1 request (head and body, at most 64 KiB) and writes the
/// `DevIssuer`'s answer. Everything is synchronous, so the handler never leaves the
/// event loop.
final class DevHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    static let maxBodyBytes = 64 * 1024

    private let issuer: DevIssuer
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []

    init(issuer: DevIssuer) {
        self.issuer = issuer
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let requestHead):
            head = requestHead
            body.removeAll(keepingCapacity: true)
        case .body(let buffer):
            if body.count + buffer.readableBytes <= Self.maxBodyBytes {
                body += buffer.readableBytesView
            }
        case .end:
            guard let requestHead = head else { return }
            head = nil
            let path = String(requestHead.uri.split(separator: "?", maxSplits: 1).first ?? "")
            let response = issuer.respond(method: requestHead.method, path: path, headers: requestHead.headers, body: body)
            write(response, keepAlive: requestHead.isKeepAlive, version: requestHead.version, context: context)
        }
    }

    private func write(_ response: DevIssuer.Response, keepAlive: Bool, version: HTTPVersion, context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Content-Length", value: String(response.body.count))
        headers.add(name: "Cache-Control", value: "no-store")
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: version, status: response.status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: response.body)))), promise: nil)
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            let channel = context.channel
            done.whenComplete { _ in channel.close(promise: nil) }
        }
    }
}

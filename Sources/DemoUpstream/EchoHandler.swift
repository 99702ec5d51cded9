import Foundation
import NIOCore
import NIOHTTP1
import Sodium

/// One connection of `EchoUpstream`: hashes each request body as it streams in, then
/// answers according to `EchoBehaviour`.
final class EchoHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart


    private let traffic: EchoTraffic
    private var head: HTTPRequestHead?
    private var hasher = SHA256()
    private var bodyBytes = 0
    /// Bytes of `/bytes/N` still to send, and the offset of the next one.
    private var streaming: (remaining: Int, offset: Int, keepAlive: Bool)?
    private var pumping = false

    init(traffic: EchoTraffic) {
        self.traffic = traffic
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            traffic.didStartRequest()
            hasher = SHA256()
            bodyBytes = 0
        case .body(let chunk):
            bodyBytes += chunk.readableBytes
            traffic.didReceive(chunk.readableBytes)
            chunk.withUnsafeReadableBytes { hasher.update(bytes: $0) }
        case .end:
            guard let head else { return }
            self.head = nil
            respond(to: head, context: context)
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { pump(context: context) }
        context.fireChannelWritabilityChanged()
    }

    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        let target = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let path = String(target[0]), query = target.count > 1 ? String(target[1]) : ""
        let report = EchoReport(
            method: head.method.rawValue, path: path, query: query,
            headers: head.headers.map { [$0.name, $0.value] },
            bodySHA256: hasher.finalizeHex(), bodyBytes: bodyBytes)
        switch EchoBehaviour(path: path) {
        case .echo(let status):
            sendReport(report, status: status, extraHeaders: [], head: head, context: context)
        case .responseHeaders:
            sendReport(report, status: 200, extraHeaders: Self.pairs(query), head: head, context: context)
        case .slow(let milliseconds):
            context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(Int64(milliseconds))) { [self] in
                sendReport(report, status: 200, extraHeaders: [], head: head, context: context)
            }
        case .bytes(let count):
            var headers = HTTPHeaders()
            headers.add(name: "content-type", value: "application/octet-stream")
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .ok, headers: headers))),
                          promise: nil)
            streaming = (head.method == .HEAD ? 0 : count, 0, head.isKeepAlive)
            pump(context: context)
        }
    }

    /// Writes pattern chunks while the socket accepts them; `channelWritabilityChanged`
    /// resumes it. Only one chunk is ever allocated ahead of the kernel buffer. Writes and
    /// flushes can report writability changes re-entrantly, hence the `pumping` guard and
    /// the loop that re-checks writability after each flush.
    private func pump(context: ChannelHandlerContext) {
        guard !pumping else { return }
        pumping = true
        defer { pumping = false }
        while var state = streaming {
            while state.remaining > 0 && context.channel.isWritable {
                let size = min(BytePattern.sliceSize, state.remaining)
                let start = state.offset % BytePattern.period
                let chunk = context.channel.allocator.buffer(bytes: BytePattern.sharedTable[start..<(start + size)])
                state.remaining -= size
                state.offset += size
                context.write(wrapOutboundOut(.body(.byteBuffer(chunk))), promise: nil)
                traffic.didSend(size)
            }
            streaming = state.remaining == 0 ? nil : state
            context.flush()
            if state.remaining == 0 {
                finish(keepAlive: state.keepAlive, context: context)
                return
            }
            if !context.channel.isWritable { return }
        }
    }

    private func sendReport(
        _ report: EchoReport, status: Int, extraHeaders: [(String, String)], head: HTTPRequestHead,
        context: ChannelHandlerContext
    ) {
        let body = (try? JSONEncoder().encode(report)) ?? Data()
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: "application/json")
        headers.add(name: "content-length", value: String(body.count))
        for (name, value) in extraHeaders { headers.add(name: name, value: value) }
        let responseHead = HTTPResponseHead(
            version: head.version, status: HTTPResponseStatus(statusCode: status), headers: headers)
        context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
        if head.method != .HEAD {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        }
        finish(keepAlive: head.isKeepAlive, context: context)
    }

    private func finish(keepAlive: Bool, context: ChannelHandlerContext) {
        let written = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            let channel = context.channel
            written.whenComplete { _ in channel.close(promise: nil) }
        }
    }

    /// `a=1&b=x%20y` → [("a", "1"), ("b", "x y")].
    private static func pairs(_ query: String) -> [(String, String)] {
        query.split(separator: "&").compactMap { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty else { return nil }
            let decode = { (text: Substring) in text.removingPercentEncoding ?? String(text) }
            return (decode(parts[0]), decode(parts[1]))
        }
    }
}

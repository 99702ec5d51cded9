import AsyncHTTPClient
import GatewayConfig
import HTTP3
import Logging
import NIOCore
import NIOHTTP1

/// Forwards a routed request to its upstream over HTTP/1.1 and streams the answer back.
///
/// Bodies are streamed both ways and never collected: the request body is pulled from
/// the HTTP/3 stream only as fast as the upstream connection takes it, and each upstream
/// chunk is handed to `HTTP3ResponseWriter.writeBody`, which suspends while the client's
/// stream is full. Memory per request is therefore a few chunks, whatever the body size.
public final class ReverseProxy: Sendable {
    /// H3_INTERNAL_ERROR (RFC 9114 §8.1): the upstream failed after the head was sent,
    /// so the only honest signal left is to reset the stream.
    static let midStreamResetCode: UInt64 = 0x0102

    /// AsyncHTTPClient tags its logger with a request id on every request, and a
    /// `StreamLogHandler` re-renders all metadata on each such change: a measurable share
    /// of the proxy path in profiles. The client's own trace/debug logs are therefore
    /// off; failures are logged here, with route, stream and upstream.
    static let clientLogger = Logger(label: "rta.gateway.upstream-client", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Upstream answers with a `content-length` up to this size are collected and handed
    /// to the client's stream in one piece. Why: head, body and end then take one hop onto
    /// the QUIC loop (one wake-up, usually one packet) instead of three; a typical API
    /// answer is this small. Bigger or unframed bodies are streamed chunk by chunk.
    static let wholeResponseLimit = 16 * 1024

    private let upstreams: [String: UpstreamClient]
    private let eventLoopGroup: any EventLoopGroup
    /// One per event loop of the upstream clients' group: where request handlers run
    /// (`RequestPipeline.executor(for:)`).
    let handlerExecutors: [EventLoopTaskExecutor]
    private let logger: Logger
    /// `listen.trusted_proxies`: peers whose forwarding headers are extended, not replaced.
    private let trustedProxies: [IPAddressRange]

    public init(
        upstreams: [UpstreamConfig], trustedProxies: [IPAddressRange] = [], eventLoopGroup: any EventLoopGroup,
        logger: Logger = Logger(label: "rta.gateway.proxy")
    ) {
        var clients: [String: UpstreamClient] = [:]
        for upstream in upstreams {
            clients[upstream.name] = UpstreamClient(config: upstream, eventLoopGroup: eventLoopGroup)
        }
        self.upstreams = clients
        self.eventLoopGroup = eventLoopGroup
        self.handlerExecutors = eventLoopGroup.makeIterator().map { EventLoopTaskExecutor(eventLoop: $0) }
        self.logger = logger
        self.trustedProxies = trustedProxies
    }

    /// Forwards `request` and writes the whole response (or an error response) to
    /// `response`. `added` header fields (the pipeline's `RTA-*` fields) are sent upstream
    /// after the client's own; a body longer than `bodyLimit` is cut off and answered 413.
    /// Returns the status the client was sent.
    public func forward(
        _ request: HTTP3Request, to match: RouteMatch, adding added: [(name: String, value: String)] = [],
        bodyLimit: Int = LimitsConfig.defaultMaxBodyBytes, response: any HTTP3ResponseWriter
    ) async -> Int {
        // Request metadata is attached only when something is logged: building it for
        // every request showed up in profiles of the proxy path.
        var logger = ProxyLogger(base: self.logger, route: match.route.name, streamID: request.streamID)
        guard let upstream = upstreams[match.route.upstream] else {
            logger.error("route names an upstream the proxy was not built with", metadata: ["upstream": "\(match.route.upstream)"])
            return await respond(.badGateway("the route's upstream is not configured"), to: response, logger: logger)
        }
        let url = upstream.nextURL()
        logger.upstream = url
        var outgoing = HTTPClientRequest(url: url + match.upstreamPath)
        outgoing.method = HTTPMethod(rawValue: request.method)
        outgoing.headers = ForwardingHeaders.upstreamRequest(request, trustedProxies: trustedProxies, adding: added)

        let answer: HTTPClientResponse
        do {
            outgoing.body = try await UpstreamRequestBody.make(for: request, limit: bodyLimit, eventLoops: eventLoopGroup)
            answer = try await upstream.client.execute(
                outgoing, deadline: .now() + TimeAmount(upstream.config.responseTimeout), logger: Self.clientLogger)
        } catch {
            let failure = UpstreamFailure(error)
            logger.warning("upstream request failed", metadata: failure.logMetadata)
            return await respond(failure.response, to: response, logger: logger)
        }

        let status = Int(answer.status.code)
        let headers = ForwardingHeaders.clientResponse(answer.headers, version: answer.version)
        if let length = answer.headers.first(name: "content-length").flatMap(Int.init), length <= Self.wholeResponseLimit {
            return await forwardWhole(answer, status: status, headers: headers, response: response, logger: logger)
        }
        do {
            try await response.writeHead(status: status, headers: headers)
        } catch {
            logger.info("client went away before the response head", metadata: ["reason": "\(error)"])
            return status
        }
        do {
            for try await chunk in answer.body {
                try await response.writeBody(chunk)
            }
            try await response.finish()
        } catch let error as HTTP3StreamError {
            logger.info("client went away during the response body", metadata: ["reason": "\(error)"])
        } catch {
            logger.warning("upstream failed during the response body; resetting the stream", metadata: [
                "reason": "\(error)",
            ])
            response.reset(errorCode: Self.midStreamResetCode)
        }
        return status
    }

    /// A small answer: collected, then written whole. An upstream that fails before the
    /// body is complete gets the client a 502 (nothing was sent yet) instead of a reset.
    private func forwardWhole(
        _ answer: HTTPClientResponse, status: Int, headers: [HTTP3Header], response: any HTTP3ResponseWriter,
        logger: ProxyLogger
    ) async -> Int {
        var body = ByteBuffer()
        do {
            // AsyncHTTPClient reads exactly `content-length` bytes, which the caller bounded.
            for try await chunk in answer.body { body.writeImmutableBuffer(chunk) }
        } catch {
            let failure = UpstreamFailure(error)
            logger.warning("upstream failed during the response body", metadata: failure.logMetadata)
            return await respond(failure.response, to: response, logger: logger)
        }
        do {
            try await response.writeResponse(status: status, headers: headers, body: body)
        } catch {
            logger.info("client went away before the response", metadata: ["reason": "\(error)"])
        }
        return status
    }

    /// Closes every upstream connection pool; call once, after the last `forward` returned.
    public func shutdown() async throws {
        for client in upstreams.values {
            try await client.shutdown()
        }
    }

    private func respond(_ error: GatewayErrorResponse, to writer: any HTTP3ResponseWriter, logger: ProxyLogger) async -> Int {
        if let failure = await error.write(to: writer) {
            logger.info("could not deliver error response", metadata: ["status": "\(error.status)", "reason": "\(failure)"])
        }
        return error.status
    }
}

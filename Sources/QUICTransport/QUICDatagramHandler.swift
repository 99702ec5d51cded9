import NIOCore

/// Hands every datagram the UDP channel reads to the endpoint, on the channel's loop.
final class QUICDatagramHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let endpoint: QUICEndpoint

    init(endpoint: QUICEndpoint) {
        self.endpoint = endpoint
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        endpoint.receive(envelope.data, from: envelope.remoteAddress)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        endpoint.flush()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        endpoint.logger.debug("UDP socket error", metadata: ["error": "\(error)"])
    }
}

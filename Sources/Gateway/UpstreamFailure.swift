import AsyncHTTPClient
import Logging
import NIOCore

/// Why forwarding failed before anything was sent to the client (before the upstream's
/// response head, or while a small answer was still being collected), and what the
/// client gets: a timeout is `504`, a body over the route's limit `413`, anything else
/// (refused, reset, closed) is `502`.
struct UpstreamFailure: Sendable {
    var isTimeout: Bool
    /// Set when the client's own body was cut off at this limit.
    var bodyLimit: Int?
    /// For the log line: what actually happened.
    var reason: String

    private static let timeouts: [HTTPClientError] = [
        .connectTimeout, .readTimeout, .writeTimeout, .deadlineExceeded, .getConnectionFromPoolTimeout,
    ]

    init(_ error: any Error) {
        bodyLimit = (error as? RequestBodyTooLarge)?.limit
        if let clientError = error as? HTTPClientError {
            isTimeout = Self.timeouts.contains(clientError)
        } else if let channelError = error as? ChannelError, case .connectTimeout = channelError {
            isTimeout = true
        } else {
            isTimeout = false
        }
        reason = String(describing: error)
    }

    /// What the proxy's warning line carries, the same wherever forwarding failed.
    var logMetadata: Logger.Metadata {
        ["reason": "\(reason)", "timeout": "\(isTimeout)"]
    }

    var response: GatewayErrorResponse {
        if let bodyLimit { return .payloadTooLarge(limit: bodyLimit) }
        return isTimeout
            ? .gatewayTimeout("the upstream did not answer in time")
            : .badGateway("the upstream could not be reached")
    }
}

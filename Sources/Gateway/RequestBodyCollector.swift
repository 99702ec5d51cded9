import HTTP3
import NIOCore

/// Collects a request body the gateway answers itself (token and bind endpoints),
/// refusing past `limit` bytes so a client cannot make it buffer without bound.
enum RequestBodyCollector {
    static let endpointLimit = 64 * 1024

    /// The body, or nil when it exceeds `limit` or the stream failed.
    static func collect(_ request: HTTP3Request, limit: Int = endpointLimit) async -> [UInt8]? {
        var bytes: [UInt8] = []
        do {
            for try await chunk in request.body {
                guard bytes.count + chunk.readableBytes <= limit else { return nil }
                bytes.append(contentsOf: chunk.readableBytesView)
            }
        } catch {
            return nil
        }
        return bytes
    }
}

import AsyncHTTPClient
import NIOCore

/// RFC 8935 push delivery on its own, so a SET can be pushed without running the
/// transmitter's server (`rta-gateway ssf-transmitter send`) as well as by a running
/// `SSFTransmitter`.
public enum SETPush {
    /// Largest receiver answer read; RFC 8935 answers are an empty 202 or a small JSON error.
    static let maximumResponseBytes = 1 << 20

    /// POSTs `set` to `url` (RFC 8935 §2) and returns the receiver's status and body.
    /// `authorization` is sent verbatim as the `Authorization` header (e.g. `Bearer …`);
    /// `contentType` is a knob for negative tests (the receiver must answer 415 otherwise).
    /// Connection attempts are retried until `timeout`, so it bounds the whole call.
    public static func push(_ set: String, to url: String, authorization: String? = nil,
                            contentType: String = "application/secevent+jwt",
                            timeout: Duration = .seconds(10)) async throws -> (status: Int, body: String) {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: contentType)
        request.headers.add(name: "Accept", value: "application/json")
        if let authorization { request.headers.add(name: "Authorization", value: authorization) }
        request.body = .bytes(ByteBuffer(string: set))
        let (seconds, attoseconds) = timeout.components
        let deadline = TimeAmount.nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        let response = try await HTTPClient.shared.execute(request, timeout: deadline)
        let body = try await response.body.collect(upTo: maximumResponseBytes)
        return (Int(response.status.code), String(buffer: body))
    }
}

import NIOHTTP1

/// One complete HTTP/1.1 request to the test transmitter, and its answer.
struct TransmitterRequest: Sendable {
    let method: HTTPMethod
    let path: String
    let headers: HTTPHeaders
    let body: [UInt8]
}

struct TransmitterResponse: Sendable {
    var status: HTTPResponseStatus
    var contentType: String
    var body: [UInt8]

    static func json(_ value: TransmitterJSON, status: HTTPResponseStatus = .ok) -> TransmitterResponse {
        TransmitterResponse(status: status, contentType: "application/json", body: value.encoded)
    }

    static func text(_ message: String, status: HTTPResponseStatus) -> TransmitterResponse {
        TransmitterResponse(status: status, contentType: "text/plain; charset=utf-8", body: Array(message.utf8))
    }
}

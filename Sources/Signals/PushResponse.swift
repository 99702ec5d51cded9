import Foundation

/// The HTTP answer to one RFC 8935 push, ready for any listener to write.
public struct PushResponse: Sendable, Equatable {
    public let status: Int
    /// Lowercase names.
    public let headers: [(name: String, value: String)]
    public let body: [UInt8]

    public static func == (lhs: PushResponse, rhs: PushResponse) -> Bool {
        lhs.status == rhs.status && lhs.body == rhs.body
            && lhs.headers.map { "\($0.name): \($0.value)" } == rhs.headers.map { "\($0.name): \($0.value)" }
    }

    /// RFC 8935 §2.2: `202 Accepted`, empty body.
    static let accepted = PushResponse(status: 202, headers: [], body: [])

    /// RFC 8935 §2.3: JSON `{"err","description"}` with `Content-Language` (we answer in English).
    static func error(_ error: SETError, status: Int = 400, extraHeaders: [(name: String, value: String)] = []) -> PushResponse {
        let object = ["err": error.code.rawValue, "description": error.message]
        let body = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])).map { Array($0) } ?? []
        return PushResponse(status: status,
                            headers: [("content-type", "application/json"), ("content-language", "en")] + extraHeaders,
                            body: body)
    }

    /// Our failure, not the SET's: the transmitter should retry later.
    static func unavailable(_ reason: String) -> PushResponse {
        retryLater("signal not applied, retry: \(reason)")
    }

    /// The SET was handled but its audit records could not be written: answered like
    /// an effect not applied, because a transmitter forgets a SET once it is answered.
    public static func notRecorded(_ reason: String) -> PushResponse {
        retryLater("signal not recorded, retry: \(reason)")
    }

    private static func retryLater(_ text: String) -> PushResponse {
        PushResponse(status: 503, headers: [("content-type", "text/plain; charset=utf-8"), ("retry-after", "1")],
                     body: Array(text.utf8))
    }
}

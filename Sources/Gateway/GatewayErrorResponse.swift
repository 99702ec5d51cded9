import AuditLog
import Foundation
import HTTP3
import NIOCore
import RTATokens

/// The gateway's own error answers: a status, a stable `error` code and a short
/// message, as `{"error":"…","message":"…"}`. Upstream bodies are never rewritten;
/// these are only for requests the gateway itself refuses or could not forward.
public struct GatewayErrorResponse: Sendable, Equatable {
    public var status: Int
    public var code: String
    public var message: String
    public var headers: [HTTP3Header]
    /// The policy decision a 403 answers, so the caller can quote it (PROTOCOL.md §7).
    public var decisionID: String?

    public init(status: Int, code: String, message: String, headers: [HTTP3Header] = [], decisionID: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
        self.decisionID = decisionID
    }

    /// PROTOCOL.md §1: 401 with the wire code only, never the internal check that tripped.
    public static func unauthorized(_ error: TokenError) -> Self {
        Self(status: 401, code: error.wireCode.rawValue, message: "the RTA token was refused",
             headers: [HTTP3Header("www-authenticate", #"RTA error="\#(error.wireCode.rawValue)""#)])
    }

    public static func forbidden(decisionID: String) -> Self {
        Self(status: 403, code: "forbidden", message: "denied by policy", decisionID: decisionID)
    }

    public static func serviceUnavailable(_ message: String) -> Self {
        Self(status: 503, code: "service_unavailable", message: message)
    }

    public static func notFound(_ message: String) -> Self {
        Self(status: 404, code: "not_found", message: message)
    }

    public static func methodNotAllowed(_ message: String, allowed: [String]) -> Self {
        Self(status: 405, code: "method_not_allowed", message: message,
             headers: [HTTP3Header("allow", allowed.joined(separator: ", "))])
    }

    public static func badRequest(_ message: String) -> Self {
        Self(status: 400, code: "bad_request", message: message)
    }

    public static func payloadTooLarge(limit: Int) -> Self {
        Self(status: 413, code: "payload_too_large", message: "the body must be at most \(limit) bytes")
    }

    public static func badGateway(_ message: String) -> Self {
        Self(status: 502, code: "bad_gateway", message: message)
    }

    public static func gatewayTimeout(_ message: String) -> Self {
        Self(status: 504, code: "gateway_timeout", message: message)
    }

    /// `{"decision":…,"error":…,"message":…}` (keys sorted, as before). Built by hand:
    /// a revocation answers a burst of 401s, and Foundation's serializer cost more per
    /// answer than the rest of the refusal.
    public var body: ByteBuffer {
        var json = "{"
        if let decisionID { json += #""decision":"# + JSONString.quoted(decisionID) + "," }
        json += #""error":"# + JSONString.quoted(code) + #","message":"# + JSONString.quoted(message) + "}"
        return ByteBuffer(string: json)
    }

    /// Writes the whole response in one step. A client that already went away is not
    /// an error worth more than the caller's log line, so failures are returned, not thrown.
    @discardableResult
    public func write(to writer: any HTTP3ResponseWriter) async -> (any Error)? {
        let body = self.body
        let headers = [
            HTTP3Header("content-type", "application/json"),
            HTTP3Header("content-length", String(body.readableBytes)),
        ] + self.headers
        do {
            try await writer.writeResponse(status: status, headers: headers, body: body)
            return nil
        } catch {
            return error
        }
    }
}

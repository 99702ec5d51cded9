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

    public static func badGateway(_ message: String) -> Self {
        Self(status: 502, code: "bad_gateway", message: message)
    }

    public static func gatewayTimeout(_ message: String) -> Self {
        Self(status: 504, code: "gateway_timeout", message: message)
    }

    public var body: ByteBuffer {
        var object = ["error": code, "message": message]
        if let decisionID { object["decision"] = decisionID }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return ByteBuffer(bytes: data)
    }

    /// Writes the whole response. A client that already went away is not an error worth
    /// more than the caller's log line, so failures are returned, not thrown.
    @discardableResult
    public func write(to writer: any HTTP3ResponseWriter) async -> (any Error)? {
        let body = self.body
        let headers = [
            HTTP3Header("content-type", "application/json"),
            HTTP3Header("content-length", String(body.readableBytes)),
        ] + self.headers
        do {
            try await writer.writeHead(status: status, headers: headers)
            try await writer.writeBody(body)
            try await writer.finish()
            return nil
        } catch {
            return error
        }
    }
}

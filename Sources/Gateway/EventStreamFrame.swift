import Foundation
import NIOCore
import RTATokens

/// The SSE frames of PROTOCOL.md §6 (`event:` line, one `data:` line of JSON, blank
/// line). Values are JSON-escaped by `JSONSerialization`, so no field can break the
/// framing with a newline.
enum EventStreamFrame {
    static func token(_ token: RTAToken, expiresIn seconds: UInt64, reason: String) -> ByteBuffer {
        frame("token", ["access_token": token.base64url, "expires_in": seconds, "reason": reason])
    }

    static func revoked(_ notice: SessionEventHub.RevocationNotice) -> ByteBuffer {
        var data: [String: Any] = ["reason": notice.reason]
        if let event = notice.event { data["event"] = event }
        if let jti = notice.jti { data["jti"] = jti }
        return frame("revoked", data)
    }

    static func ping(at milliseconds: UInt64) -> ByteBuffer {
        frame("ping", ["ts": milliseconds])
    }

    private static func frame(_ event: String, _ data: [String: Any]) -> ByteBuffer {
        let json = (try? JSONSerialization.data(withJSONObject: data, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        var buffer = ByteBuffer(string: "event: \(event)\ndata: ")
        buffer.writeBytes(json)
        buffer.writeString("\n\n")
        return buffer
    }
}

import Foundation
import RTATokens

/// A successful exchange: the RFC 8693 §2.2.1 body of PROTOCOL.md §2, plus the new
/// session and token for the caller's audit record and event stream.
public struct TokenExchangeResponse: Sendable {
    public static let issuedTokenType = SubjectTokenType.rta.rawValue
    /// RFC 6749 §5.1: token responses must not be cached.
    public static let headers: [(name: String, value: String)] = [
        ("content-type", "application/json"), ("cache-control", "no-store"), ("pragma", "no-cache"),
    ]

    public let token: RTAToken
    public let session: Session
    /// Seconds (`tokens.max_age`).
    public let expiresIn: UInt64
    public let eventsPath: String

    public var audit: ExchangeAuditContext {
        ExchangeAuditContext(subject: session.subject, agentID: session.agentID, sessionID: session.id,
                             parentSessionID: session.parent, chain: session.chain, scopes: session.scopes)
    }

    /// `{"access_token", "issued_token_type", "token_type": "RTA", "expires_in",
    /// "session_id", "events"}`, in that order.
    public var jsonBody: Data {
        let members = [
            ("access_token", Self.jsonString(token.base64url)),
            ("issued_token_type", Self.jsonString(Self.issuedTokenType)),
            ("token_type", Self.jsonString("RTA")),
            ("expires_in", String(expiresIn)),
            ("session_id", Self.jsonString(session.id.hex)),
            ("events", Self.jsonString(eventsPath)),
        ]
        return Data(("{" + members.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}").utf8)
    }

    private static func jsonString(_ text: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        // Encoding a string cannot fail.
        return (try? encoder.encode(text)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
    }
}

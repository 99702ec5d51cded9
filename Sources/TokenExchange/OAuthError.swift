import Foundation

/// A refused token exchange, as RFC 6749 §5.2 wants it on the wire and as the audit
/// log wants it afterwards.
///
/// `code` is the coarse OAuth error the client sees (`invalid_grant`, …); `reason`
/// is the fine, stable cause (`jwt_expired`, `nonce_replayed`, …) for logs, the audit
/// record's `reason` and tests; `message` is the human `error_description`. `audit`
/// carries whatever was already known about who asked when the exchange stopped, so
/// a refusal is auditable with the same fields as a success.
public struct OAuthError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The RFC 6749 §5.2 / RFC 8693 §2.2.2 error codes PROTOCOL.md §2 allows, plus
    /// `temporarily_unavailable` (RFC 6749 §4.1.2.1) for failures that are the
    /// gateway's or the IdP's, not the client's: the same request may succeed later.
    public enum Code: String, Sendable, CaseIterable {
        case invalidRequest = "invalid_request"
        case invalidGrant = "invalid_grant"
        case unsupportedGrantType = "unsupported_grant_type"
        case invalidScope = "invalid_scope"
        case accessDenied = "access_denied"
        case temporarilyUnavailable = "temporarily_unavailable"
    }

    /// RFC 6749 §5.2 errors are JSON and, like token responses, never cached.
    public static let headers = TokenExchangeResponse.headers

    public let code: Code
    public let reason: ExchangeFailureReason
    public let message: String
    public var audit: ExchangeAuditContext

    public init(_ code: Code, _ reason: ExchangeFailureReason, _ message: String, audit: ExchangeAuditContext = ExchangeAuditContext()) {
        self.code = code
        self.reason = reason
        self.message = message
        self.audit = audit
    }

    /// RFC 6749 §5.2: every token-endpoint error is 400 (401 is only for
    /// `invalid_client`, which the exchange never answers); a gateway- or IdP-side
    /// failure is 503 so clients and load balancers retry instead of giving up.
    public var httpStatus: Int {
        code == .temporarilyUnavailable ? 503 : 400
    }

    /// The response body: `{"error": "...", "error_description": "..."}`, keys sorted.
    public var jsonBody: Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = ["error": code.rawValue, "error_description": message]
        // Encoding a dictionary of strings cannot fail.
        return (try? encoder.encode(body)) ?? Data()
    }

    /// The same error with what the exchange knew when it stopped.
    func with(_ audit: ExchangeAuditContext) -> OAuthError {
        var copy = self
        copy.audit = audit
        return copy
    }

    public var description: String { "\(code.rawValue) (\(reason.rawValue)): \(message)" }
}

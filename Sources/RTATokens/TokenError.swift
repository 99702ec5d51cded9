/// Why a token, a binding proof or a session check failed.
///
/// `code` is fine-grained and stable (logs, audit `errors`, tests match on it);
/// `wireCode` is the coarser value the client sees in
/// `WWW-Authenticate: RTA error="<code>"` (PROTOCOL.md §1), so a client learns what
/// to do next without learning which internal check tripped.
public struct TokenError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable, CaseIterable {
        case badLength = "bad_length"
        case badEncoding = "bad_encoding"
        case badMagic = "bad_magic"
        case badVersion = "bad_version"
        case badFlags = "bad_flags"
        case unknownKey = "unknown_key"
        case retiredKey = "retired_key"
        case issuedInFuture = "issued_in_future"
        case expired = "expired"
        case unknownSession = "unknown_session"
        case sessionRevoked = "session_revoked"
        case flagsMismatch = "flags_mismatch"
        case staleContext = "stale_context"
        case notBoundToConnection = "not_bound_to_connection"
        case badSignature = "bad_signature"
        case noPoPKey = "no_pop_key"
        case badExporter = "bad_exporter"
        case badProof = "bad_proof"
    }

    /// The codes of PROTOCOL.md §1, the only ones that leave the gateway.
    public enum WireCode: String, Sendable {
        case invalidToken = "invalid_token"
        case expired = "expired"
        case sessionRevoked = "session_revoked"
        case staleContext = "stale_context"
        case bindingMismatch = "binding_mismatch"
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var wireCode: WireCode {
        switch code {
        case .badLength, .badEncoding, .badMagic, .badVersion, .badFlags, .unknownKey, .retiredKey,
            .issuedInFuture, .flagsMismatch, .badSignature:
            .invalidToken
        case .expired: .expired
        // An unknown session is one that expired or was revoked and then purged: the
        // agent's remedy is the same, a new exchange.
        case .unknownSession, .sessionRevoked: .sessionRevoked
        case .staleContext: .staleContext
        case .notBoundToConnection, .noPoPKey, .badExporter, .badProof: .bindingMismatch
        }
    }

    public var description: String { "\(code.rawValue) (\(wireCode.rawValue)): \(message)" }
}

/// Why a SET was refused, as the transmitter must be told (RFC 8935 §2.3-2.4): a
/// registered error code and a human description. Every verification failure is one
/// of these, so the push endpoint, the poll `setErrs` and the audit log all report the
/// same code for the same fault.
public struct SETError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The IANA "Security Event Token Error Codes" (RFC 8935 §7.1) plus SSF's `invalid_state`.
    public enum Code: String, Sendable, CaseIterable {
        /// Not a parseable SET, or an event payload breaks its event definition.
        case invalidRequest = "invalid_request"
        /// Signature, algorithm or key not acceptable (includes unknown `kid`).
        case invalidKey = "invalid_key"
        /// `iss` is not a configured transmitter.
        case invalidIssuer = "invalid_issuer"
        /// `aud` does not name this receiver.
        case invalidAudience = "invalid_audience"
        /// The transmitter's HTTP credentials are missing or wrong.
        case authenticationFailed = "authentication_failed"
        /// The transmitter is authenticated but may not send for this issuer.
        case accessDenied = "access_denied"
        /// SSF verification event whose `state` we did not ask for (SSF §8.1.4.1).
        case invalidState = "invalid_state"
    }

    public let code: Code
    /// Sent to the transmitter as `description`: says what was expected, never a secret.
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}

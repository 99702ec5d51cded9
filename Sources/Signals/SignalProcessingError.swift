/// Why a SET had no effect. Only `rejected` is the SET's fault (answered 400 with its
/// RFC 8935 code, reported in poll `setErrs`); the others are ours or transient, so
/// the transmitter should deliver the SET again (push: 503; poll: not acknowledged).
public enum SignalProcessingError: Error, Sendable, Equatable, CustomStringConvertible {
    case rejected(SETError)
    /// The transmitter's JWKS or the session store could not be reached.
    case unavailable(String)
    /// The same `(iss, jti)` is being applied right now by another delivery.
    case inProgress(issuer: String, jti: String)

    public var description: String {
        switch self {
        case .rejected(let error): "rejected: \(error)"
        case .unavailable(let reason): "unavailable: \(reason)"
        case .inProgress(let issuer, let jti): "SET \(jti) from \(issuer) is already being applied"
        }
    }
}

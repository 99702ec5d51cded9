/// Why the QUIC listener or a connection could not be set up.
public enum QUICTransportError: Error, Sendable, CustomStringConvertible {
    /// Certificate, key or TLS session set-up failed.
    case tls(String)
    /// ngtcp2 refused an operation; `code` is its (negative) error code.
    case ngtcp2(operation: String, code: Int32, message: String)
    /// The event-loop thread's nice value could not be set.
    case priority(nice: Int32, reason: String)

    public var description: String {
        switch self {
        case .tls(let message): return "TLS: \(message)"
        case .ngtcp2(let operation, let code, let message): return "\(operation) failed (\(code)): \(message)"
        case .priority(let nice, let reason): return "could not set the QUIC thread's nice value to \(nice): \(reason)"
        }
    }
}

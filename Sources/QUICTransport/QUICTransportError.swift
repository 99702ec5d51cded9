/// Why the QUIC listener or a connection could not be set up.
public enum QUICTransportError: Error, Sendable, CustomStringConvertible {
    /// Certificate, key or TLS session set-up failed.
    case tls(String)
    /// ngtcp2 refused an operation; `code` is its (negative) error code.
    case ngtcp2(operation: String, code: Int32, message: String)

    public var description: String {
        switch self {
        case .tls(let message): return "TLS: \(message)"
        case .ngtcp2(let operation, let code, let message): return "\(operation) failed (\(code)): \(message)"
        }
    }
}

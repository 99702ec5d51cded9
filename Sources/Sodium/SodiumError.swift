/// A failure inside the Sodium wrapper. `code` is stable (log it, match on it);
/// `message` says what was wrong with the input so an operator can fix it.
public struct SodiumError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case initializationFailed = "initialization_failed"
        case allocationFailed = "allocation_failed"
        case invalidSeedLength = "invalid_seed_length"
        case invalidPublicKeyLength = "invalid_public_key_length"
        case invalidBase64URL = "invalid_base64url"
        case invalidHex = "invalid_hex"
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}

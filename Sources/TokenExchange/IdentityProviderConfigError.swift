/// An `identity_providers:` entry that cannot be used, naming the issuer and key so
/// the operator knows which line to fix.
public struct IdentityProviderConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case missingValue = "missing_value"
        case badAlgorithm = "bad_algorithm"
        case insecureURL = "insecure_url"
        case duplicateIssuer = "duplicate_issuer"
    }

    public let code: Code
    public let issuer: String
    public let key: String
    public let message: String

    public init(_ code: Code, issuer: String, key: String, _ message: String) {
        self.code = code
        self.issuer = issuer
        self.key = key
        self.message = message
    }

    public var description: String { "identity_providers[\(issuer)].\(key): \(code.rawValue): \(message)" }
}

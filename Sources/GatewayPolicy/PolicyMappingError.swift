/// Why a request could not be turned into a Cedar request. The decision for such a
/// request is deny: a request the gateway cannot describe is not one it can allow.
public struct PolicyMappingError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        case invalidClientIP = "invalid_client_ip"
        case missingPathParameter = "missing_path_parameter"
        case entities
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

/// A key file or key ring that cannot be used; names the file so the operator can
/// fix it before start-up completes.
public struct KeyFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case unreadable = "unreadable"
        case malformed = "malformed"
        case badSeed = "bad_seed"
        case duplicateKeyID = "duplicate_key_id"
        case noCurrentKey = "no_current_key"
        case severalCurrentKeys = "several_current_keys"
    }

    public let code: Code
    public let path: String
    public let message: String

    public init(_ code: Code, path: String, _ message: String) {
        self.code = code
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(code.rawValue): \(message)" }
}

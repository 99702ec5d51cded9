/// Why an entity or request document was rejected; `path` names the JSON location.
public struct EntitiesError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Hashable, Sendable {
        case invalidJSON
        case invalidEntity
        case invalidValue
        case duplicateEntity
        case duplicateKey
        case extensionError
    }

    public var code: Code
    public var message: String
    /// Where in the document, e.g. `entity 3 (User::"alice"), attribute "age"`.
    public var path: String

    public init(_ code: Code, _ message: String, path: String) {
        self.code = code
        self.message = message
        self.path = path
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

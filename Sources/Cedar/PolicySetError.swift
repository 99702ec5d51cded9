/// Why a policy set could not be built or a template could not be linked.
public struct PolicySetError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Hashable, Sendable {
        case duplicateID
        case unknownTemplate
        case notATemplate
        case slotMismatch
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

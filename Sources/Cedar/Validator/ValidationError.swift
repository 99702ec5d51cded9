/// One reason a policy does not validate against a schema, pointing at the expression
/// (or policy) it concerns.
///
/// `code` is stable for programmatic use and mirrors the reference validator's error
/// kinds; `message` says what was found and what was expected.
public struct ValidationError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Hashable, Sendable {
        case unrecognizedEntityType
        case unrecognizedActionId
        case invalidEnumEntity
        case invalidActionApplication
        case unexpectedType
        case incompatibleTypes
        case unsafeAttributeAccess
        case unsafeOptionalAttributeAccess
        case unsafeTagAccess
        case noTagsAllowed
        case undefinedFunction
        case wrongNumberArguments
        case functionArgumentValidation
        case nonLiteralExtensionConstructor
        case emptySetForbidden
    }

    public let code: Code
    public let message: String
    public let policyID: PolicyID
    public let span: SourceSpan

    public init(_ code: Code, _ message: String, policyID: PolicyID, span: SourceSpan) {
        self.code = code
        self.message = message
        self.policyID = policyID
        self.span = span
    }

    public var description: String { "\(policyID) at \(span): \(message)" }
}

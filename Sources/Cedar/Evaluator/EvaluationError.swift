/// Why evaluating a policy failed. The authorizer skips a policy that fails and reports
/// the error next to the policy id; it never aborts the whole decision.
public struct EvaluationError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Hashable, Sendable {
        /// An operand had the wrong type (`1 + "a"`, `if 3 then …`).
        case typeError
        /// A record or entity lacks the attribute being read.
        case missingAttribute
        /// An entity lacks the tag being read.
        case missingTag
        /// An attribute or tag was read from an entity that is not in the entity store.
        case entityDoesNotExist
        /// 64-bit integer arithmetic overflowed.
        case integerOverflow
        /// An extension function rejected its input (`ip("nope")`, datetime overflow).
        case extensionError
        /// A template slot was evaluated without being linked.
        case unlinkedSlot
    }

    public var code: Code
    public var message: String
    public var span: SourceSpan

    public init(_ code: Code, _ message: String, span: SourceSpan) {
        self.code = code
        self.message = message
        self.span = span
    }

    public var description: String { "\(span): \(message)" }

    static func type(expected: String, got value: Value, span: SourceSpan) -> EvaluationError {
        EvaluationError(.typeError, "type error: expected \(expected), got \(value.typeName)", span: span)
    }
}

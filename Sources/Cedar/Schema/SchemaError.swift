/// Why a schema could not be read or made consistent, with the place in the source.
///
/// `code` is stable so callers (and tests) can branch on it; `message` says what was
/// expected; `line`/`column` (1-based, 0 when unknown, e.g. for JSON input) point at
/// the offending token so an operator can fix the file without guessing.
public struct SchemaError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The text is not valid Cedar schema syntax (or not valid JSON schema shape).
        case syntax
        /// A string literal has an escape sequence Cedar does not accept.
        case invalidEscape
        /// The same entity type, action, common type, attribute or annotation is declared twice.
        case duplicateDeclaration
        /// A type, entity type or action is referenced but never declared.
        case undeclaredName
        /// A common type refers to itself, or the action hierarchy has a cycle.
        case cycle
        /// A declaration is well-formed syntax but not allowed (e.g. empty `principal: []`).
        case invalidDeclaration
        /// A reserved word or the `__cedar` namespace is used as a declared name.
        case reservedName
    }

    public let code: Code
    public let message: String
    public let line: Int
    public let column: Int

    public init(_ code: Code, _ message: String, at location: SchemaSourceLocation = .unknown) {
        self.code = code
        self.message = message
        self.line = location.line
        self.column = location.column
    }

    public var description: String {
        line > 0 ? "\(line):\(column): \(message)" : message
    }
}

/// A 1-based line/column position in schema text; `.unknown` for JSON input.
public struct SchemaSourceLocation: Hashable, Sendable {
    public let line: Int
    public let column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static let unknown = SchemaSourceLocation(line: 0, column: 0)
}

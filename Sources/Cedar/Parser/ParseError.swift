/// One syntax error in policy text: where it is, what was found and what was expected.
public struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Stable machine-readable classification.
    public enum Code: String, Hashable, Sendable {
        case unexpectedToken
        case invalidCharacter
        case unterminatedString
        case invalidEscape
        case integerOverflow
        case duplicateKey
        case duplicateAnnotation
        case invalidScope
        case unknownFunction
        case invalidMethod
        case invalidExpression
        case reservedIdentifier
        case slotOutsideScope
    }

    public var code: Code
    public var message: String
    public var fileName: String?
    public var span: SourceSpan
    /// The offending token as written (`end of input` at EOF).
    public var found: String
    /// What the grammar would have accepted here, if a short list exists.
    public var expected: [String]

    public init(
        _ code: Code, _ message: String, span: SourceSpan, found: String = "", expected: [String] = [],
        fileName: String? = nil
    ) {
        self.code = code
        self.message = message
        self.span = span
        self.found = found
        self.expected = expected
        self.fileName = fileName
    }

    public var line: Int { span.line }
    public var column: Int { span.column }

    public var description: String {
        let place = "\(fileName.map { "\($0):" } ?? "")\(span.line):\(span.column)"
        return "\(place): \(message)"
    }
}

/// All syntax errors found in one text; the parser recovers at policy boundaries so one
/// bad policy does not hide errors in the next.
public struct ParseErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [ParseError]

    public init(_ errors: [ParseError]) {
        self.errors = errors
    }

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

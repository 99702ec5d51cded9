/// A position range in policy text, carried by every expression node so that parse,
/// validation and evaluation diagnostics can point at the exact source.
///
/// `line` and `column` are 1-based (columns count Unicode scalars); `offset` and
/// `length` are in UTF-8 bytes from the start of the text.
public struct SourceSpan: Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var offset: Int
    public var length: Int

    public init(line: Int, column: Int, offset: Int, length: Int = 0) {
        self.line = line
        self.column = column
        self.offset = offset
        self.length = length
    }

    /// Used for nodes that were not parsed from text (built in code or from JSON).
    public static let none = SourceSpan(line: 0, column: 0, offset: 0, length: 0)

    /// The smallest span covering both `self` and `other`.
    public func through(_ other: SourceSpan) -> SourceSpan {
        let end = max(offset + length, other.offset + other.length)
        return SourceSpan(line: line, column: column, offset: offset, length: end - offset)
    }

    public var description: String { "\(line):\(column)" }
}

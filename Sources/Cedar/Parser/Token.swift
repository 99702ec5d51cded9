/// One lexical token of Cedar policy text.
struct Token: Sendable {
    enum Kind: Hashable, Sendable {
        case identifier(String)
        /// Decimal digits as written; range-checked by the parser, which knows the sign.
        case integer(String)
        /// The raw text between the quotes, escapes not yet processed (patterns and plain
        /// strings accept different escapes).
        case string(String)
        /// A template slot written as one token, `?principal` (no space after `?`).
        case slot(String)
        case symbol(Symbol)
        case endOfInput
    }

    enum Symbol: String, Hashable, Sendable {
        case lparen = "(", rparen = ")", lbracket = "[", rbracket = "]", lbrace = "{", rbrace = "}"
        case comma = ",", semicolon = ";", colon = ":", doubleColon = "::", dot = ".", at = "@"
        case eq = "==", notEq = "!=", less = "<", lessEq = "<=", greater = ">"
        case greaterEq = ">=", and = "&&", or = "||", plus = "+", minus = "-", star = "*", bang = "!"
        /// Not Cedar operators; lexed so the parser can say so instead of "invalid character".
        case slash = "/", percent = "%", singleEq = "="
    }

    var kind: Kind
    var span: SourceSpan

    /// The token as it appears in diagnostics.
    var display: String {
        switch kind {
        case .identifier(let s): "`\(s)`"
        case .integer(let s): "`\(s)`"
        case .string(let s): "\"\(s)\""
        case .slot(let s): "`?\(s)`"
        case .symbol(let s): "`\(s.rawValue)`"
        case .endOfInput: "end of input"
        }
    }
}

/// Recursive-descent parser for the Cedar 4.x policy grammar, producing the AST with a
/// source span on every node.
///
/// Precedence, loosest first: `if`, `||`, `&&`, relations (`== != < <= > >= in has like
/// is`, non-associative), `+ -`, `*`, unary `! -` (at most four), member access. Errors
/// are collected per policy: after an error the parser skips to the next `;` and goes on,
/// so every broken policy in a file is reported at once.
struct Parser {
    let tokens: [Token]
    var pos = 0
    let fileName: String?
    /// Current expression nesting, bounded so hostile input cannot overflow the stack
    /// (Cedar itself has no limit; real policies stay far below it).
    var depth = 0
    static let maxDepth = 128

    static let builtinMethods: [String: (BinaryOp?, Int)] = [
        "contains": (.contains, 1), "containsAll": (.containsAll, 1), "containsAny": (.containsAny, 1),
        "getTag": (.getTag, 1), "hasTag": (.hasTag, 1), "isEmpty": (nil, 0),
    ]
    static let reserved: Set<String> = ["true", "false", "if", "then", "else", "in", "is", "like", "has", "__cedar"]

    init(tokens: [Token], fileName: String?) {
        self.tokens = tokens
        self.fileName = fileName
    }

    /// Parses every policy in `text`; ids are `policy0`, `policy1`, … in order.
    static func parsePolicies(_ text: String, fileName: String? = nil) -> Result<[Policy], ParseErrors> {
        let tokens: [Token]
        switch Lexer.tokenize(text) {
        case .success(let t): tokens = t
        case .failure(var e):
            e.fileName = fileName
            return .failure(ParseErrors([e]))
        }
        var parser = Parser(tokens: tokens, fileName: fileName)
        var policies: [Policy] = []
        var errors: [ParseError] = []
        while !parser.atEnd {
            do throws(ParseError) {
                policies.append(try parser.parsePolicy(id: PolicyID("policy\(policies.count + errors.count)")))
            } catch {
                errors.append(error)
                parser.skipPastSemicolon()
            }
        }
        return errors.isEmpty ? .success(policies) : .failure(ParseErrors(errors))
    }

    /// Parses a single standalone expression (used for tests and tooling).
    static func parseExpression(_ text: String) -> Result<Expr, ParseError> {
        switch Lexer.tokenize(text) {
        case .failure(let e): return .failure(e)
        case .success(let tokens):
            var parser = Parser(tokens: tokens, fileName: nil)
            do throws(ParseError) {
                let e = try parser.parseExpr()
                if !parser.atEnd { throw parser.unexpected(expecting: ["end of input"]) }
                return .success(e)
            } catch {
                return .failure(error)
            }
        }
    }

    // MARK: - Token helpers

    var atEnd: Bool {
        if case .endOfInput = tokens[pos].kind { return true }
        return false
    }

    var current: Token { tokens[pos] }

    func peekKind(_ ahead: Int = 0) -> Token.Kind {
        tokens[min(pos + ahead, tokens.count - 1)].kind
    }

    mutating func bump() -> Token {
        let t = tokens[pos]
        if !atEnd { pos += 1 }
        return t
    }

    func isSymbol(_ s: Token.Symbol, _ ahead: Int = 0) -> Bool {
        peekKind(ahead) == .symbol(s)
    }

    func isKeyword(_ word: String, _ ahead: Int = 0) -> Bool {
        peekKind(ahead) == .identifier(word)
    }

    /// The span from `start` through the last consumed token.
    func span(from start: SourceSpan) -> SourceSpan {
        let last = tokens[max(pos - 1, 0)].span
        return start.through(last)
    }

    func error(_ code: ParseError.Code, _ message: String, at token: Token? = nil, expected: [String] = []) -> ParseError {
        let t = token ?? current
        return ParseError(code, message, span: t.span, found: t.display, expected: expected, fileName: fileName)
    }

    func unexpected(expecting expected: [String]) -> ParseError {
        error(.unexpectedToken, "unexpected token \(current.display), expected \(expected.joined(separator: " or "))", expected: expected)
    }

    mutating func expect(_ s: Token.Symbol) throws(ParseError) {
        guard isSymbol(s) else { throw unexpected(expecting: ["`\(s.rawValue)`"]) }
        _ = bump()
    }

    mutating func expectKeyword(_ word: String) throws(ParseError) {
        guard isKeyword(word) else { throw unexpected(expecting: ["`\(word)`"]) }
        _ = bump()
    }

    mutating func identifier(_ what: String) throws(ParseError) -> String {
        guard case .identifier(let name) = current.kind else { throw unexpected(expecting: [what]) }
        _ = bump()
        return name
    }

    mutating func stringLiteral() throws(ParseError) -> String {
        let token = current
        guard case .string(let raw) = token.kind else { throw unexpected(expecting: ["string literal"]) }
        _ = bump()
        switch StringUnescaper.string(raw) {
        case .success(let s): return s
        case .failure(.invalidEscape(let e)):
            throw error(.invalidEscape, "invalid escape `\(e)` in string literal", at: token)
        }
    }

    mutating func skipPastSemicolon() {
        while !atEnd {
            if bump().kind == .symbol(.semicolon) { return }
        }
    }
}

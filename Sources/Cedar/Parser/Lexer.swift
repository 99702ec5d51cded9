/// Splits Cedar policy text into tokens, tracking line and column for every token.
///
/// Works on UTF-8 bytes: every Cedar token is ASCII, and non-ASCII text can only occur
/// inside string literals and comments.
struct Lexer {
    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var column = 1

    init(_ text: String) {
        self.bytes = Array(text.utf8)
    }

    /// All tokens, ending with `.endOfInput`, or the first lexical error.
    static func tokenize(_ text: String) -> Result<[Token], ParseError> {
        var lexer = Lexer(text)
        var tokens: [Token] = []
        while true {
            switch lexer.next() {
            case .success(let token):
                tokens.append(token)
                if case .endOfInput = token.kind { return .success(tokens) }
            case .failure(let error):
                return .failure(error)
            }
        }
    }

    private var here: SourceSpan { SourceSpan(line: line, column: column, offset: index) }

    private mutating func advance() {
        let byte = bytes[index]
        index += 1
        if byte == UInt8(ascii: "\n") {
            line += 1
            column = 1
        } else if byte & 0xC0 != 0x80 {
            column += 1
        }
    }

    private func peek(_ ahead: Int = 0) -> UInt8? {
        index + ahead < bytes.count ? bytes[index + ahead] : nil
    }

    /// The byte length of the whitespace character at the cursor, if there is one. Like
    /// Cedar's `\s`, this includes Unicode white space such as U+00A0 and U+2028.
    private func whitespaceLength() -> Int? {
        guard let c = peek() else { return nil }
        if c < 0x80 {
            return c == 0x20 || (0x09...0x0D).contains(c) ? 1 : nil
        }
        let length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2
        guard index + length <= bytes.count,
            let scalar = String(decoding: bytes[index..<index + length], as: UTF8.self).unicodeScalars.first,
            scalar.properties.isWhitespace
        else { return nil }
        return length
    }

    private mutating func skipTrivia() {
        while let c = peek() {
            if let length = whitespaceLength() {
                for _ in 0..<length { advance() }
            } else if c == UInt8(ascii: "/"), peek(1) == UInt8(ascii: "/") {
                while let d = peek(), d != UInt8(ascii: "\n") { advance() }
            } else {
                return
            }
        }
    }

    private static func isIdentStart(_ c: UInt8) -> Bool {
        (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || c == UInt8(ascii: "_")
    }

    private static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    mutating func next() -> Result<Token, ParseError> {
        skipTrivia()
        let start = here
        guard let c = peek() else { return .success(Token(kind: .endOfInput, span: start)) }
        func finish(_ kind: Token.Kind) -> Token {
            var span = start
            span.length = index - start.offset
            return Token(kind: kind, span: span)
        }
        if Lexer.isIdentStart(c) {
            while let d = peek(), Lexer.isIdentStart(d) || Lexer.isDigit(d) { advance() }
            return .success(finish(.identifier(String(decoding: bytes[start.offset..<index], as: UTF8.self))))
        }
        if c == UInt8(ascii: "?"), let d = peek(1), Lexer.isIdentStart(d) {
            advance()
            while let d = peek(), Lexer.isIdentStart(d) || Lexer.isDigit(d) { advance() }
            return .success(finish(.slot(String(decoding: bytes[(start.offset + 1)..<index], as: UTF8.self))))
        }
        if Lexer.isDigit(c) {
            while let d = peek(), Lexer.isDigit(d) { advance() }
            return .success(finish(.integer(String(decoding: bytes[start.offset..<index], as: UTF8.self))))
        }
        if c == UInt8(ascii: "\"") {
            advance()
            let contentStart = index
            while let d = peek() {
                if d == UInt8(ascii: "\"") {
                    let raw = String(decoding: bytes[contentStart..<index], as: UTF8.self)
                    advance()
                    return .success(finish(.string(raw)))
                }
                if d == UInt8(ascii: "\\") { advance() }
                if peek() != nil { advance() }
            }
            return .failure(ParseError(.unterminatedString, "unterminated string literal", span: start, found: "end of input", expected: ["`\"`"]))
        }
        let two: [(String, Token.Symbol)] = [
            ("::", .doubleColon), ("==", .eq), ("!=", .notEq), ("<=", .lessEq), (">=", .greaterEq), ("&&", .and), ("||", .or),
        ]
        if let d = peek(1) {
            for (text, symbol) in two where text.utf8.first == c && text.utf8.last == d {
                advance()
                advance()
                return .success(finish(.symbol(symbol)))
            }
        }
        if let symbol = Token.Symbol(rawValue: String(UnicodeScalar(c))), c < 0x80 {
            advance()
            return .success(finish(.symbol(symbol)))
        }
        var scalarEnd = index + 1
        while scalarEnd < bytes.count, bytes[scalarEnd] & 0xC0 == 0x80 { scalarEnd += 1 }
        let found = String(decoding: bytes[index..<scalarEnd], as: UTF8.self)
        return .failure(ParseError(.invalidCharacter, "invalid character `\(found)`", span: start, found: found))
    }
}

/// One token of the `.cedarschema` format. Keywords are plain identifiers here: the
/// grammar lets most of them double as names (an attribute may be called `type`).
struct SchemaToken {
    enum Kind: Equatable {
        case identifier(String)
        case string(String)
        case number
        case symbol(String)
        case end
    }

    let kind: Kind
    let location: SchemaSourceLocation
}

/// Splits schema text into tokens, skipping whitespace and `//` comments, and decodes
/// string escapes with Cedar's rules (`\n \r \t \\ \0 \' \"` and `\u{1–6 hex}`).
struct SchemaLexer {
    private let scalars: [Unicode.Scalar]
    private var index = 0
    private var line = 1
    private var column = 1

    init(_ text: String) {
        scalars = Array(text.unicodeScalars)
    }

    static func tokenize(_ text: String) throws(SchemaError) -> [SchemaToken] {
        var lexer = SchemaLexer(text)
        var tokens: [SchemaToken] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    private var current: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

    private func peek(_ offset: Int) -> Unicode.Scalar? {
        index + offset < scalars.count ? scalars[index + offset] : nil
    }

    private mutating func advance() {
        if scalars[index] == "\n" {
            line += 1
            column = 1
        } else {
            column += 1
        }
        index += 1
    }

    private mutating func skipTrivia() {
        while let c = current {
            if c.properties.isWhitespace {
                advance()
            } else if c == "/" && peek(1) == "/" {
                while let d = current, d != "\n", d != "\r" { advance() }
            } else {
                return
            }
        }
    }

    private static func isIdentifierStart(_ c: Unicode.Scalar) -> Bool {
        c == "_" || (c >= "a" && c <= "z") || (c >= "A" && c <= "Z")
    }

    private static func isIdentifierContinue(_ c: Unicode.Scalar) -> Bool {
        isIdentifierStart(c) || (c >= "0" && c <= "9")
    }

    mutating func next() throws(SchemaError) -> SchemaToken {
        skipTrivia()
        let start = SchemaSourceLocation(line: line, column: column)
        guard let c = current else { return SchemaToken(kind: .end, location: start) }
        if Self.isIdentifierStart(c) {
            var text = ""
            while let d = current, Self.isIdentifierContinue(d) {
                text.unicodeScalars.append(d)
                advance()
            }
            return SchemaToken(kind: .identifier(text), location: start)
        }
        if c >= "0" && c <= "9" {
            while let d = current, d >= "0" && d <= "9" { advance() }
            return SchemaToken(kind: .number, location: start)
        }
        if c == "\"" {
            return SchemaToken(kind: .string(try lexString(start: start)), location: start)
        }
        if c == ":" && peek(1) == ":" {
            advance()
            advance()
            return SchemaToken(kind: .symbol("::"), location: start)
        }
        if ",;:{}[]<>=?@()".unicodeScalars.contains(c) {
            advance()
            return SchemaToken(kind: .symbol(String(c)), location: start)
        }
        throw SchemaError(.syntax, "unexpected character `\(c)`", at: start)
    }

    private mutating func lexString(start: SchemaSourceLocation) throws(SchemaError) -> String {
        advance()
        var raw: [Unicode.Scalar] = []
        while true {
            guard let c = current else {
                throw SchemaError(.syntax, "unterminated string literal", at: start)
            }
            advance()
            if c == "\"" { break }
            raw.append(c)
            if c == "\\" {
                guard let escaped = current else {
                    throw SchemaError(.syntax, "unterminated string literal", at: start)
                }
                raw.append(escaped)
                advance()
            }
        }
        return try Self.unescape(raw, at: start)
    }

    static func unescape(_ raw: [Unicode.Scalar], at location: SchemaSourceLocation) throws(SchemaError) -> String {
        var result = String.UnicodeScalarView()
        var i = 0
        while i < raw.count {
            let c = raw[i]
            i += 1
            guard c == "\\" else {
                result.append(c)
                continue
            }
            guard i < raw.count else { throw SchemaError(.invalidEscape, "dangling `\\` in string", at: location) }
            let e = raw[i]
            i += 1
            switch e {
            case "n": result.append("\n")
            case "r": result.append("\r")
            case "t": result.append("\t")
            case "\\": result.append("\\")
            case "0": result.append("\0")
            case "'": result.append("'")
            case "\"": result.append("\"")
            case "u":
                guard i < raw.count, raw[i] == "{" else {
                    throw SchemaError(.invalidEscape, "`\\u` must be followed by `{hex}`", at: location)
                }
                i += 1
                var hex = ""
                while i < raw.count, raw[i] != "}" {
                    hex.unicodeScalars.append(raw[i])
                    i += 1
                }
                guard i < raw.count, (1...6).contains(hex.count), let value = UInt32(hex, radix: 16),
                      let scalar = Unicode.Scalar(value) else {
                    throw SchemaError(.invalidEscape, "invalid unicode escape `\\u{\(hex)}`", at: location)
                }
                i += 1
                result.append(scalar)
            default:
                throw SchemaError(.invalidEscape, "invalid escape `\\\(e)`", at: location)
            }
        }
        return String(result)
    }
}

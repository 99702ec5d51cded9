import Testing

@testable import Cedar

struct LexerTests {
    func kinds(_ text: String) throws -> [Token.Kind] {
        try Lexer.tokenize(text).get().map(\.kind)
    }

    @Test func tokensAndComments() throws {
        #expect(
            try kinds("a::\"b\" // note\n<= 12 && !x") == [
                .identifier("a"), .symbol(.doubleColon), .string("b"), .symbol(.lessEq), .integer("12"),
                .symbol(.and), .symbol(.bang), .identifier("x"), .endOfInput,
            ])
    }

    @Test func unicodeWhitespaceSeparatesTokens() throws {
        #expect(try kinds("a\u{00A0}b\u{2028}\u{000C}c") == [.identifier("a"), .identifier("b"), .identifier("c"), .endOfInput])
        guard case .failure(let e) = Lexer.tokenize("a\u{00E9}") else {
            Issue.record("é is not whitespace")
            return
        }
        #expect(e.message == "invalid character `é`")
    }

    @Test func stringKeepsRawEscapes() throws {
        #expect(try kinds(#""a\"b\\""#) == [.string(#"a\"b\\"#), .endOfInput])
    }

    @Test func positionsCountScalarsNotBytes() throws {
        let tokens = try Lexer.tokenize("\"é\" x\n  y").get()
        #expect(tokens[1].span.line == 1)
        #expect(tokens[1].span.column == 5)
        #expect(tokens[1].span.offset == 5)
        #expect(tokens[2].span.line == 2)
        #expect(tokens[2].span.column == 3)
    }

    @Test func errors() {
        guard case .failure(let e) = Lexer.tokenize("a\n  & b") else {
            Issue.record("expected a lexical error")
            return
        }
        #expect(e.code == .invalidCharacter)
        #expect((e.line, e.column) == (2, 3))
        guard case .failure(let u) = Lexer.tokenize("x \"abc") else {
            Issue.record("expected an unterminated string")
            return
        }
        #expect(u.code == .unterminatedString)
        #expect(u.column == 3)
    }
}

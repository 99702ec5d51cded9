import Testing
@testable import Cedar

@Suite struct SchemaLexerTests {
    @Test func tokenizesWithPositionsAndSkipsComments() throws {
        let tokens = try SchemaLexer.tokenize("// header\nentity A::B { x?: Set<Long> };")
        #expect(tokens.map(\.kind) == [
            .identifier("entity"), .identifier("A"), .symbol("::"), .identifier("B"), .symbol("{"),
            .identifier("x"), .symbol("?"), .symbol(":"), .identifier("Set"), .symbol("<"), .identifier("Long"),
            .symbol(">"), .symbol("}"), .symbol(";"), .end,
        ])
        #expect(tokens[0].location == SchemaSourceLocation(line: 2, column: 1))
        #expect(tokens[5].location == SchemaSourceLocation(line: 2, column: 15))
    }

    @Test func decodesCedarEscapes() throws {
        let tokens = try SchemaLexer.tokenize(#""a\n\t\\\"\'\0\u{1F600}\u{7f}""#)
        #expect(tokens.first?.kind == .string("a\n\t\\\"'\0😀\u{7f}"))
    }

    @Test(arguments: [#""\x41""#, #""\u{}""#, #""\u{1234567}""#, #""\u{D800}""#, #""open"#, "#"])
    func rejectsMalformedInput(text: String) {
        #expect(throws: SchemaError.self) { try SchemaLexer.tokenize(text) }
    }
}

import Testing

@testable import Cedar

struct JSONValueTests {
    @Test func parsesExactly() throws {
        let v = try JSONValue.parse(#" {"a": [1, -2.5e3, true, false, null], "b": "x\u00e9\ud83d\ude00\n", "a": {}} "#)
        guard case .object(let members) = v else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.key) == ["a", "b", "a"])
        #expect(v["a"] == .array([.number("1"), .number("-2.5e3"), .bool(true), .bool(false), .null]))
        #expect(v["b"] == .string("xé😀\n"))
        #expect(try JSONValue.parse("9223372036854775807") == .number("9223372036854775807"))
    }

    @Test(arguments: ["", "[1,]", "{\"a\" 1}", "\"abc", "tru", "[1] 2", "\"\\q\"", "\"\u{01}\"", "-", "{1: 2}"])
    func rejectsMalformed(text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue.parse(text) }
    }

    @Test func limitsNesting() {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        let e = #expect(throws: JSONParseError.self) { try JSONValue.parse(deep) }
        #expect(e?.message == "nesting too deep")
    }
}

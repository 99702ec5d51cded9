import Testing

@testable import Cedar

struct StringUnescaperTests {
    @Test func plainStringEscapes() throws {
        #expect(try StringUnescaper.string(#"a\n\t\r\\\"\'\0\x41\u{1F600}"#).get() == "a\n\t\r\\\"'\0A😀")
    }

    @Test func rejectsBadEscapes() {
        for bad in [#"\q"#, #"\*"#, #"\x80"#, #"\u{110000}"#, #"\u{}"#, #"\u12"#, "\\"] {
            guard case .failure = StringUnescaper.string(bad) else {
                Issue.record("accepted \(bad)")
                continue
            }
        }
    }

    @Test func patternStarIsWildcardUnlessEscaped() throws {
        #expect(try StringUnescaper.pattern(#"*a\*"#).get().elements == [.wildcard, .char("a"), .char("*")])
    }
}

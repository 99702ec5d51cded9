import Testing

@testable import Cedar

struct PatternMatchingTests {
    func matches(_ pattern: String, _ text: String) throws -> Bool {
        try StringUnescaper.pattern(pattern).get().matches(text)
    }

    @Test(arguments: [
        ("", "", true), ("", "a", false), ("*", "", true), ("*", "anything", true),
        ("a*c", "abbbc", true), ("a*c", "abbb", false), ("*a*b*", "xxaxxbxx", true), ("*a*b*", "xxbxxa", false),
        (#"a\*"#, "a*", true), (#"a\*"#, "ab", false), ("é*", "éé", true), ("**x", "x", true),
        ("a*b*c", "aXbYbZc", true), ("*ab", "aab", true),
    ])
    func wildcardMatching(pattern: String, text: String, expected: Bool) throws {
        #expect(try matches(pattern, text) == expected)
    }
}

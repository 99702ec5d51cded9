import Testing
@testable import Cedar

@Suite struct SchemaCorpusTests {
    /// Every schema in the conformance corpus is valid Cedar, so every one must load.
    @Test func everyCorpusSchemaParses() throws {
        let cases = try CorpusArchive.testCases.get()
        #expect(cases.count == 7_809)
        var failures: [String] = []
        for testCase in cases {
            do {
                _ = try Schema.parse(cedarSchema: testCase.schema)
            } catch {
                failures.append("\(testCase.name): \(error)")
            }
        }
        #expect(failures.isEmpty, "\(failures.count) schemas failed, first: \(failures.prefix(5))")
    }
}

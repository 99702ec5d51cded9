import Foundation
import Testing
@testable import Cedar

/// Strict validation of every corpus test's policies against its schema must agree with
/// the corpus's `shouldValidate` (computed by the reference Rust validator).
@Suite struct ValidationConformanceTests {
    @Test func corpusValidationMatchesReference() throws {
        let cases = try CorpusArchive.testCases.get()
        var passed = 0
        var mismatches: [String] = []
        var rejectedBy: [String: Int] = [:]
        for testCase in cases {
            let outcome: String
            let validates: Bool
            do {
                let schema = try Schema.parse(cedarSchema: testCase.schema)
                let policies = try Parser.parsePolicies(testCase.policies).get()
                let errors = Validator(schema: schema).validate(policies)
                validates = errors.isEmpty
                if let first = errors.first { rejectedBy[first.code.rawValue, default: 0] += 1 }
                outcome = errors.first.map { "\($0.code.rawValue): \($0)" } ?? "no errors"
            } catch {
                validates = false
                outcome = "did not load: \(error)"
                rejectedBy["did not load", default: 0] += 1
                if rejectedBy["did not load", default: 0] <= 5 { print("\(testCase.name) did not load: \(error)") }
            }
            if validates == testCase.shouldValidate {
                passed += 1
            } else {
                mismatches.append("\(testCase.name) expected shouldValidate=\(testCase.shouldValidate), got \(outcome)")
            }
        }
        print("validation \(passed)/\(cases.count)")
        print("rejections by first error: " + rejectedBy.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        #expect(cases.count == 7_809)
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches; first: \n\(mismatches.prefix(20).joined(separator: "\n"))")
    }

    /// The hand-written tests (`tests/{decimal,ip,multi,example_use_cases}`) use the shared
    /// sample-data schemas; all of them are expected to validate.
    @Test func handWrittenTestsValidate() throws {
        let root = CorpusArchive.conformanceDirectory
        let folders = ["decimal", "ip", "multi", "example_use_cases"]
        var checked = 0
        for folder in folders {
            let directory = root.appendingPathComponent("tests/\(folder)")
            for name in try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() where name.hasSuffix(".json") {
                let data = try Data(contentsOf: directory.appendingPathComponent(name))
                let manifest = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
                let policiesPath = try #require(manifest["policies"] as? String)
                let schemaPath = try #require(manifest["schema"] as? String)
                let schema = try Schema.parse(cedarSchema: String(contentsOf: root.appendingPathComponent(schemaPath), encoding: .utf8))
                let policies = try Parser.parsePolicies(String(contentsOf: root.appendingPathComponent(policiesPath), encoding: .utf8)).get()
                let errors = Validator(schema: schema).validate(policies)
                #expect(errors.isEmpty == (manifest["shouldValidate"] as? Bool), "\(folder)/\(name): \(errors)")
                checked += 1
            }
        }
        #expect(checked == 22)
    }
}

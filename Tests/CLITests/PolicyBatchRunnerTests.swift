import Foundation
import GatewayTesting
import Testing

/// `policy authorize --batch`: JSON lines in, JSON lines out.
@Suite struct PolicyBatchRunnerTests {
    /// Every example test file of the corpus, replayed through one batch process per file:
    /// each output line must equal the corpus' expected decision, reasons and errors.
    @Test func batchReproducesTheCorpusExamples() async throws {
        let cli = try PolicyCLI()
        let folder = PolicyCLI.corpus + "/tests"
        var files: [String] = []
        for group in try FileManager.default.contentsOfDirectory(atPath: folder).sorted() {
            for name in try FileManager.default.contentsOfDirectory(atPath: folder + "/" + group).sorted()
            where name.hasSuffix(".json") {
                files.append(folder + "/" + group + "/" + name)
            }
        }
        #expect(files.count >= 20)
        var checked = 0
        for file in files {
            let test = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: Any])
            let requests = try #require(test["requests"] as? [[String: Any]])
            let lines = try requests.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }
            let path = { (key: String) in PolicyCLI.corpus + "/" + (test[key] as? String ?? "") }
            let result = try await cli.run([
                "authorize", "--no-id-annotations", "--policies", path("policies"), "--entities", path("entities"),
                "--schema", path("schema"), "--batch", "-",
            ], input: lines.joined(separator: "\n") + "\n")
            #expect(result.status == 0, "\(file): \(result.standardError)")
            let outputs = result.standardOutput.split(separator: "\n")
            #expect(outputs.count == requests.count, "\(file)")
            for (expected, line) in zip(requests, outputs) {
                let actual = try #require(PolicyCLI.object(line))
                #expect(actual["decision"] as? String == expected["decision"] as? String, "\(file): \(line)")
                #expect(actual["reasons"] as? [String] == (expected["reason"] as? [String])?.sorted(), "\(file): \(line)")
                #expect(actual["errors"] as? [String] == (expected["errors"] as? [String])?.sorted(), "\(file): \(line)")
                checked += 1
            }
        }
        #expect(checked >= 70)
    }

    @Test func badLinesAreReportedInPlaceAndTheBatchGoesOn() async throws {
        let cli = try PolicyCLI()
        let policies = try cli.file("p.cedar", """
            @id("view") permit(principal, action == Action::"view", resource);
            @id("broken") permit(principal, action, resource) when { principal.nosuch };
            """)
        let entities = try cli.file("e.json", "[]")
        let view = #"{"principal": "User::\"a\"", "action": "Action::\"view\"", "resource": "Photo::\"p\"", "context": {}}"#
        let edit = #"{"principal": {"type": "User", "id": "a"}, "action": {"type": "Action", "id": "edit"}, "resource": {"type": "Photo", "id": "p"}}"#
        let batch = try cli.file("batch.jsonl", [view, "not json", "", edit].joined(separator: "\n") + "\n")
        let result = try await cli.run(["authorize", "-p", policies, "--entities", entities, "--batch", batch])
        #expect(result.status == 1)
        let lines = result.standardOutput.split(separator: "\n")
        try #require(lines.count == 3)
        #expect(lines[0] == #"{"decision":"allow","reasons":["view"],"errors":["broken"]}"#)
        let failure = try #require(PolicyCLI.object(lines[1]))
        #expect(failure["line"] as? Int == 2)
        #expect((failure["error"] as? String)?.isEmpty == false)
        #expect(lines[2] == #"{"decision":"deny","reasons":[],"errors":["broken"]}"#)
    }

    @Test func allDecidedBatchExitsZeroEvenWhenDenied() async throws {
        let cli = try PolicyCLI()
        let policies = try cli.file("p.cedar", "forbid(principal, action, resource);\n")
        let entities = try cli.file("e.json", "[]")
        let request = #"{"principal": "User::\"a\"", "action": "Action::\"view\"", "resource": "Photo::\"p\""}"#
        let result = try await cli.run(["authorize", "-p", policies, "--entities", entities, "--batch", "-"], input: request + "\n")
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput == #"{"decision":"deny","reasons":["policy0"],"errors":[]}"# + "\n")
    }
}

import Foundation
import Testing

@testable import Cedar

/// Runs the official Cedar conformance corpus (`../shared/conformance/cedar/`): every
/// request of every generated test plus the hand-written tests, checking decision, reason
/// set and erroring-policy set separately. Any mismatch fails the test.
struct ConformanceTests {
    /// `<repo>/../shared/conformance/cedar`, found from this file's real location.
    static let cedarDir: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/conformance/cedar")

    struct Tally {
        var decisions = (0, 0)
        var reasons = (0, 0)
        var errors = (0, 0)
        var failures: [String] = []
        var failedFiles = 0

        var allPassed: Bool { decisions.0 == decisions.1 && reasons.0 == reasons.1 && errors.0 == errors.1 && failedFiles == 0 }

        var summary: String {
            "decisions \(decisions.0)/\(decisions.1), reasons \(reasons.0)/\(reasons.1), errors \(errors.0)/\(errors.1), unloadable files \(failedFiles)"
        }
    }

    static func unpackCorpus() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cedar-corpus-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/usr/bin/tar")
        tar.arguments = ["xzf", cedarDir.appendingPathComponent("corpus-tests.tar.gz").path, "-C", dir.path]
        try tar.run()
        tar.waitUntilExit()
        #expect(tar.terminationStatus == 0)
        return dir
    }

    static func read(_ url: URL) throws -> String {
        try String(contentsOf: url, encoding: .utf8)
    }

    /// Runs one test file; `base` is the folder its relative paths start from.
    static func run(testFile: URL, base: URL, into tally: inout Tally) throws {
        let name = testFile.lastPathComponent
        let test = try JSONValue.parse(try read(testFile))
        guard let policiesPath = test["policies"]?.stringValue, let entitiesPath = test["entities"]?.stringValue,
            let requests = test["requests"]?.arrayValue
        else {
            tally.failedFiles += 1
            tally.failures.append("\(name): malformed test file")
            return
        }
        let policies: PolicySet
        let entities: Entities
        let schema: Schema?
        do {
            // The reference harness reads entities and contexts with the schema, which
            // permits the implicit entity/extension forms the sample data uses.
            schema = try test["schema"]?.stringValue.map { path throws in
                try Schema.parse(cedarSchema: try read(base.appendingPathComponent(path)))
            }
            policies = try PolicySet.parse(text: try read(base.appendingPathComponent(policiesPath)), fileName: policiesPath)
            entities = try Entities.fromJSON(try read(base.appendingPathComponent(entitiesPath)), schema: schema)
        } catch {
            tally.failedFiles += 1
            tally.failures.append("\(name): \(error)")
            return
        }
        for (i, requestJSON) in requests.enumerated() {
            let request: Request
            do {
                request = try Request.fromJSON(requestJSON, schema: schema)
            } catch {
                tally.failures.append("\(name) request \(i): \(error)")
                continue
            }
            let response = Authorizer.isAuthorized(request, policies: policies, entities: entities)
            let expectedDecision = requestJSON["decision"]?.stringValue
            let expectedReason = Set((requestJSON["reason"]?.arrayValue ?? []).compactMap(\.stringValue))
            let expectedErrors = Set((requestJSON["errors"]?.arrayValue ?? []).compactMap(\.stringValue))
            let reason = Set(response.reason.map(\.rawValue))
            let errors = Set(response.errors.map(\.policyID.rawValue))
            tally.decisions.1 += 1
            tally.reasons.1 += 1
            tally.errors.1 += 1
            var problems: [String] = []
            if response.decision.rawValue == expectedDecision { tally.decisions.0 += 1 } else {
                problems.append("decision \(response.decision.rawValue) != \(expectedDecision ?? "?")")
            }
            if reason == expectedReason { tally.reasons.0 += 1 } else {
                problems.append("reason \(reason.sorted()) != \(expectedReason.sorted())")
            }
            if errors == expectedErrors { tally.errors.0 += 1 } else {
                let messages = response.errors.map { "\($0.policyID): \($0.error.message)" }
                problems.append("errors \(errors.sorted()) != \(expectedErrors.sorted()) \(messages)")
            }
            if !problems.isEmpty {
                tally.failures.append("\(name) request \(i): " + problems.joined(separator: "; "))
            }
        }
    }

    static func testFiles(in dir: URL) -> [URL] {
        let all = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        return all.filter { $0.pathExtension == "json" && !$0.lastPathComponent.hasSuffix(".entities.json") }
            .sorted { $0.path < $1.path }
    }

    static func report(_ label: String, _ tally: Tally) {
        print("Cedar conformance (\(label)): \(tally.summary)")
        for failure in tally.failures.prefix(20) { print("  FAIL \(failure)") }
    }

    @Test func corpus() throws {
        let dir = try ConformanceTests.unpackCorpus()
        defer { try? FileManager.default.removeItem(at: dir) }
        var tally = Tally()
        let files = ConformanceTests.testFiles(in: dir.appendingPathComponent("corpus-tests"))
        #expect(files.count == 7809)
        for file in files {
            try ConformanceTests.run(testFile: file, base: dir, into: &tally)
        }
        ConformanceTests.report("corpus", tally)
        #expect(tally.allPassed, "\(tally.summary)")
    }

    @Test func handWritten() throws {
        var tally = Tally()
        let files = ConformanceTests.testFiles(in: ConformanceTests.cedarDir.appendingPathComponent("tests"))
        #expect(files.count == 22)
        for file in files {
            try ConformanceTests.run(testFile: file, base: ConformanceTests.cedarDir, into: &tally)
        }
        ConformanceTests.report("hand-written", tally)
        #expect(tally.allPassed, "\(tally.summary)")
    }
}

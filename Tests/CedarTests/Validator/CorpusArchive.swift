import Foundation

/// The Cedar conformance corpus (`<repo>/../shared/conformance/cedar/corpus-tests.tar.gz`),
/// unpacked once per test process into a temporary folder, never into the repository.
enum CorpusArchive {
    /// One generated test: its policies, schema and whether strict validation must pass.
    struct TestCase: Sendable {
        let name: String
        let policies: String
        let schema: String
        let shouldValidate: Bool
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// `<repo>/../shared/conformance/cedar`, found from this file so it works from any
    /// checkout; symlinks are resolved because dev packages link the test folder in.
    static var conformanceDirectory: URL {
        URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent()   // Validator
            .deletingLastPathComponent()   // CedarTests
            .deletingLastPathComponent()   // Tests
            .deletingLastPathComponent()   // <repo>
            .deletingLastPathComponent()
            .appendingPathComponent("shared/conformance/cedar")
    }

    static let testCases: Result<[TestCase], Failure> = Result { () throws(Failure) in try load() }

    private static func load() throws(Failure) -> [TestCase] {
        let archive = conformanceDirectory.appendingPathComponent("corpus-tests.tar.gz")
        let target = FileManager.default.temporaryDirectory
            .appendingPathComponent("cedar-corpus-\(ProcessInfo.processInfo.processIdentifier)")
        defer { try? FileManager.default.removeItem(at: target) }
        do {
            try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
            let tar = Process()
            tar.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            tar.arguments = ["tar", "xzf", archive.path, "-C", target.path]
            try tar.run()
            tar.waitUntilExit()
            guard tar.terminationStatus == 0 else {
                throw Failure(description: "tar exited with \(tar.terminationStatus) unpacking \(archive.path)")
            }
            let folder = target.appendingPathComponent("corpus-tests")
            let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
                .filter { $0.hasSuffix(".json") && !$0.hasSuffix(".entities.json") }
                .sorted()
            return try names.map { name in
                let data = try Data(contentsOf: folder.appendingPathComponent(name))
                guard let manifest = try JSONSerialization.jsonObject(with: data) as? [String: Any],
                      let policies = manifest["policies"] as? String,
                      let schema = manifest["schema"] as? String,
                      let shouldValidate = manifest["shouldValidate"] as? Bool else {
                    throw Failure(description: "\(name): manifest lacks policies/schema/shouldValidate")
                }
                return TestCase(
                    name: name,
                    policies: try String(contentsOf: target.appendingPathComponent(policies), encoding: .utf8),
                    schema: try String(contentsOf: target.appendingPathComponent(schema), encoding: .utf8),
                    shouldValidate: shouldValidate)
            }
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(description: "reading corpus from \(archive.path): \(error)")
        }
    }
}

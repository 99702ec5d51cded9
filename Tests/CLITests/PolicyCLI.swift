import Foundation
import GatewayTesting

/// Runs the built `rta-gateway policy …` as a child process, the way an operator or a
/// script does, with fixture files written to a fresh temporary directory.
struct PolicyCLI {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    /// The conformance corpus' example data (`tests/…`, `sample-data/…`).
    static var corpus: String { RepositoryPaths.shared + "/conformance/cedar" }

    /// Writes `text` to `name` in the temporary directory and returns its path.
    func file(_ name: String, _ text: String) throws -> String {
        let path = directory.path + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func run(_ arguments: [String], input: String? = nil) async throws -> ProcessResult {
        try await runProcess(GatewayProcess.executablePath(), ["policy"] + arguments, input: input, timeout: .seconds(60))
    }

    /// A JSON object line of the batch output, parsed.
    static func object(_ line: Substring) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
    }
}

import Foundation

/// Why the reference engine could not answer; the test fails with this message.
struct CedarOracleError: Error, CustomStringConvertible {
    enum Code: String { case noPython, launchFailed, exitStatus, badOutput }
    var code: Code
    var message: String
    var description: String { "cedar oracle (\(code.rawValue)): \(message)" }
}

/// The Rust engine's answer to one request, as `Tests/peers/cedar_oracle.py` prints it.
struct OracleAnswer: Equatable {
    var decision: String
    var reasons: Set<String>
    var errors: Set<String>
    var errorMessages: [String]
}

/// Runs `Tests/peers/cedar_oracle.py` (cedarpy, the official Rust implementation) over a
/// batch of cases in one process, so hundreds of cases cost one interpreter start.
///
/// The interpreter is `$RTA_PYTHON`, else `<repo>/.venv/bin/python` (the lookup the
/// other Python peers use); a missing interpreter or cedarpy is an error, never a skip,
/// because a differential test that silently does nothing proves nothing.
enum CedarOracle {
    /// The repository root: `$RTA_REPO`, else four levels above this file.
    static let repositoryRoot: String = {
        if let root = ProcessInfo.processInfo.environment["RTA_REPO"] { return root }
        return URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }()

    static func interpreter() throws(CedarOracleError) -> String {
        let candidates = [ProcessInfo.processInfo.environment["RTA_PYTHON"], repositoryRoot + "/.venv/bin/python"]
        for case let path? in candidates where FileManager.default.isExecutableFile(atPath: path) {
            return path
        }
        throw CedarOracleError(
            code: .noPython,
            message: "no Python interpreter at $RTA_PYTHON or \(repositoryRoot)/.venv/bin/python: run scripts/setup.sh")
    }

    /// Answers for every request of every case, indexed `[case][request]`; `nil` for a
    /// case whose policies or entities cedarpy refused, with its message in `loadErrors`.
    static func answer(_ cases: [DifferentialCase], in directory: URL) throws(CedarOracleError)
        -> (answers: [[OracleAnswer?]], loadErrors: [Int: String])
    {
        let input = directory.appendingPathComponent("cases.json")
        let document = GeneratedJSON.array(cases.map { c in
            .object([
                ("policies", .string(c.policies)), ("entities", .string(c.entities)),
                ("requests", .array(c.requests.map { .string($0) })),
            ])
        })
        let output = directory.appendingPathComponent("oracle.out"), errors = directory.appendingPathComponent("oracle.err")
        let process = Process()
        do {
            try Data(document.text.utf8).write(to: input)
            try Data().write(to: output)
            try Data().write(to: errors)
            process.executableURL = URL(fileURLWithPath: try interpreter())
            process.arguments = [repositoryRoot + "/Tests/peers/cedar_oracle.py", input.path]
            process.standardOutput = try FileHandle(forWritingTo: output)
            process.standardError = try FileHandle(forWritingTo: errors)
            try process.run()
        } catch let error as CedarOracleError {
            throw error
        } catch {
            throw CedarOracleError(code: .launchFailed, message: "\(error)")
        }
        process.waitUntilExit()
        let stderr = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
        guard process.terminationStatus == 0 else {
            throw CedarOracleError(code: .exitStatus, message: "exit status \(process.terminationStatus): \(stderr)")
        }
        let stdout = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        var answers = cases.map { [OracleAnswer?](repeating: nil, count: $0.requests.count) }
        var loadErrors: [Int: String] = [:]
        for line in stdout.split(separator: "\n") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let c = object["case"] as? Int, answers.indices.contains(c)
            else {
                throw CedarOracleError(code: .badOutput, message: "unexpected line: \(line)")
            }
            if let message = object["load_error"] as? String {
                loadErrors[c] = message
                continue
            }
            guard let r = object["request"] as? Int, answers[c].indices.contains(r), let decision = object["decision"] as? String,
                let reasons = object["reasons"] as? [String], let errorIDs = object["errors"] as? [String]
            else {
                throw CedarOracleError(code: .badOutput, message: "unexpected line: \(line)")
            }
            answers[c][r] = OracleAnswer(
                decision: decision, reasons: Set(reasons), errors: Set(errorIDs),
                errorMessages: object["error_messages"] as? [String] ?? [])
        }
        return (answers, loadErrors)
    }
}

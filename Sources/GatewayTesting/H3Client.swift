import Foundation

/// Drives `Tests/peers/h3client.py` (aioquic), an HTTP/3 stack independent of ours, and
/// parses its JSON-lines report. The plan format is documented in that script.
public enum H3Client {
    /// One request's outcome as the client saw it.
    public struct Response: Sendable {
        public var index: Int
        public var status: Int?
        public var headers: [(name: String, value: String)]
        public var bodySHA256: String?
        public var bodyBytes: Int
        public var bodyText: String?
        public var resetCode: Int?
        /// nil when the outcome was what the plan expected.
        public var error: String?

        public func header(_ name: String) -> String? {
            headers.first { $0.name == name.lowercased() }?.value
        }

        public func headerValues(_ name: String) -> [String] {
            headers.filter { $0.name == name.lowercased() }.map(\.value)
        }
    }

    public struct Run: Sendable {
        public var exitStatus: Int32
        public var responses: [Response]
        public var standardError: String
    }

    public struct PeerUnavailable: Error, CustomStringConvertible {
        public var description: String
    }

    /// `RTA_PYTHON`, else the repository's `.venv/bin/python` (made by scripts/setup.sh).
    public static func interpreter() throws -> String {
        let candidates = [ProcessInfo.processInfo.environment["RTA_PYTHON"], RepositoryPaths.root + "/.venv/bin/python"]
        for case let path? in candidates where FileManager.default.isExecutableFile(atPath: path) {
            return path
        }
        throw PeerUnavailable(description: "no Python with aioquic: run scripts/setup.sh (creates .venv) or set RTA_PYTHON")
    }

    /// Runs a plan (a JSON array of request objects) against the gateway on `port`.
    public static func run(
        port: Int, plan: [[String: Any]], connections: Int? = nil, extraArguments: [String] = []
    ) async throws -> Run {
        let python = try interpreter()
        let data = try JSONSerialization.data(withJSONObject: plan)
        var arguments = [RepositoryPaths.peers + "/h3client.py", "--host", "127.0.0.1", "--port", "\(port)", "--plan", "-"]
        if let connections { arguments += ["--connections", "\(connections)"] }
        arguments += extraArguments
        let result = try await runProcess(
            python, arguments, input: String(decoding: data, as: UTF8.self), timeout: .seconds(300))
        var responses: [Response] = []
        for line in result.standardOutput.split(separator: "\n") {
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                object["summary"] == nil
            else { continue }
            let headers = (object["headers"] as? [[String]] ?? []).compactMap { pair in
                pair.count == 2 ? (name: pair[0], value: pair[1]) : nil
            }
            responses.append(Response(
                index: object["index"] as? Int ?? responses.count, status: object["status"] as? Int,
                headers: headers, bodySHA256: object["body_sha256"] as? String,
                bodyBytes: object["body_bytes"] as? Int ?? 0, bodyText: object["body_text"] as? String,
                resetCode: object["reset_code"] as? Int, error: object["error"] as? String))
        }
        return Run(exitStatus: result.status, responses: responses, standardError: result.standardError)
    }
}

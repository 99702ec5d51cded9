import Foundation
import GatewayTesting

/// Runs requests one after another on ONE aioquic connection, substituting the RTA
/// token from an earlier exchange answer into later requests. `H3Client` plans are
/// static, but a token is bound to the connection it was issued on, so the exchange and
/// the calls that use it must share the connection. `Tests/peers/rta_flow.py` does the
/// sequencing with `h3client.py`'s protocol class; this type only drives it.
enum RTAFlowClient {
    struct Step {
        var method: String
        var path: String
        var headers: [(String, String)] = []
        var body: String?
    }

    struct Answer {
        var status: Int?
        var headers: [(name: String, value: String)]
        var body: String

        func header(_ name: String) -> String? {
            headers.first { $0.name == name }?.value
        }
    }

    /// In header values and bodies, `{rta}` is the token from the last 200 answer with
    /// an `access_token`, and `{rta_flipped}` the same token with one signature bit flipped.
    static func run(port: Int, steps: [Step]) async throws -> [Answer] {
        let script = RepositoryPaths.peers + "/rta_flow.py"
        let plan = steps.map { step -> [String: Any] in
            var object: [String: Any] = [
                "method": step.method, "path": step.path, "headers": step.headers.map { [$0.0, $0.1] },
            ]
            if let body = step.body { object["body"] = body }
            return object
        }
        let input = String(decoding: try JSONSerialization.data(withJSONObject: plan), as: UTF8.self)
        let result = try await runProcess(
            try H3Client.interpreter(), [script, RepositoryPaths.peers, "\(port)"], input: input, timeout: .seconds(60))
        guard result.status == 0 else {
            throw FlowFailure(description: "rta_flow.py failed (\(result.status)): \(result.standardError)")
        }
        return try result.standardOutput.split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
            let headers = (object["headers"] as? [[String]] ?? []).compactMap { $0.count == 2 ? (name: $0[0], value: $0[1]) : nil }
            return Answer(status: object["status"] as? Int, headers: headers, body: object["body"] as? String ?? "")
        }
    }

    struct FlowFailure: Error, CustomStringConvertible {
        var description: String
    }
}

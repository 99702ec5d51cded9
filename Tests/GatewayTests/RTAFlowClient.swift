import Foundation
import GatewayTesting

/// Runs requests one after another on aioquic connections (one unless a step names
/// another), substituting the RTA token from an earlier exchange answer into later
/// requests. `H3Client` plans are static, but a token is bound to the connection it was
/// issued on, so the exchange and the calls that use it must share the connection, and
/// a re-bind proof depends on the connection's TLS exporter, which only the client
/// knows. `Tests/peers/rta_flow.py` does the sequencing with `h3client.py`'s protocol
/// class and computes proofs (`tls_exporter.py`); this type only drives it.
enum RTAFlowClient {
    struct Step {
        var method: String
        var path: String
        var headers: [(String, String)] = []
        var body: String?
        /// Index of the client's QUIC connection (opened on first use, kept to the end).
        var connection = 0
        /// Waited before sending, e.g. to let a short-lived token expire.
        var sleepMilliseconds = 0
    }

    struct Answer {
        var status: Int?
        var headers: [(name: String, value: String)]
        var body: String
        var connection = 0

        func header(_ name: String) -> String? {
            headers.first { $0.name == name }?.value
        }
    }

    /// In header values and bodies, `{rta}` is the token from the last 200 answer with
    /// an `access_token`, `{rta_flipped}` the same token with one signature bit flipped;
    /// `{rta@N}`, `{rta_bad_magic}`, `{pop_key}`, `{proof}`, `{proof@K}` and
    /// `{proof_wrong_label}` are described in `rta_flow.py`.
    static func run(port: Int, steps: [Step]) async throws -> [Answer] {
        let script = RepositoryPaths.peers + "/rta_flow.py"
        let plan = steps.map { step -> [String: Any] in
            var object: [String: Any] = [
                "method": step.method, "path": step.path, "headers": step.headers.map { [$0.0, $0.1] },
                "connection": step.connection, "sleep_ms": step.sleepMilliseconds,
            ]
            if let body = step.body { object["body"] = body }
            return object
        }
        let input = String(decoding: try JSONSerialization.data(withJSONObject: plan), as: UTF8.self)
        let result = try await runProcess(
            try H3Client.interpreter(), [script, RepositoryPaths.peers, "\(port)"], input: input, timeout: .seconds(120))
        guard result.status == 0 else {
            throw FlowFailure(description: "rta_flow.py failed (\(result.status)): \(result.standardError)")
        }
        return try result.standardOutput.split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
            let headers = (object["headers"] as? [[String]] ?? []).compactMap { $0.count == 2 ? (name: $0[0], value: $0[1]) : nil }
            return Answer(status: object["status"] as? Int, headers: headers, body: object["body"] as? String ?? "",
                          connection: object["connection"] as? Int ?? 0)
        }
    }

    struct FlowFailure: Error, CustomStringConvertible {
        var description: String
    }
}

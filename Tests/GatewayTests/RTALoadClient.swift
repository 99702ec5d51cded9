import Foundation
import GatewayTesting

/// Drives `Tests/peers/rta_load.py`: one aioquic connection, an optional token exchange
/// on it, then phases of GETs with several streams in flight. The peer does the load
/// (a token only works on its own connection, and gtlsclient cannot send
/// `Authorization`); this type builds its configuration and parses its report. A run
/// where some requests got no answer is a report (exit status 1), not a thrown error,
/// so a test can still compare what the client saw with what the gateway audited.
enum RTALoadClient {
    struct Phase {
        var name: String
        var path: String
        var authenticated: Bool
    }

    /// One phase of one round, as `rta_load.py` reports it.
    struct PhaseResult {
        var phase: String
        var requests: Int
        var statuses: [String: Int]
        var failures: Int
        /// Why requests failed (`timeout after 30s (stream N)`, `stream reset 0x…`), with counts.
        var errors: [String: Int]
        var p50Microseconds: Double
    }

    /// The peer's exit status (1: some request got no answer) and its per-phase results.
    struct Report {
        var exitStatus: Int32
        var results: [PhaseResult]
        var standardError: String
    }

    struct LoadFailure: Error, CustomStringConvertible {
        var description: String
    }

    static func run(
        port: Int, exchangeForm: String?, phases: [Phase], requests: Int, concurrency: Int, rounds: Int = 1,
        timeout: Duration = .seconds(600)
    ) async throws -> Report {
        var config: [String: Any] = [
            "phases": phases.map { ["name": $0.name, "path": $0.path, "auth": $0.authenticated] as [String: Any] },
            "requests": requests, "concurrency": concurrency, "rounds": rounds,
        ]
        if let exchangeForm {
            config["exchange"] = ["path": "/.well-known/rta/token", "body": exchangeForm]
        }
        let input = String(decoding: try JSONSerialization.data(withJSONObject: config), as: UTF8.self)
        let result = try await runProcess(
            try H3Client.interpreter(), [RepositoryPaths.peers + "/rta_load.py", RepositoryPaths.peers, "\(port)"],
            input: input, timeout: timeout)
        guard result.status == 0 || result.status == 1 else {
            throw LoadFailure(description: "rta_load.py exited \(result.status): \(result.standardError)\n\(result.standardOutput)")
        }
        let results = try result.standardOutput.split(separator: "\n").compactMap { line -> PhaseResult? in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
            guard let phase = object["phase"] as? String else { return nil }
            return PhaseResult(
                phase: phase, requests: object["requests"] as? Int ?? 0, statuses: object["statuses"] as? [String: Int] ?? [:],
                failures: object["failures"] as? Int ?? -1, errors: object["errors"] as? [String: Int] ?? [:],
                p50Microseconds: object["p50_us"] as? Double ?? 0)
        }
        return Report(exitStatus: result.status, results: results, standardError: result.standardError)
    }
}

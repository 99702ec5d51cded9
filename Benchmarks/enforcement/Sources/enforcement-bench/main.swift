// enforcement-bench: the gateway's per-request enforcement steps, in process.
//
//   enforcement-bench run [--calls N] [--repo DIR] [--json FILE]
//       times every step (EnforcementStep) N times (default 20000; the cold steps
//       N/10) after a warm-up, prints median/p99 µs, tokens verified/s/core, the
//       signature-cache hit rate of the `request` run and the audit writer's
//       throughput; --json writes one JSON object per step.
//   enforcement-bench calls STEP N [--repo DIR]
//       N untimed calls of STEP, for `valgrind --tool=callgrind` (run.sh subtracts
//       a 0-call run, so set-up cancels out).
import Foundation

struct Arguments {
    var command = "run"
    var step: EnforcementStep?
    var calls = 20_000
    var repository = ProcessInfo.processInfo.environment["RTA_REPO"] ?? FileManager.default.currentDirectoryPath
    var jsonPath: String?

    init(_ raw: [String]) throws {
        var rest = raw[...]
        if let first = rest.first, ["run", "calls"].contains(first) { command = first; rest = rest.dropFirst() }
        if command == "calls" {
            guard let name = rest.popFirst(), let step = EnforcementStep(rawValue: name),
                  let count = rest.popFirst().flatMap({ Int($0) })
            else { throw EnforcementStep.Failure(description: "usage: calls STEP N (steps: \(EnforcementStep.allCases.map(\.rawValue)))") }
            self.step = step
            calls = count
        }
        while let option = rest.popFirst() {
            guard let value = rest.popFirst() else { throw EnforcementStep.Failure(description: "\(option) needs a value") }
            switch option {
            case "--calls": calls = Int(value) ?? calls
            case "--repo": repository = value
            case "--json": jsonPath = value
            default: throw EnforcementStep.Failure(description: "unknown option \(option)")
            }
        }
    }
}

/// The whole program. Not run as an async `main`: that parks the main thread in
/// libdispatch's `dispatch_main`, whose `rt_sigsuspend` on a read-only mask kills
/// valgrind 3.19 (it rewrites the mask in place); a semaphore wait does not.
func runBenchmark() async throws {
    let arguments = try Arguments(Array(CommandLine.arguments.dropFirst()))
    let fixture = try await EnforcementFixture(repository: arguments.repository)
    if let step = arguments.step {
        for _ in 0..<arguments.calls { try await step.perform(fixture) }
        try await fixture.finish()
    } else {
        try await BenchmarkReport.run(fixture, calls: arguments.calls, jsonPath: arguments.jsonPath)
    }
}

let finished = DispatchSemaphore(value: 0)
var failure: Error?
Task.detached {
    do { try await runBenchmark() } catch { failure = error }
    finished.signal()
}
finished.wait()
if let failure {
    FileHandle.standardError.write(Data("enforcement-bench: \(failure)\n".utf8))
    exit(1)
}

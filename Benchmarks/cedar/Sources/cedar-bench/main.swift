import Cedar
import Foundation

/// cedar-bench: timing, allocation and instruction-count harness for the Cedar engine.
///
///   cedar-bench run [--corpus DIR] [--json FILE] [--seconds S]
///       time workloads (a) (b) (c), allocations per call and policy parse time
///   cedar-bench export DIR [--corpus DIR]
///       write the workloads as files for cedarpy_bench.py
///   cedar-bench calls N [--corpus DIR]
///       authorize N requests of workload (a) and exit (for valgrind --tool=callgrind)
///
/// DIR defaults to `<repo>/../shared/conformance/cedar`, found from this file's location.

struct UsageError: Error, CustomStringConvertible {
    var description: String
}

let arguments = Array(CommandLine.arguments.dropFirst())

func option(_ name: String) -> String? {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return nil }
    return arguments[i + 1]
}

let corpus = URL(fileURLWithPath: option("--corpus") ?? URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/conformance/cedar").path)

func workloads() throws -> [Workload] {
    [try ExampleUseCases.workload(corpus: corpus), LargePolicySet.workload(), DeepHierarchy.workload()]
}

func microseconds(_ ns: Double) -> String { String(format: "%.2f", ns / 1000) }

func runBenchmarks() throws {
    let seconds = option("--seconds").flatMap(Double.init) ?? 3
    var lines: [String] = []
    print("workload                               calls   median µs   p99 µs   mean µs   allocs/call")
    for workload in try workloads() {
        let m = try WorkloadRunner(workload).measure(seconds: seconds, maxSamples: 2_000_000)
        let allocs = m.allocationsPerCall.map { String(format: "%.2f", $0) } ?? "n/a"
        print(workload.label.padding(toLength: 36, withPad: " ", startingAt: 0),
              String(m.calls).leftPadded(9), microseconds(m.medianNanoseconds).leftPadded(11),
              microseconds(m.p99Nanoseconds).leftPadded(8), microseconds(m.meanNanoseconds).leftPadded(9), allocs.leftPadded(13))
        lines.append(m.json)
    }
    let text = LargePolicySet.policies(count: 1_000)
    var parse: [UInt64] = []
    for _ in 0..<21 {
        let t0 = monotonicNanoseconds()
        _ = try PolicySet.parse(text: text)
        parse.append(monotonicNanoseconds() - t0)
    }
    parse.sort()
    let entitiesText = LargePolicySet.entities()
    var load: [UInt64] = []
    for _ in 0..<5 {
        let t0 = monotonicNanoseconds()
        _ = try Entities.fromJSON(entitiesText)
        load.append(monotonicNanoseconds() - t0)
    }
    load.sort()
    print("parse 1,000 policies: median \(String(format: "%.2f", percentile(parse, 0.5) / 1e6)) ms;",
          "load 10,000 entities: median \(String(format: "%.2f", percentile(load, 0.5) / 1e6)) ms")
    lines.append("{\"workload\":\"parse_1000_policies\",\"median_ns\":\(Int(percentile(parse, 0.5)))}")
    lines.append("{\"workload\":\"load_10000_entities\",\"median_ns\":\(Int(percentile(load, 0.5)))}")
    if let path = option("--json") {
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}

do {
    switch arguments.first {
    case "run":
        try runBenchmarks()
    case "export":
        guard arguments.count >= 2 else { throw UsageError(description: "usage: cedar-bench export DIR") }
        for workload in try workloads() { try workload.export(to: URL(fileURLWithPath: arguments[1])) }
    case "calls":
        guard arguments.count >= 2, let n = Int(arguments[1]) else { throw UsageError(description: "usage: cedar-bench calls N") }
        let runner = try WorkloadRunner(try ExampleUseCases.workload(corpus: corpus))
        print("allowed \(runner.run(count: n)) of \(n)")
    default:
        throw UsageError(description: "usage: cedar-bench run|export DIR|calls N [--corpus DIR] [--json FILE] [--seconds S]")
    }
} catch {
    FileHandle.standardError.write(Data("cedar-bench: \(error)\n".utf8))
    exit(1)
}

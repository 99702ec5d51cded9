import Foundation
import RTATokens

/// Runs every step, prints the table, and writes the JSON lines run.sh reads.
enum BenchmarkReport {
    static func run(_ fixture: EnforcementFixture, calls: Int, jsonPath: String?) async throws {
        var lines: [String] = []
        var hits = 0
        var lookups = 0
        print("step             calls   median µs   p99 µs   mean µs")
        for step in EnforcementStep.allCases {
            let cold = step == .validateCold || step == .ed25519Verify
            let count = cold ? max(1, calls / 10) : calls
            if step == .request { fixture.cache = VerifiedSignatureCache() }  // a new connection
            let summary = try await StepTimer.measure(calls: count, warmup: max(1, count / 20)) {
                if step == .request {
                    // The lookup `TokenChecks.signature` makes, counted before the call.
                    lookups += 1
                    if fixture.cache.contains(fixture.token) { hits += 1 }
                }
                try await step.perform(fixture)
            }
            print(step.rawValue.padding(toLength: 15, withPad: " ", startingAt: 0)
                  + String(format: " %6d %11.2f %8.2f %9.2f", summary.calls,
                         Double(summary.medianNanoseconds) / 1_000, Double(summary.p99Nanoseconds) / 1_000,
                         summary.meanNanoseconds / 1_000))
            lines.append(#"{"step":"\#(step.rawValue)","calls":\#(summary.calls),"median_ns":\#(summary.medianNanoseconds),"p99_ns":\#(summary.p99Nanoseconds),"mean_ns":\#(Int(summary.meanNanoseconds))}"#)
            if step == .validateCold {
                print(String(format: "  -> %.0f tokens verified/s/core (1 / median of a cold validation)",
                             1e9 / Double(summary.medianNanoseconds)))
            }
        }
        print(String(format: "signature-cache hit rate over the request run (warm-up included, one token): %.5f (%d of %d lookups)",
                     Double(hits) / Double(max(1, lookups)), hits, lookups))
        lines.append(#"{"cache_hits":\#(hits),"cache_lookups":\#(lookups)}"#)
        let throughput = try await writerThroughput(fixture, records: calls)
        print(String(format: "audit writer: %d records appended and flushed in %.1f ms: %.0f records/s (%.2f µs/record, writer thread included)",
                     calls, throughput / 1e6, Double(calls) / (throughput / 1e9), throughput / Double(calls) / 1_000))
        lines.append(#"{"writer_records":\#(calls),"writer_ns":\#(Int(throughput))}"#)
        try await fixture.finish()
        if let jsonPath {
            try (lines.joined(separator: "\n") + "\n").write(toFile: jsonPath, atomically: true, encoding: .utf8)
        }
    }

    /// Wall time for `records` appends plus the flush that waits until all are written.
    static func writerThroughput(_ fixture: EnforcementFixture, records: Int) async throws -> Double {
        try await fixture.writer.flush()
        let entry = EnforcementStep.entry(fixture.session, decision: nil, decisionID: "throughput")
        let start = StepTimer.now()
        for _ in 0..<records { try await fixture.writer.append(entry) }
        try await fixture.writer.flush()
        return Double(StepTimer.now() - start)
    }
}

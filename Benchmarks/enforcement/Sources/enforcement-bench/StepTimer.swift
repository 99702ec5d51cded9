#if canImport(Glibc)
import Glibc
#endif

/// Times each call of a step with CLOCK_MONOTONIC (about 20 ns per read, small
/// next to the microseconds measured) and summarises the samples. Per-call samples,
/// not a total divided by N, so the median and p99 say what one request pays.
struct StepTimer {
    struct Summary {
        var calls: Int
        var medianNanoseconds: UInt64
        var p99Nanoseconds: UInt64
        var meanNanoseconds: Double
    }

    static func now() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }

    /// Runs `warmup` untimed calls, then `calls` timed ones.
    static func measure(calls: Int, warmup: Int, _ body: () async throws -> Void) async throws -> Summary {
        for _ in 0..<warmup { try await body() }
        var samples = [UInt64](repeating: 0, count: calls)
        for index in 0..<calls {
            let start = now()
            try await body()
            samples[index] = now() - start
        }
        samples.sort()
        let total = samples.reduce(0.0) { $0 + Double($1) }
        return Summary(
            calls: calls, medianNanoseconds: samples[calls / 2],
            p99Nanoseconds: samples[min(calls - 1, Int(Double(calls) * 0.99))], meanNanoseconds: total / Double(calls))
    }
}

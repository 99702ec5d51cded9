import Cedar
import Foundation

/// Timing and allocation figures for one workload.
struct Measurement {
    var workload: String
    var label: String
    var calls: Int
    var medianNanoseconds: Double
    var p99Nanoseconds: Double
    /// Mean from a loop without a clock read per call (no timer overhead).
    var meanNanoseconds: Double
    /// `nil` when the malloc interposer is not active (see `AllocationCounter`).
    var allocationsPerCall: Double?
    var allows: Int

    var json: String {
        let allocs = allocationsPerCall.map { String(format: "%.2f", $0) } ?? "null"
        return """
            {"workload":"\(workload)","label":"\(label)","calls":\(calls),"median_ns":\(Int(medianNanoseconds)),\
            "p99_ns":\(Int(p99Nanoseconds)),"mean_ns":\(Int(meanNanoseconds)),"allocs_per_call":\(allocs)}
            """
    }
}

/// Monotonic nanoseconds (vDSO `clock_gettime`, about 20 ns per read).
@inline(__always) func monotonicNanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
}

/// The sorted-sample percentile `p` in 0...1.
func percentile(_ sorted: [UInt64], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    return Double(sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * p))])
}

import Cedar

/// Runs every request of a workload round-robin: warm-up, per-call timed samples, an
/// untimed loop for the mean, then one counted pass for allocations.
struct WorkloadRunner {
    let workload: Workload
    let loaded: [LoadedScenario]
    let calls: [(scenario: Int, request: Int)]

    init(_ workload: Workload) throws {
        self.workload = workload
        loaded = try workload.scenarios.map { try LoadedScenario($0) }
        calls = loaded.enumerated().flatMap { s in s.element.requests.indices.map { (s.offset, $0) } }
    }

    @inline(__always) func authorize(_ call: (scenario: Int, request: Int)) -> Decision {
        let s = loaded[call.scenario]
        return Authorizer.isAuthorized(s.requests[call.request], policies: s.policies, entities: s.entities).decision
    }

    /// Authorizes `count` calls round-robin and returns how many were allowed.
    func run(count: Int) -> Int {
        var allows = 0
        for i in 0..<count where authorize(calls[i % calls.count]) == .allow { allows += 1 }
        return allows
    }

    func measure(seconds: Double, maxSamples: Int) -> Measurement {
        let budget = UInt64(seconds * 1e9)
        var start = monotonicNanoseconds()
        var i = 0
        while monotonicNanoseconds() - start < budget / 4 {
            _ = authorize(calls[i % calls.count])
            i += 1
        }
        var samples: [UInt64] = []
        samples.reserveCapacity(maxSamples)
        var allows = 0
        start = monotonicNanoseconds()
        while samples.count < maxSamples, monotonicNanoseconds() - start < budget {
            let call = calls[samples.count % calls.count]
            let t0 = monotonicNanoseconds()
            let decision = authorize(call)
            samples.append(monotonicNanoseconds() - t0)
            if decision == .allow { allows += 1 }
        }
        samples.sort()
        let loopCount = max(calls.count, samples.count / 2)
        let t0 = monotonicNanoseconds()
        allows += run(count: loopCount)
        let mean = Double(monotonicNanoseconds() - t0) / Double(loopCount)
        return Measurement(
            workload: workload.name, label: workload.label, calls: samples.count,
            medianNanoseconds: percentile(samples, 0.5), p99Nanoseconds: percentile(samples, 0.99), meanNanoseconds: mean,
            allocationsPerCall: AllocationCounter.perCall(calls.count) { _ = run(count: calls.count) }, allows: allows)
    }
}

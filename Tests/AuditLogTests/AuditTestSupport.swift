import AuditLog
import Foundation
import Synchronization

/// A fresh directory under the system temp dir, removed by `remove()`.
struct ScratchDirectory {
    let path: String

    init() throws {
        path = (NSTemporaryDirectory() as NSString).appendingPathComponent("audit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

func sampleEntry(_ index: Int) -> AuditEntry {
    AuditEntry(
        ts: 1_795_000_000_000 + UInt64(index), kind: .request, decision: index % 3 == 0 ? .block : .allow,
        reason: index % 3 == 0 ? "stale_context" : nil, policies: ["policy\(index % 5)"],
        errors: index % 3 == 0 ? ["stale_context"] : [], session: "00112233445566778899aabbccddeeff",
        subject: "https://idp.example|alice", agent: "agent-1", chain: ["alice", "agent-1"], route: "orders",
        method: "GET", path: "/orders/\(index)", status: index % 3 == 0 ? 401 : 200, latencyUs: UInt64(100 + index))
}

func lines(of path: String) throws -> [String] {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
}

func writeLines(_ lines: [String], to path: String) throws {
    try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
}

/// A file sink that takes `delay` per write: a disk slower than the request rate.
final class SlowFileSink: AuditSink {
    let inner: RotatingFileSink
    let delay: TimeInterval
    private let writesStarted = Mutex(0)
    private let writeSizes = Mutex<[Int]>([])
    private let syncCalls = Mutex(0)

    init(inner: RotatingFileSink, delay: TimeInterval) {
        self.inner = inner
        self.delay = delay
    }

    var started: Int { writesStarted.withLock { $0 } }
    /// How many lines each `write` call carried, in order.
    var batches: [Int] { writeSizes.withLock { $0 } }
    var syncs: Int { syncCalls.withLock { $0 } }

    func write(lines: [[UInt8]]) throws(AuditError) {
        writesStarted.withLock { $0 += 1 }
        writeSizes.withLock { $0.append(lines.count) }
        Thread.sleep(forTimeInterval: delay)
        try inner.write(lines: lines)
    }

    func sync() throws(AuditError) {
        syncCalls.withLock { $0 += 1 }
        try inner.sync()
    }
    func close() throws(AuditError) { try inner.close() }
}

/// Polls `condition` every 5 ms for up to `seconds`.
func eventually(within seconds: Double = 5, _ condition: () -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(5))
    }
    return condition()
}

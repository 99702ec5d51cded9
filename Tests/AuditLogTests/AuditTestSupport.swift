import AuditLog
import Foundation
import Logging
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

/// Writes the records `sampleEntry(range)` through a real writer that resumes the series
/// in `dir` (as a restarted gateway does) and returns the series' files.
func writeRecords(
    _ range: ClosedRange<Int>, in dir: ScratchDirectory, maxBytes: UInt64 = 64 << 20, retention: AuditRetention = .keepAll,
    logger: Logger = Logger(label: "rta.audit"), clock: @escaping @Sendable () -> Date = { Date() }
) async throws -> [String] {
    let sink = try RotatingFileSink(directory: dir.path, maxBytes: maxBytes, retention: retention, logger: logger, clock: clock)
    let writer = try AuditWriter.resuming(fileSink: sink, configuration: .init(capacity: 8, sync: .never))
    for index in range { try await writer.append(sampleEntry(index)) }
    try await writer.close()
    return RotatingFileSink.files(directory: dir.path)
}

func append(_ bytes: [UInt8], to path: String) throws {
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    defer { try? handle.close() }
    try handle.seekToEnd()
    try handle.write(contentsOf: bytes)
}

func bytes(of path: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
}

/// Keeps what is logged through `logger`, to check what an operator would be told.
final class LogRecorder: Sendable {
    struct Entry: Sendable {
        let level: Logger.Level
        let message: String
        let metadata: [String: String]
    }

    private struct Handler: LogHandler {
        let recorder: LogRecorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let entry = Entry(level: event.level, message: event.message.description,
                              metadata: (event.metadata ?? [:]).mapValues { "\($0)" })
            recorder.recorded.withLock { $0.append(entry) }
        }
    }

    private let recorded = Mutex<[Entry]>([])

    var entries: [Entry] { recorded.withLock { $0 } }

    var logger: Logger { Logger(label: "rta.audit") { _ in Handler(recorder: self) } }
}

/// The torn tails set aside in `dir` (`*.torn-*`), by name.
func tornTails(in dir: ScratchDirectory) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.contains(".torn-") }.sorted()
        .map { (dir.path as NSString).appendingPathComponent($0) }
}

import Foundation
import Logging
import Synchronization

/// Audit lines in numbered files `<base>.000001.jsonl`, `<base>.000002.jsonl`, …
/// A new file starts when the next batch would push the current one past
/// `maxBytes` (a line is never split; a single line larger than `maxBytes` gets a
/// file of its own). The chain simply continues: the first record of a new file
/// names the last record of the previous file as `prev`, so a verifier reads the
/// files in number order as one stream.
///
/// At start-up `recover()` repairs a torn tail and checks the file to be continued
/// (`AuditRecovery`); `retention` deletes the oldest finished files at start-up and
/// after every rotation (`AuditRetention`).
public final class RotatingFileSink: AuditSink {
    /// One numbered file of the series.
    struct SeriesFile {
        let index: Int
        let path: String
    }

    private struct State {
        var index: Int
        var fd: Int32
        var size: UInt64
    }

    public let directory: String
    public let baseName: String
    public let maxBytes: UInt64
    /// Whether a finished file is fsynced before the next one starts. Off for a log
    /// that is never synced (`fsync: never`): there the finished file holds up to
    /// `maxBytes` of unsynced records, syncing them took ~60 ms, and a SET's `202`
    /// that waits for its records to be written waited for that sync as well.
    public let syncOnRotation: Bool
    public let retention: AuditRetention
    private let logger: Logger
    /// The time retention compares file ages with and set-aside tails are named by.
    private let clock: @Sendable () -> Date
    private let state: Mutex<State>

    /// Opens (creating if needed) the newest file of the series for appending.
    public init(
        directory: String, baseName: String = "audit", maxBytes: UInt64 = 64 << 20, syncOnRotation: Bool = true,
        retention: AuditRetention = .keepAll, logger: Logger = Logger(label: "rta.audit"),
        clock: @escaping @Sendable () -> Date = { Date() }
    ) throws(AuditError) {
        self.directory = directory
        self.baseName = baseName
        self.maxBytes = max(1, maxBytes)
        self.syncOnRotation = syncOnRotation
        self.retention = retention
        self.logger = logger
        self.clock = clock
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw AuditError(.openFailed, "\(directory): cannot create directory: \(error.localizedDescription)")
        }
        let index = Self.indexedFiles(directory: directory, baseName: baseName).last?.index ?? 1
        let path = Self.path(directory: directory, baseName: baseName, index: index)
        let fd = try FileDescriptorIO.openForAppend(path)
        state = Mutex(State(index: index, fd: fd, size: FileDescriptorIO.size(fd)))
    }

    deinit {
        state.withLock { state in
            if state.fd >= 0 { FileDescriptorIO.closeDescriptor(state.fd) }
        }
    }

    /// The series' files in chain order (ascending number), for `AuditVerifier`.
    public static func files(directory: String, baseName: String = "audit") -> [String] {
        indexedFiles(directory: directory, baseName: baseName).map(\.path)
    }

    /// The file currently appended to.
    public var currentPath: String {
        state.withLock { Self.path(directory: directory, baseName: baseName, index: $0.index) }
    }

    public func write(lines: [[UInt8]]) throws(AuditError) {
        try state.withLock { (state: inout State) throws(AuditError) in
            var chunk: [UInt8] = []
            chunk.reserveCapacity(lines.reduce(0) { $0 + $1.count })
            for line in lines {
                let lineSize = UInt64(line.count)
                if state.size + UInt64(chunk.count) > 0, state.size + UInt64(chunk.count) + lineSize > maxBytes {
                    try flush(&chunk, state: &state)
                    try rotate(&state)
                }
                chunk += line
            }
            try flush(&chunk, state: &state)
        }
    }

    public func sync() throws(AuditError) {
        try state.withLock { (state: inout State) throws(AuditError) in
            try FileDescriptorIO.sync(state.fd, label: Self.path(directory: directory, baseName: baseName, index: state.index))
        }
    }

    public func close() throws(AuditError) {
        try state.withLock { (state: inout State) throws(AuditError) in
            guard state.fd >= 0 else { return }
            try FileDescriptorIO.sync(state.fd, label: Self.path(directory: directory, baseName: baseName, index: state.index))
            FileDescriptorIO.closeDescriptor(state.fd)
            state.fd = -1
        }
    }

    /// Prepares the series for the writer to continue after a restart and returns the
    /// head after its last complete record: a torn tail is set aside, the file to be
    /// continued is checked (`AuditRecovery`; a line that does not verify refuses the
    /// start with `chain_broken`), then retention runs.
    public func recover() throws(AuditError) -> AuditChainHead {
        try state.withLock { (state: inout State) throws(AuditError) in
            let anchor = try AuditAnchor.read(path: AuditAnchor.path(directory: directory, baseName: baseName)).get()
            let head = try AuditRecovery.recover(
                files: Self.indexedFiles(directory: directory, baseName: baseName), anchor: anchor, now: clock(), logger: logger)
            state.size = FileDescriptorIO.size(state.fd)
            prune(activeIndex: state.index)
            return head
        }
    }

    private func flush(_ chunk: inout [UInt8], state: inout State) throws(AuditError) {
        guard !chunk.isEmpty else { return }
        try FileDescriptorIO.writeAll(state.fd, chunk, label: Self.path(directory: directory, baseName: baseName, index: state.index))
        state.size += UInt64(chunk.count)
        chunk.removeAll(keepingCapacity: true)
    }

    /// The finished file is synced before the next one starts (unless `syncOnRotation`
    /// is off), so rotation never leaves an unsynced tail behind.
    private func rotate(_ state: inout State) throws(AuditError) {
        if syncOnRotation {
            try FileDescriptorIO.sync(state.fd, label: Self.path(directory: directory, baseName: baseName, index: state.index))
        }
        FileDescriptorIO.closeDescriptor(state.fd)
        state.fd = -1
        state.index += 1
        state.fd = try FileDescriptorIO.openForAppend(Self.path(directory: directory, baseName: baseName, index: state.index))
        state.size = 0
        prune(activeIndex: state.index)
    }

    /// Applies retention. A failure is logged, not thrown: the files stay (no record is
    /// lost), the writer keeps recording, and the next rotation or start tries again.
    private func prune(activeIndex: Int) {
        guard retention != .keepAll else { return }
        let files = Self.indexedFiles(directory: directory, baseName: baseName).filter { $0.index <= activeIndex }
        do {
            let deleted = try retention.prune(files, directory: directory, baseName: baseName, now: clock())
            guard !deleted.isEmpty else { return }
            logger.info("audit files deleted by retention", metadata: [
                "files": "\(deleted.map { ($0 as NSString).lastPathComponent })",
                "anchor": "\(AuditAnchor.path(directory: directory, baseName: baseName))",
            ])
        } catch {
            logger.error("audit retention could not delete expired files; keeping them", metadata: ["error": "\(error)"])
        }
    }

    private static func path(directory: String, baseName: String, index: Int) -> String {
        let number = String(index)
        let padded = String(repeating: "0", count: max(0, 6 - number.count)) + number
        return (directory as NSString).appendingPathComponent("\(baseName).\(padded).jsonl")
    }

    static func indexedFiles(directory: String, baseName: String) -> [SeriesFile] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.compactMap { name -> SeriesFile? in
            guard let series = seriesName(name), series.baseName == baseName else { return nil }
            return SeriesFile(index: series.index, path: (directory as NSString).appendingPathComponent(name))
        }
        .sorted { $0.index < $1.index }
    }

    /// `("gateway", 4)` for `gateway.000004.jsonl`; nil for a name outside any series.
    static func seriesName(_ name: String) -> (baseName: String, index: Int)? {
        guard name.hasSuffix(".jsonl"), !name.contains("/") else { return nil }
        let stem = name.dropLast(".jsonl".count)
        guard let dot = stem.lastIndex(of: "."), dot > stem.startIndex else { return nil }
        let number = stem[stem.index(after: dot)...]
        guard number.allSatisfy({ $0.isASCII && $0.isNumber }), let index = Int(number) else { return nil }
        return (String(stem[..<dot]), index)
    }

    /// The torn tails `AuditRecovery` set aside for `path` (`<path>.torn-…`).
    static func tornTails(of path: String) -> [String] {
        let directory = (path as NSString).deletingLastPathComponent
        let prefix = (path as NSString).lastPathComponent + ".torn-"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasPrefix(prefix) }.sorted().map { (directory as NSString).appendingPathComponent($0) }
    }
}

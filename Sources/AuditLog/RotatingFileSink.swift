import Foundation
import Synchronization

/// Audit lines in numbered files `<base>.000001.jsonl`, `<base>.000002.jsonl`, …
/// A new file starts when the next batch would push the current one past
/// `maxBytes` (a line is never split; a single line larger than `maxBytes` gets a
/// file of its own). The chain simply continues: the first record of a new file
/// names the last record of the previous file as `prev`, so a verifier reads the
/// files in number order as one stream.
public final class RotatingFileSink: AuditSink {
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
    private let state: Mutex<State>

    /// Opens (creating if needed) the newest file of the series for appending.
    public init(
        directory: String, baseName: String = "audit", maxBytes: UInt64 = 64 << 20, syncOnRotation: Bool = true
    ) throws(AuditError) {
        self.directory = directory
        self.baseName = baseName
        self.maxBytes = max(1, maxBytes)
        self.syncOnRotation = syncOnRotation
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

    /// The last record of the series, for `AuditWriter` to continue the chain after
    /// a restart. A file ending in a partial line (a crash mid-write) is refused: the
    /// operator must look at it before anything is appended after it.
    public func lastRecord() throws(AuditError) -> AuditRecord? {
        for path in Self.files(directory: directory, baseName: baseName).reversed() {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw AuditError(.resumeFailed, "\(path): cannot read")
            }
            if data.isEmpty { continue }
            guard data.last == UInt8(ascii: "\n") else {
                throw AuditError(.resumeFailed, "\(path): ends in a partial line; inspect and truncate it before restarting")
            }
            let body = data.dropLast()
            let start = body.lastIndex(of: UInt8(ascii: "\n")).map { body.index(after: $0) } ?? body.startIndex
            do {
                return try AuditLine.decode(body[start...])
            } catch {
                throw AuditError(.resumeFailed, "\(path): last line: \(error.message)")
            }
        }
        return nil
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
    }

    private static func path(directory: String, baseName: String, index: Int) -> String {
        let number = String(index)
        let padded = String(repeating: "0", count: max(0, 6 - number.count)) + number
        return (directory as NSString).appendingPathComponent("\(baseName).\(padded).jsonl")
    }

    private static func indexedFiles(directory: String, baseName: String) -> [(index: Int, path: String)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let prefix = baseName + "."
        return names.compactMap { name -> (Int, String)? in
            guard name.hasPrefix(prefix), name.hasSuffix(".jsonl") else { return nil }
            let middle = name.dropFirst(prefix.count).dropLast(".jsonl".count)
            guard !middle.isEmpty, middle.allSatisfy(\.isNumber), let index = Int(middle) else { return nil }
            return (index, (directory as NSString).appendingPathComponent(name))
        }
        .sorted { $0.0 < $1.0 }
    }
}

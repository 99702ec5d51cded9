import Foundation

/// Which finished files of a `RotatingFileSink` series are deleted. The default keeps
/// every file: audit records are evidence, how long they must be kept is the
/// operator's (or the regulator's) decision, and a disk that fills up loses nothing
/// either, because the writer then fails closed (docs/audit.md, Retention).
///
/// Only a run of the oldest files is ever deleted, never the file being appended to
/// and never a file older than one that is kept, so the kept files remain one
/// unbroken chain. Before anything is deleted, where that chain now starts is written
/// to the series' `AuditAnchor`.
public struct AuditRetention: Sendable, Equatable {
    /// Keep at most this many files, the one being appended to included (at least 1).
    public var maxFiles: Int?
    /// Delete a finished file once its last write (modification time) is older than this.
    public var maxAge: Duration?

    public static let keepAll = AuditRetention()

    public init(maxFiles: Int? = nil, maxAge: Duration? = nil) {
        self.maxFiles = maxFiles.map { max(1, $0) }
        self.maxAge = maxAge
    }

    /// How many of the oldest files to delete, given each file's last write, oldest file
    /// first, the last being the one appended to. A file older than `maxAge` takes every
    /// file before it along: those hold older records, whatever their timestamps say.
    func expiredCount(modified: [Date], now: Date) -> Int {
        let finished = modified.count - 1
        guard finished > 0 else { return 0 }
        var count = 0
        if let maxFiles { count = modified.count - maxFiles }
        if let maxAge {
            let parts = maxAge.components
            let cutoff = now.addingTimeInterval(-(Double(parts.seconds) + Double(parts.attoseconds) / 1e18))
            if let last = modified.prefix(finished).lastIndex(where: { $0 < cutoff }) { count = max(count, last + 1) }
        }
        return min(max(0, count), finished)
    }

    /// Deletes the expired oldest files of a series (`files` in chain order, the last
    /// being the one appended to), each with the torn tails set aside next to it, after
    /// writing the anchor for the first kept file. Returns the deleted files' paths.
    /// Nothing is deleted unless the anchor was written; a file that cannot be deleted
    /// stops the run, and the next run takes it again.
    func prune(_ files: [RotatingFileSink.SeriesFile], directory: String, baseName: String, now: Date) throws(AuditError) -> [String] {
        guard self != .keepAll, files.count > 1 else { return [] }
        var modified: [Date] = []
        for file in files {
            guard let date = (try? FileManager.default.attributesOfItem(atPath: file.path))?[.modificationDate] as? Date else {
                throw AuditError(.pruneFailed, "\(file.path): cannot read its modification time")
            }
            modified.append(date)
        }
        let count = expiredCount(modified: modified, now: now)
        guard count > 0 else { return [] }
        let anchorPath = AuditAnchor.path(directory: directory, baseName: baseName)
        let head = try headAfter(files[..<count], anchorPath: anchorPath)
        try AuditAnchor(firstFile: (files[count].path as NSString).lastPathComponent, head: head).write(to: anchorPath)
        var deleted: [String] = []
        for file in files[..<count] {
            for sidecar in RotatingFileSink.tornTails(of: file.path) { try FileDescriptorIO.remove(sidecar) }
            try FileDescriptorIO.remove(file.path)
            deleted.append(file.path)
        }
        return deleted
    }

    /// The chain head after the last record of `files`: from the newest one that holds
    /// a record, else (all empty) where the series already started.
    private func headAfter(_ files: ArraySlice<RotatingFileSink.SeriesFile>, anchorPath: String) throws(AuditError) -> AuditChainHead {
        for file in files.reversed() {
            guard let last = try FileDescriptorIO.lastLine(file.path) else { continue }
            guard last.complete, let record = try? AuditLine.decode(last.line[...]) else {
                throw AuditError(.pruneFailed, "\(file.path): its last line is not a complete record, so the kept files' start is unknown; keeping it")
            }
            return AuditChainHead(after: record)
        }
        switch AuditAnchor.read(path: anchorPath) {
        case .success(let anchor): return anchor?.head ?? .genesis
        case .failure(let error): throw AuditError(.pruneFailed, error.message)
        }
    }
}

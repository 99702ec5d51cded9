import Foundation
import Logging

/// What a restart does before the writer continues a `RotatingFileSink` series: find
/// the last complete, chain-valid record and return the head after it.
///
/// - A torn tail (the bytes after the last newline of the newest non-empty file, left
///   by a crash or a full disk in the middle of a write) is copied, synced, into
///   `<file>.torn-<UTC time>` next to the file, then cut from the file and logged at
///   warning with its size. No audit byte is deleted; the chain continues from the
///   last complete record, so the series verifies.
/// - Every complete line of that file must verify, continuing the last record of the
///   previous file (or the anchor, or, for the oldest file, its own first line). A
///   line that does not is evidence of tampering or corruption, not damage from a
///   crash: start-up is refused with `chain_broken` naming the file and line, and
///   nothing is changed. Older files are `rta-gateway audit verify`'s job; checking
///   them at every start would cost time proportional to the whole history.
enum AuditRecovery {
    static func recover(
        files: [RotatingFileSink.SeriesFile], anchor: AuditAnchor?, now: Date, logger: Logger
    ) throws(AuditError) -> AuditChainHead {
        var remaining = files[...]
        while let file = remaining.popLast() {
            var bytes = try contents(of: file.path)
            if bytes.isEmpty { continue }
            if bytes.last != UInt8(ascii: "\n") {
                let keep = bytes.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
                try setAside(bytes[keep...], of: file.path, keeping: keep, now: now, logger: logger)
                bytes.removeSubrange(keep...)
                if bytes.isEmpty { continue }
            }
            let start = try startHead(of: file, firstLine: bytes, earlier: remaining, anchor: anchor, logger: logger)
            switch AuditVerifier.verify(lines: bytes, of: file.path, after: start) {
            case .success(let (_, head)):
                return head
            case .failure(let failure):
                throw refusal(failure)
            }
        }
        return anchor?.head ?? .genesis
    }

    /// The head the first line of `file` must continue.
    private static func startHead(
        of file: RotatingFileSink.SeriesFile, firstLine bytes: [UInt8], earlier: ArraySlice<RotatingFileSink.SeriesFile>,
        anchor: AuditAnchor?, logger: Logger
    ) throws(AuditError) -> AuditChainHead {
        for previous in earlier.reversed() {
            guard let last = try FileDescriptorIO.lastLine(previous.path) else { continue }
            guard last.complete else {
                throw broken(previous.path, .truncated, "last line has no newline (partial write?) but a later file continues the chain")
            }
            let record: AuditRecord
            do {
                record = try AuditLine.decode(last.line)
            } catch {
                throw broken(previous.path, error.code == .notCanonical ? .notCanonical : .malformed, error.message)
            }
            guard record.computedHash == record.hash else {
                throw broken(previous.path, .hashMismatch, "seq \(record.seq): hash \(record.hash) but the record hashes to \(record.computedHash) (line was modified)")
            }
            return AuditChainHead(after: record)
        }
        let name = (file.path as NSString).lastPathComponent
        if let anchor, anchor.firstFile == name { return anchor.head }
        let end = bytes.firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
        guard let first = try? AuditLine.decode(bytes[..<end]) else { return .genesis }
        let head = AuditChainHead(nextSeq: first.seq, prevHash: first.prev)
        if head != .genesis {
            logger.warning("the oldest audit file does not start the chain and no retention anchor names it: older files were removed outside retention, and `rta-gateway audit verify` will report its first line",
                           metadata: ["file": "\(file.path)", "seq": "\(first.seq)"])
        }
        return head
    }

    /// A break in the last line of an earlier file, numbered as the verifier would.
    private static func broken(_ path: String, _ code: AuditChainBreak.Code, _ message: String) -> AuditError {
        let bytes = (try? contents(of: path)) ?? []
        let line = bytes.reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 } + (bytes.last == UInt8(ascii: "\n") ? 0 : 1)
        return refusal(AuditChainBreak(file: path, line: line, code: code, message: message))
    }

    private static func refusal(_ failure: AuditChainBreak) -> AuditError {
        AuditError(.chainBroken, """
            \(failure); the audit chain does not verify where the writer would continue it, \
            so nothing is appended after it. Keep the files as evidence and check the series \
            with `rta-gateway audit verify`; to start a new chain, move the series' files to \
            another folder (docs/audit.md, Start-up recovery)
            """, chainBreak: failure)
    }

    /// Copies `tail` into a new `<path>.torn-<time>` file and makes it durable before
    /// cutting `path` back to `keep` bytes, so a crash in between loses nothing.
    private static func setAside(
        _ tail: ArraySlice<UInt8>, of path: String, keeping keep: Int, now: Date, logger: Logger
    ) throws(AuditError) {
        let (fd, sidecar) = try createSidecar("\(path).torn-\(tornStamp(now))")
        do {
            try FileDescriptorIO.writeAll(fd, Array(tail), label: sidecar)
            try FileDescriptorIO.sync(fd, label: sidecar)
        } catch {
            FileDescriptorIO.closeDescriptor(fd)
            throw AuditError(.resumeFailed, "cannot set the partial last line of \(path) aside: \(error.message)")
        }
        FileDescriptorIO.closeDescriptor(fd)
        try FileDescriptorIO.syncDirectory(of: sidecar)
        try FileDescriptorIO.truncate(path, to: UInt64(keep))
        logger.warning("audit file ended in a partial record (crash or full disk); set it aside and continued the chain from the last complete record",
                       metadata: ["file": "\(path)", "bytes": "\(tail.count)", "set_aside_in": "\(sidecar)"])
    }

    /// `stem`, or `stem-2`, `stem-3`… if a tail was already set aside in the same second.
    private static func createSidecar(_ stem: String) throws(AuditError) -> (Int32, String) {
        var attempt = 1
        while true {
            let path = attempt == 1 ? stem : "\(stem)-\(attempt)"
            if let fd = try FileDescriptorIO.createExclusive(path) { return (fd, path) }
            attempt += 1
        }
    }

    /// `20261208T001600Z`: sorts by time and needs no quoting in a shell.
    static func tornStamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withYear, .withMonth, .withDay, .withTime, .withTimeZone]
        return formatter.string(from: date)
    }

    private static func contents(of path: String) throws(AuditError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AuditError(.resumeFailed, "\(path): cannot read")
        }
        return [UInt8](data)
    }
}

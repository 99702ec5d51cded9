import Foundation

/// Recomputes the hash chain over audit files and names the first line that breaks
/// it. Files are read in the order given (for a rotated series:
/// `RotatingFileSink.files(directory:baseName:)`) as one stream, so a gap or
/// reordering between files is caught like one inside a file.
///
/// Checks per line, in order: complete line → parses as a canonical record → `hash`
/// recomputes → `prev` names the previous record's hash → `seq` is the previous + 1.
/// A changed field fails at its own line (hash); a deleted, inserted or moved line
/// fails at the first line whose `prev` no longer matches.
public enum AuditVerifier {
    /// The chain is intact: `records` lines checked, from `start` to `head`.
    public struct Summary: Sendable, Equatable {
        public let records: Int
        public let head: AuditChainHead
        /// The head the first record continued: genesis, or what `startingAt`/the anchor said.
        public let start: AuditChainHead
        /// The retention anchor (`AuditAnchor`) the check started from, if any.
        public let anchor: String?
    }

    public static func verify(files: [String], startingAt start: AuditChainHead = .genesis) -> Result<Summary, AuditChainBreak> {
        verify(files: files, from: start, anchor: nil)
    }

    /// Verifies the files of a series that retention may have pruned: when `files`
    /// begins with the first kept file its `AuditAnchor` names, the chain starts at the
    /// anchor's head, otherwise at genesis. So deleting the oldest files by retention
    /// verifies, and deleting any other file (the oldest kept one included) still breaks.
    public static func verifyKeptFiles(_ files: [String]) -> Result<Summary, AuditChainBreak> {
        guard let first = files.first else { return verify(files: files) }
        switch AuditAnchor.governing(firstFile: first) {
        case .success(let found):
            guard let found else { return verify(files: files) }
            return verify(files: files, from: found.anchor.head, anchor: found.path)
        case .failure(let failure):
            return .failure(failure)
        }
    }

    private static func verify(files: [String], from start: AuditChainHead, anchor: String?) -> Result<Summary, AuditChainBreak> {
        var head = start
        var records = 0
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else {
                return .failure(AuditChainBreak(file: file, line: 0, code: .unreadable, message: "cannot read file"))
            }
            switch verify(lines: [UInt8](data), of: file, after: head) {
            case .success(let (count, next)):
                records += count
                head = next
            case .failure(let failure):
                return .failure(failure)
            }
        }
        return .success(Summary(records: records, head: head, start: start, anchor: anchor))
    }

    /// Checks every line of one file's `bytes`, continuing `head`: the lines verified
    /// and the head after the last, or the first bad line.
    static func verify(lines bytes: [UInt8], of file: String, after start: AuditChainHead) -> Result<(Int, AuditChainHead), AuditChainBreak> {
        var head = start
        var records = 0
        var lineNumber = 0
        var lineStart = 0
        while lineStart < bytes.count {
            lineNumber += 1
            guard let newline = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) else {
                return .failure(AuditChainBreak(file: file, line: lineNumber, code: .truncated,
                                                message: "last line has no newline (partial write?)"))
            }
            let line = bytes[lineStart..<newline]
            lineStart = newline + 1
            switch check(line, after: head) {
            case .success(let record):
                head = AuditChainHead(after: record)
                records += 1
            case .failure(let failure):
                return .failure(AuditChainBreak(file: file, line: lineNumber, code: failure.code, message: failure.message))
            }
        }
        return .success((records, head))
    }

    private struct LineFailure: Error {
        let code: AuditChainBreak.Code
        let message: String
    }

    private static func check(_ line: ArraySlice<UInt8>, after head: AuditChainHead) -> Result<AuditRecord, LineFailure> {
        let record: AuditRecord
        do {
            record = try AuditLine.decode(line)
        } catch {
            let code: AuditChainBreak.Code = error.code == .notCanonical ? .notCanonical : .malformed
            return .failure(LineFailure(code: code, message: error.message))
        }
        let expected = record.computedHash
        guard expected == record.hash else {
            return .failure(LineFailure(code: .hashMismatch,
                                        message: "seq \(record.seq): hash \(record.hash) but the record hashes to \(expected) (line was modified)"))
        }
        guard record.prev == head.prevHash else {
            return .failure(LineFailure(code: .prevMismatch,
                                        message: "seq \(record.seq): prev \(record.prev) but the previous record's hash is \(head.prevHash) (a line was removed, inserted or moved before this one)"))
        }
        guard record.seq == head.nextSeq else {
            return .failure(LineFailure(code: .seqMismatch, message: "seq \(record.seq) where \(head.nextSeq) was expected"))
        }
        return .success(record)
    }
}

import Foundation

/// Where a series pruned by retention now starts: the name of its first kept file and
/// the chain head before that file's first record (the head after the last deleted
/// record). Retention writes it, in `<base>.anchor.json` next to the files, before it
/// deletes anything, so a verifier starts the kept files from it instead of from
/// genesis: deleting the oldest files by retention is not reported as tampering, while
/// a file removed from the middle, or the oldest kept file, still breaks the chain.
///
/// One JSON line, e.g. `{"first_file":"gateway.000004.jsonl","seq":1234,"prev":"<64 hex>"}`.
/// It is not a signature: whoever can rewrite the files can rewrite it, and it says
/// only where the kept chain begins.
public struct AuditAnchor: Sendable, Equatable {
    /// File name (no folder) of the oldest kept file of the series.
    public let firstFile: String
    /// `seq` and `prev` the first record of `firstFile` must have.
    public let head: AuditChainHead

    public init(firstFile: String, head: AuditChainHead) {
        self.firstFile = firstFile
        self.head = head
    }

    /// `<directory>/<baseName>.anchor.json`.
    public static func path(directory: String, baseName: String) -> String {
        (directory as NSString).appendingPathComponent("\(baseName).anchor.json")
    }

    /// The anchor of the series `file` belongs to (`<base>.NNNNNN.jsonl`), if that series
    /// has one and it names `file` as its first kept file; nil otherwise (the chain
    /// starts at genesis). A damaged anchor is a break at its own line 1.
    public static func governing(firstFile file: String) -> Result<(path: String, anchor: AuditAnchor)?, AuditChainBreak> {
        let name = (file as NSString).lastPathComponent
        guard let baseName = RotatingFileSink.seriesName(name)?.baseName else { return .success(nil) }
        let path = path(directory: (file as NSString).deletingLastPathComponent, baseName: baseName)
        switch read(path: path) {
        case .success(let anchor):
            guard let anchor, anchor.firstFile == name else { return .success(nil) }
            return .success((path, anchor))
        case .failure(let error):
            return .failure(AuditChainBreak(file: path, line: 1, code: .malformed, message: error.message))
        }
    }

    /// nil when there is no anchor file.
    static func read(path: String) -> Result<AuditAnchor?, AuditError> {
        guard FileManager.default.fileExists(atPath: path) else { return .success(nil) }
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(AuditError(.resumeFailed, "\(path): cannot read"))
        }
        struct Fields: Decodable {
            let firstFile: String
            let seq: UInt64
            let prev: String
            enum CodingKeys: String, CodingKey {
                case firstFile = "first_file", seq, prev
            }
        }
        guard let fields = try? JSONDecoder().decode(Fields.self, from: data),
              RotatingFileSink.seriesName(fields.firstFile) != nil, fields.seq >= 1,
              AuditChainHead.isHash(fields.prev)
        else {
            return .failure(AuditError(.resumeFailed,
                                       #"\#(path): not an audit anchor ({"first_file":"<base>.NNNNNN.jsonl","seq":N,"prev":"<64 hex>"})"#))
        }
        return .success(AuditAnchor(firstFile: fields.firstFile, head: AuditChainHead(nextSeq: fields.seq, prevHash: fields.prev)))
    }

    /// Replaces the anchor atomically and durably (temporary file, fsync, rename, fsync
    /// of the folder), so a crash leaves the old anchor or the new one, never half of one.
    func write(to path: String) throws(AuditError) {
        let line = #"{"first_file":"\#(firstFile)","seq":\#(head.nextSeq),"prev":"\#(head.prevHash)"}"# + "\n"
        let temporary = path + ".tmp"
        let fd = try FileDescriptorIO.openForReplace(temporary)
        do {
            try FileDescriptorIO.writeAll(fd, Array(line.utf8), label: temporary)
            try FileDescriptorIO.sync(fd, label: temporary)
        } catch {
            FileDescriptorIO.closeDescriptor(fd)
            throw error
        }
        FileDescriptorIO.closeDescriptor(fd)
        try FileDescriptorIO.move(temporary, to: path)
        try FileDescriptorIO.syncDirectory(of: path)
    }
}

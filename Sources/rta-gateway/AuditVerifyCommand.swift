import ArgumentParser
import AuditLog

/// Recomputes the audit chain with `AuditVerifier`, the same check the library
/// offers, so "the log is intact" can be established from a shell or a cron job.
struct AuditVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify the hash chain of audit files and name the first bad line.",
        discussion: """
            The files are read in the order given, as one chain starting at seq 1 (for a \
            rotated series pass audit.000001.jsonl, audit.000002.jsonl, … in number order, \
            e.g. audit.*.jsonl). A removed, inserted, reordered or edited line breaks the \
            chain at the first line whose hash or prev no longer matches.

            When audit.retention deleted the oldest files, the series' anchor \
            (audit.anchor.json, next to the files) says where the first kept file starts; \
            if the first file given is the one it names, the chain starts there instead of \
            at seq 1, and the OK line says so. Deleting any other file still breaks the chain.

            Exit status: 0 and "OK: N records, head HASH" when the chain is intact; 1 and \
            "FILE:LINE: CODE: WHY" on standard error for the first bad line; 2 when a file \
            cannot be read.
            """)

    @Argument(help: "Audit files, oldest first.")
    var files: [String]

    func run() throws {
        switch AuditVerifier.verifyKeptFiles(files) {
        case .success(let summary):
            if let anchor = summary.anchor {
                print("OK: \(summary.records) records from seq \(summary.start.nextSeq) (older files deleted by retention, anchor \(anchor)), head \(summary.head.prevHash)")
            } else {
                print("OK: \(summary.records) records, head \(summary.head.prevHash)")
            }
        case .failure(let chainBreak):
            printError(chainBreak.description)
            throw ExitCode(chainBreak.code == .unreadable ? 2 : 1)
        }
    }
}

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

            Exit status: 0 and "OK: N records, head HASH" when the chain is intact; 1 and \
            "FILE:LINE: CODE: WHY" on standard error for the first bad line; 2 when a file \
            cannot be read.
            """)

    @Argument(help: "Audit files, oldest first.")
    var files: [String]

    func run() throws {
        switch AuditVerifier.verify(files: files) {
        case .success(let summary):
            print("OK: \(summary.records) records, head \(summary.head.prevHash)")
        case .failure(let chainBreak):
            printError(chainBreak.description)
            throw ExitCode(chainBreak.code == .unreadable ? 2 : 1)
        }
    }
}

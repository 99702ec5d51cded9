import AuditLog
import Foundation
import Testing

/// The retention anchor is read only for the file it names, and a damaged one is an
/// error, never a silent start at genesis.
@Suite struct AuditAnchorTests {
    static let twoLines = AuditRetentionTests.twoLines

    @Test func anAnchorNamingAnotherFileDoesNotApply() async throws {
        let dir = try ScratchDirectory()
        defer { dir.remove() }
        let files = try await writeRecords(1...12, in: dir, maxBytes: Self.twoLines, retention: AuditRetention(maxFiles: 3))
        guard case .failure(let failure) = AuditVerifier.verifyKeptFiles(Array(files[1...])) else {
            Issue.record("verified from an anchor that names another file")
            return
        }
        #expect(failure.file == files[1] && failure.code == .prevMismatch)
        #expect(failure.message.contains("previous record's hash is \(AuditChainHead.genesisHash)"))
    }

    @Test func aDamagedAnchorIsReportedAtItsLineAndRefusesTheStart() async throws {
        let dir = try ScratchDirectory()
        defer { dir.remove() }
        let files = try await writeRecords(1...12, in: dir, maxBytes: Self.twoLines, retention: AuditRetention(maxFiles: 3))
        let anchorPath = AuditAnchor.path(directory: dir.path, baseName: "audit")
        try Data(#"{"first_file":"audit.000004.jsonl","seq":"seven"}"#.utf8).write(to: URL(fileURLWithPath: anchorPath))

        guard case .failure(let failure) = AuditVerifier.verifyKeptFiles(files) else {
            Issue.record("a damaged anchor went unnoticed")
            return
        }
        #expect(failure.file == anchorPath && failure.line == 1 && failure.code == .malformed)
        do {
            _ = try AuditWriter.resuming(fileSink: try RotatingFileSink(directory: dir.path))
            Issue.record("the writer started with a damaged anchor")
        } catch {
            #expect(error.code == .resumeFailed)
            #expect(error.message.hasPrefix("\(anchorPath): not an audit anchor"))
        }
    }
}

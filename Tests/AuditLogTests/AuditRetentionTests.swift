import Foundation
import Testing

@testable import AuditLog

/// `audit.retention`: the oldest finished files are deleted (never the active one), the
/// anchor records where the kept chain starts, and the kept files still verify while a
/// file deleted any other way still breaks the chain.
@Suite struct AuditRetentionTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)
    static let lineBytes = UInt64(AuditRecord.seal(sampleEntry(1), after: .genesis).line.count + 1)
    /// Two sample records per file.
    static let twoLines = lineBytes * 2 + lineBytes / 2

    static func daysAgo(_ days: Double) -> Date { now.addingTimeInterval(-days * 86_400) }

    @Test func maxFilesKeepsTheNewestFilesAndNeverTheActiveOne() {
        let five = (0..<5).map { _ in Self.now }
        #expect(AuditRetention(maxFiles: 3).expiredCount(modified: five, now: Self.now) == 2)
        #expect(AuditRetention(maxFiles: 1).expiredCount(modified: five, now: Self.now) == 4)
        #expect(AuditRetention(maxFiles: 9).expiredCount(modified: five, now: Self.now) == 0)
        #expect(AuditRetention(maxFiles: 1).expiredCount(modified: [Self.now], now: Self.now) == 0)
        #expect(AuditRetention.keepAll.expiredCount(modified: five, now: Self.now) == 0)
    }

    @Test func anExpiredFileTakesEveryOlderFileAlongButNeverTheActiveOne() {
        let thirty = AuditRetention(maxAge: .seconds(30 * 86_400))
        // The oldest file's time was touched; it still holds the oldest records.
        let touched = [Self.daysAgo(1), Self.daysAgo(40), Self.daysAgo(2), Self.daysAgo(1)]
        #expect(thirty.expiredCount(modified: touched, now: Self.now) == 2)
        let allOld = [Self.daysAgo(50), Self.daysAgo(45), Self.daysAgo(40)]
        #expect(thirty.expiredCount(modified: allOld, now: Self.now) == 2)
        let fresh = [Self.daysAgo(29), Self.daysAgo(1)]
        #expect(thirty.expiredCount(modified: fresh, now: Self.now) == 0)
        let both = AuditRetention(maxFiles: 3, maxAge: .seconds(30 * 86_400))
        #expect(both.expiredCount(modified: [Self.daysAgo(1)] + fresh + fresh, now: Self.now) == 2)
    }

    @Test func rotationDeletesTheOldestFilesAndTheKeptFilesVerifyFromTheAnchor() async throws {
        let dir = try ScratchDirectory()
        defer { dir.remove() }
        let files = try await writeRecords(1...12, in: dir, maxBytes: Self.twoLines, retention: AuditRetention(maxFiles: 3))

        #expect(files.map { ($0 as NSString).lastPathComponent } == ["audit.000004.jsonl", "audit.000005.jsonl", "audit.000006.jsonl"])
        let anchorPath = AuditAnchor.path(directory: dir.path, baseName: "audit")
        #expect(try String(contentsOfFile: anchorPath, encoding: .utf8).hasPrefix(#"{"first_file":"audit.000004.jsonl","seq":7,"prev":""#))
        let summary = try AuditVerifier.verifyKeptFiles(files).get()
        #expect(summary.records == 6)
        #expect(summary.start.nextSeq == 7)
        #expect(summary.head.nextSeq == 13)
        #expect(summary.anchor == anchorPath)
        // From genesis the same files look like a deleted beginning.
        guard case .failure(let failure) = AuditVerifier.verify(files: files) else {
            Issue.record("a pruned series verified from genesis")
            return
        }
        #expect(failure.file == files[0] && failure.line == 1 && failure.code == .prevMismatch)
    }

    @Test func deletingAKeptFileStillBreaksTheChain() async throws {
        let dir = try ScratchDirectory()
        defer { dir.remove() }
        let files = try await writeRecords(1...12, in: dir, maxBytes: Self.twoLines, retention: AuditRetention(maxFiles: 3))

        guard case .failure(let middle) = AuditVerifier.verifyKeptFiles([files[0], files[2]]) else {
            Issue.record("a missing middle file went unnoticed")
            return
        }
        #expect(middle.file == files[2] && middle.line == 1 && middle.code == .prevMismatch)
        guard case .failure(let oldest) = AuditVerifier.verifyKeptFiles([files[1], files[2]]) else {
            Issue.record("a missing oldest kept file went unnoticed")
            return
        }
        #expect(oldest.file == files[1] && oldest.line == 1 && oldest.code == .prevMismatch)
    }

    @Test func startUpDeletesFilesOlderThanMaxAgeWithTheirTornTails() async throws {
        let dir = try ScratchDirectory()
        defer { dir.remove() }
        let written = try await writeRecords(1...8, in: dir, maxBytes: Self.twoLines)
        #expect(written.count == 4)
        let tornTail = written[0] + ".torn-20261101T000000Z"
        try Data("{\"seq\"".utf8).write(to: URL(fileURLWithPath: tornTail))
        for (file, days) in zip(written, [45.0, 31, 20, 0]) {
            try FileManager.default.setAttributes([.modificationDate: Self.daysAgo(days)], ofItemAtPath: file)
        }

        let recorder = LogRecorder()
        let files = try await writeRecords(9...9, in: dir, maxBytes: Self.twoLines,
                                           retention: AuditRetention(maxAge: .seconds(30 * 86_400)),
                                           logger: recorder.logger, clock: { Self.now })
        // Record 9 started a fifth file; the third, 20 days old, stays.
        #expect(files.map { ($0 as NSString).lastPathComponent } == ["audit.000003.jsonl", "audit.000004.jsonl", "audit.000005.jsonl"])
        #expect(tornTails(in: dir).isEmpty)
        #expect(try AuditVerifier.verifyKeptFiles(files).get().records == 5)
        let info = try #require(recorder.entries.first { $0.message == "audit files deleted by retention" })
        #expect(info.metadata["files"] == #"["audit.000001.jsonl", "audit.000002.jsonl"]"#)
    }

    @Test func aRestartAfterPruningContinuesFromTheAnchor() async throws {
        let dir = try ScratchDirectory()
        defer { dir.remove() }
        _ = try await writeRecords(1...4, in: dir, maxBytes: Self.twoLines)
        // A crash right after a rotation: the new file exists and is empty.
        let third = (dir.path as NSString).appendingPathComponent("audit.000003.jsonl")
        #expect(FileManager.default.createFile(atPath: third, contents: nil))

        let fourth = try lastHash(in: dir, seq: 4)
        let single = AuditRetention(maxFiles: 1)
        let sink = try RotatingFileSink(directory: dir.path, retention: single)
        #expect(try sink.recover() == AuditChainHead(nextSeq: 5, prevHash: fourth))
        try sink.close()
        #expect(RotatingFileSink.files(directory: dir.path) == [third])

        // Only the empty file and the anchor are left: the anchor alone says where to go on.
        let files = try await writeRecords(5...6, in: dir, retention: single)
        #expect(files == [third])
        let summary = try AuditVerifier.verifyKeptFiles(files).get()
        #expect(summary.start.nextSeq == 5)
        #expect(summary.records == 2)
        // And once the kept file holds records, a restart checks them from the anchor.
        let again = try await writeRecords(7...7, in: dir, retention: single)
        #expect(try AuditVerifier.verifyKeptFiles(again).get().records == 3)
    }

    @Test func withoutRetentionEveryFileIsKept() async throws {
        let dir = try ScratchDirectory()
        defer { dir.remove() }
        let files = try await writeRecords(1...12, in: dir, maxBytes: Self.twoLines)
        #expect(files.count == 6)
        #expect(!FileManager.default.fileExists(atPath: AuditAnchor.path(directory: dir.path, baseName: "audit")))
    }

    /// Retention is housekeeping: when it fails, it deletes nothing and the writer
    /// keeps recording.
    @Test func anAnchorThatCannotBeWrittenDeletesNothing() async throws {
        let dir = try ScratchDirectory()
        defer { dir.remove() }
        let anchorPath = AuditAnchor.path(directory: dir.path, baseName: "audit")
        try FileManager.default.createDirectory(atPath: anchorPath + ".tmp", withIntermediateDirectories: false)

        let recorder = LogRecorder()
        let files = try await writeRecords(1...8, in: dir, maxBytes: Self.twoLines, retention: AuditRetention(maxFiles: 2),
                                           logger: recorder.logger)
        #expect(files.count == 4)
        #expect(try AuditVerifier.verify(files: files).get().records == 8)
        #expect(recorder.entries.contains { $0.level == .error && $0.message.hasPrefix("audit retention could not delete") })
    }

    private func lastHash(in dir: ScratchDirectory, seq: UInt64) throws -> String {
        for file in RotatingFileSink.files(directory: dir.path) {
            for line in try lines(of: file) {
                let record = try AuditLine.decode(Array(line.utf8))
                if record.seq == seq { return record.hash }
            }
        }
        throw AuditError(.closed, "no record \(seq)")
    }
}

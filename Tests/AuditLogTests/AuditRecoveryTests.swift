import AuditLog
import Foundation
import Testing

/// Start-up after a crash or a full disk (`AuditRecovery`, through `AuditWriter.resuming`):
/// a torn last line is set aside and the chain continues; a complete line that does not
/// verify refuses the start with the file and line.
@Suite struct AuditRecoveryTests {
    /// The start of record 6's line, as a write cut short by ENOSPC leaves it.
    static let tornBytes = Array(#"{"seq":6,"ts":1795000000006,"kind":"req"#.utf8)

    @Test func tornLastLineIsSetAsideAndTheChainContinuesFromTheLastCompleteRecord() async throws {
        let dir = try ScratchDirectory()
        defer { dir.remove() }
        let file = try #require(try await writeRecords(1...5, in: dir).last)
        let complete = try bytes(of: file)
        try append(Self.tornBytes, to: file)

        let recorder = LogRecorder()
        let restarted = Date(timeIntervalSince1970: 1_795_000_100)
        let files = try await writeRecords(6...8, in: dir, logger: recorder.logger, clock: { restarted })

        #expect(files == [file])
        let sidecar = file + ".torn-20261118T110820Z"
        #expect(try bytes(of: sidecar) == Self.tornBytes)
        #expect(Array(try bytes(of: file).prefix(complete.count)) == complete)
        let summary = try AuditVerifier.verify(files: files).get()
        #expect(summary.records == 8)
        let warning = try #require(recorder.entries.first { $0.level == .warning })
        #expect(warning.message.hasPrefix("audit file ended in a partial record"))
        #expect(warning.metadata == ["file": file, "bytes": "\(Self.tornBytes.count)", "set_aside_in": sidecar])
    }

    @Test func aFileHoldingOnlyATornLineIsEmptiedAndThePreviousFileIsContinued() async throws {
        let dir = try ScratchDirectory()
        defer { dir.remove() }
        let lineBytes = UInt64(AuditRecord.seal(sampleEntry(1), after: .genesis).line.count + 1)
        let written = try await writeRecords(1...4, in: dir, maxBytes: lineBytes * 2 + lineBytes / 2)
        #expect(written.count == 2)
        // The first write after a rotation failed halfway: the new file holds only a partial line.
        let third = (dir.path as NSString).appendingPathComponent("audit.000003.jsonl")
        try Data(Self.tornBytes).write(to: URL(fileURLWithPath: third))

        let files = try await writeRecords(5...6, in: dir, maxBytes: lineBytes * 2 + lineBytes / 2)
        #expect(try bytes(of: try #require(tornTails(in: dir).first)) == Self.tornBytes)
        #expect(try AuditVerifier.verify(files: files).get().records == 6)
    }

    @Test func twoTornTailsInOneSecondAreBothKept() async throws {
        let dir = try ScratchDirectory()
        defer { dir.remove() }
        let file = try #require(try await writeRecords(1...2, in: dir).last)
        let now = Date(timeIntervalSince1970: 1_795_000_100)
        try append(Array("first".utf8), to: file)
        _ = try await writeRecords(3...3, in: dir, clock: { now })
        try append(Array("second".utf8), to: file)
        let files = try await writeRecords(4...4, in: dir, clock: { now })

        #expect(try bytes(of: file + ".torn-20261118T110820Z") == Array("first".utf8))
        #expect(try bytes(of: file + ".torn-20261118T110820Z-2") == Array("second".utf8))
        #expect(try AuditVerifier.verify(files: files).get().records == 4)
    }

    @Test func anEditedMiddleLineRefusesTheStartWithFileAndLine() async throws {
        let dir = try ScratchDirectory()
        defer { dir.remove() }
        let file = try #require(try await writeRecords(1...5, in: dir).last)
        var content = try lines(of: file)
        content[2] = content[2].replacingOccurrences(of: #""decision":"block""#, with: #""decision":"allow""#)
        try writeLines(content, to: file)
        let before = try bytes(of: file)

        let error = try expectRefusal(in: dir)
        #expect(error.code == .chainBroken)
        #expect(error.chainBreak?.file == file)
        #expect(error.chainBreak?.line == 3)
        #expect(error.chainBreak?.code == .hashMismatch)
        #expect(error.description.hasPrefix("chain_broken: \(file):3: hash_mismatch: seq 3: "))
        #expect(try bytes(of: file) == before)
    }

    @Test func aDeletedMiddleLineRefusesTheStartWhereTheGapIs() async throws {
        let dir = try ScratchDirectory()
        defer { dir.remove() }
        let file = try #require(try await writeRecords(1...5, in: dir).last)
        var content = try lines(of: file)
        content.remove(at: 1)
        try writeLines(content, to: file)

        let error = try expectRefusal(in: dir)
        #expect(error.chainBreak?.file == file)
        #expect(error.chainBreak?.line == 2)
        #expect(error.chainBreak?.code == .prevMismatch)
    }

    /// A torn tail is repaired only where a crash can leave one: after the last newline.
    /// Garbage before it is a complete line that does not verify.
    @Test func aTornTailAfterAnEditedLineIsNotRepaired() async throws {
        let dir = try ScratchDirectory()
        defer { dir.remove() }
        let file = try #require(try await writeRecords(1...3, in: dir).last)
        try append(Array("not a record\n".utf8) + Self.tornBytes, to: file)

        let error = try expectRefusal(in: dir)
        #expect(error.chainBreak?.line == 4)
        #expect(error.chainBreak?.code == .malformed)
    }

    @Test func theLastLineOfThePreviousFileMustContinueIntoTheCurrentOne() async throws {
        let dir = try ScratchDirectory()
        defer { dir.remove() }
        let lineBytes = UInt64(AuditRecord.seal(sampleEntry(1), after: .genesis).line.count + 1)
        let files = try await writeRecords(1...5, in: dir, maxBytes: lineBytes * 2 + lineBytes / 2)
        #expect(files.count == 3)
        var second = try lines(of: files[1])
        second.removeLast()
        try writeLines(second, to: files[1])

        let error = try expectRefusal(in: dir)
        #expect(error.chainBreak?.file == files[2])
        #expect(error.chainBreak?.line == 1)
        #expect(error.chainBreak?.code == .prevMismatch)
    }

    @Test func anEditedLastLineOfThePreviousFileIsNamedAtItsLine() async throws {
        let dir = try ScratchDirectory()
        defer { dir.remove() }
        let lineBytes = UInt64(AuditRecord.seal(sampleEntry(1), after: .genesis).line.count + 1)
        let files = try await writeRecords(1...5, in: dir, maxBytes: lineBytes * 2 + lineBytes / 2)
        var second = try lines(of: files[1])
        second[1] = second[1].replacingOccurrences(of: "/orders/4", with: "/orders/9")
        try writeLines(second, to: files[1])

        let error = try expectRefusal(in: dir)
        #expect(error.chainBreak?.file == files[1])
        #expect(error.chainBreak?.line == 2)
        #expect(error.chainBreak?.code == .hashMismatch)
    }

    private func expectRefusal(in dir: ScratchDirectory, sourceLocation: SourceLocation = #_sourceLocation) throws -> AuditError {
        let sink = try RotatingFileSink(directory: dir.path)
        do {
            _ = try AuditWriter.resuming(fileSink: sink)
        } catch {
            return error
        }
        Issue.record("the writer resumed after a chain that does not verify", sourceLocation: sourceLocation)
        return AuditError(.closed, "")
    }
}

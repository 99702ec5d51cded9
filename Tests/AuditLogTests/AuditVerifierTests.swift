import AuditLog
import Foundation
import Testing

/// Writes `count` records through a real writer into one file and returns its path.
private func writeChain(count: Int, in dir: ScratchDirectory) async throws -> String {
    let sink = try RotatingFileSink(directory: dir.path)
    let writer = AuditWriter(sinks: [sink], configuration: .init(capacity: 16, sync: .never))
    for index in 1...count { try await writer.append(sampleEntry(index)) }
    try await writer.close()
    return sink.currentPath
}

private func expectBreak(
    _ result: Result<AuditVerifier.Summary, AuditChainBreak>, file: String, line: Int, code: AuditChainBreak.Code,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    switch result {
    case .success(let summary): Issue.record("chain verified (\(summary.records) records)", sourceLocation: sourceLocation)
    case .failure(let failure):
        #expect(failure.file == file, sourceLocation: sourceLocation)
        #expect(failure.line == line, sourceLocation: sourceLocation)
        #expect(failure.code == code, "\(failure)", sourceLocation: sourceLocation)
    }
}

@Test func intactChainVerifies() async throws {
    let dir = try ScratchDirectory()
    defer { dir.remove() }
    let file = try await writeChain(count: 20, in: dir)
    let summary = try AuditVerifier.verify(files: [file]).get()
    #expect(summary.records == 20)
    #expect(summary.head.nextSeq == 21)
}

@Test func changedFieldIsReportedAtItsLine() async throws {
    let dir = try ScratchDirectory()
    defer { dir.remove() }
    let file = try await writeChain(count: 10, in: dir)
    var content = try lines(of: file)
    content[6] = content[6].replacingOccurrences(of: #""status":200"#, with: #""status":201"#)
    try writeLines(content, to: file)
    expectBreak(AuditVerifier.verify(files: [file]), file: file, line: 7, code: .hashMismatch)
}

@Test func rehashedForgeryIsReportedAtTheNextLine() async throws {
    let dir = try ScratchDirectory()
    defer { dir.remove() }
    let file = try await writeChain(count: 10, in: dir)
    var content = try lines(of: file)
    let original = try AuditLine.decode(Array(content[3].utf8))
    var entry = original.entry
    entry.path = "/admin/export"
    let forged = AuditRecord.seal(entry, after: AuditChainHead(nextSeq: original.seq, prevHash: original.prev))
    content[3] = String(decoding: forged.line, as: UTF8.self)
    try writeLines(content, to: file)
    expectBreak(AuditVerifier.verify(files: [file]), file: file, line: 5, code: .prevMismatch)
}

@Test func deletedLineIsReportedWhereTheGapIs() async throws {
    let dir = try ScratchDirectory()
    defer { dir.remove() }
    let file = try await writeChain(count: 10, in: dir)
    var content = try lines(of: file)
    content.remove(at: 4)
    try writeLines(content, to: file)
    expectBreak(AuditVerifier.verify(files: [file]), file: file, line: 5, code: .prevMismatch)
}

@Test func reorderedLinesAreReportedAtTheFirstMovedLine() async throws {
    let dir = try ScratchDirectory()
    defer { dir.remove() }
    let file = try await writeChain(count: 10, in: dir)
    var content = try lines(of: file)
    content.swapAt(2, 3)
    try writeLines(content, to: file)
    expectBreak(AuditVerifier.verify(files: [file]), file: file, line: 3, code: .prevMismatch)
}

@Test func truncatedAndGarbageLinesAreReported() async throws {
    let dir = try ScratchDirectory()
    defer { dir.remove() }
    let file = try await writeChain(count: 5, in: dir)
    let content = try lines(of: file)
    try (content.joined(separator: "\n") + "\n" + "{\"seq\":6").write(toFile: file, atomically: true, encoding: .utf8)
    expectBreak(AuditVerifier.verify(files: [file]), file: file, line: 6, code: .truncated)
    try writeLines(Array(content[0..<2]) + ["not json"] + Array(content[2...]), to: file)
    expectBreak(AuditVerifier.verify(files: [file]), file: file, line: 3, code: .malformed)
}

@Test func missingFileIsUnreadable() {
    expectBreak(AuditVerifier.verify(files: ["/nonexistent/audit.jsonl"]), file: "/nonexistent/audit.jsonl", line: 0, code: .unreadable)
}

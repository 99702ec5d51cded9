import AuditLog
import Foundation
import Testing

@Test func rotationBySizeCarriesTheChainAcrossFiles() async throws {
    let dir = try ScratchDirectory()
    defer { dir.remove() }
    let sink = try RotatingFileSink(directory: dir.path, baseName: "gw", maxBytes: 4_000)
    let writer = AuditWriter(sinks: [sink], configuration: .init(capacity: 32, sync: .everyRecord))
    for index in 1...200 { try await writer.append(sampleEntry(index)) }
    try await writer.close()

    let files = RotatingFileSink.files(directory: dir.path, baseName: "gw")
    #expect(files.count > 5)
    #expect(files.first?.hasSuffix("gw.000001.jsonl") == true)
    var previousLast: AuditRecord?
    var total = 0
    for file in files {
        let attributes = try FileManager.default.attributesOfItem(atPath: file)
        #expect((attributes[.size] as? Int ?? .max) <= 4_000, "\(file) exceeds maxBytes")
        let records = try lines(of: file).map { try AuditLine.decode(Array($0.utf8)) }
        total += records.count
        if let previousLast, let first = records.first {
            #expect(first.prev == previousLast.hash, "\(file) does not continue the chain")
            #expect(first.seq == previousLast.seq + 1)
        }
        previousLast = records.last
    }
    #expect(total == 200)
    #expect(try AuditVerifier.verify(files: files).get().records == 200)
}

@Test func tamperingInALaterFileNamesThatFile() async throws {
    let dir = try ScratchDirectory()
    defer { dir.remove() }
    let sink = try RotatingFileSink(directory: dir.path, maxBytes: 3_000)
    let writer = AuditWriter(sinks: [sink], configuration: .init(capacity: 8, sync: .never))
    for index in 1...60 { try await writer.append(sampleEntry(index)) }
    try await writer.close()
    let files = RotatingFileSink.files(directory: dir.path)
    #expect(files.count >= 3)
    var content = try lines(of: files[2])
    content.remove(at: 0)
    try writeLines(content, to: files[2])
    let result = AuditVerifier.verify(files: files)
    guard case .failure(let failure) = result else {
        Issue.record("deleted first line of a rotated file went unnoticed")
        return
    }
    #expect(failure.file == files[2])
    #expect(failure.line == 1)
    #expect(failure.code == .prevMismatch)
    // Dropping a whole file breaks the chain at the next file's first line.
    let skipped = AuditVerifier.verify(files: [files[0], files[1]] + files[3...])
    guard case .failure(let gap) = skipped else {
        Issue.record("missing file went unnoticed")
        return
    }
    #expect(gap.file == files[3])
    #expect(gap.line == 1)
}

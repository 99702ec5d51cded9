import AuditLog
import Foundation
import GatewayTesting
import Testing

/// `rta-gateway audit verify`: the chain written by `AuditWriter` across rotated
/// files verifies; an edited, removed or unreadable line is named as FILE:LINE; a
/// series pruned by retention verifies from its anchor, one repaired after a torn
/// write verifies whole.
@Suite struct AuditVerifyCommandTests {
    /// Five records written by the real writer into files of two lines each.
    struct Series {
        let directory: TemporaryDirectory
        let files: [String]
        let records: [AuditRecord]
    }

    static let entries = (1...5).map { index in
        AuditEntry(ts: 1_700_000_000_000 + UInt64(index), kind: .request, decision: index == 3 ? .block : .allow,
                   reason: "test", subject: "https://idp|alice", route: "orders", method: "GET", path: "/orders/\(index)",
                   status: index == 3 ? 403 : 200)
    }

    func writeSeries() async throws -> Series {
        let directory = try TemporaryDirectory()
        var head = AuditChainHead.genesis
        let records = Self.entries.map { entry in
            let record = AuditRecord.seal(entry, after: head)
            head = AuditChainHead(after: record)
            return record
        }
        let lineBytes = UInt64(records[0].line.count + 1)
        let sink = try RotatingFileSink(directory: directory.path, maxBytes: lineBytes * 2 + lineBytes / 2)
        let writer = AuditWriter(sinks: [sink], configuration: .init(capacity: 1, sync: .never))
        for entry in Self.entries {
            try await writer.append(entry)
            try await writer.flush()
        }
        try await writer.close()
        #expect(writer.head == head)
        let files = RotatingFileSink.files(directory: directory.path)
        #expect(files.count == 3)
        return Series(directory: directory, files: files, records: records)
    }

    func verify(_ files: [String]) async throws -> ProcessResult {
        try await runProcess(GatewayProcess.executablePath(), ["audit", "verify"] + files, timeout: .seconds(60))
    }

    func lines(of file: String) throws -> [String] {
        try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    func write(_ lines: [String], to file: String) throws {
        try lines.map { $0 + "\n" }.joined().write(toFile: file, atomically: true, encoding: .utf8)
    }

    @Test func intactChainAcrossRotatedFilesVerifies() async throws {
        let series = try await writeSeries()
        let result = try await verify(series.files)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput == "OK: 5 records, head \(series.records[4].hash)\n")
        #expect(result.standardError == "")
    }

    @Test func editedLineIsNamedWithFileAndLine() async throws {
        let series = try await writeSeries()
        let original = series.records[2]
        var edited = original.entry
        edited.decision = .allow
        edited.status = 200
        let tampered = AuditRecord(seq: original.seq, entry: edited, prev: original.prev, hash: original.hash)
        var second = try lines(of: series.files[1])
        #expect(second[0] == String(decoding: original.line, as: UTF8.self))
        second[0] = String(decoding: tampered.line, as: UTF8.self)
        try write(second, to: series.files[1])

        let result = try await verify(series.files)
        #expect(result.status == 1)
        #expect(result.standardOutput == "")
        #expect(result.standardError == """
            \(series.files[1]):1: hash_mismatch: seq 3: hash \(original.hash) but the record hashes to \
            \(tampered.computedHash) (line was modified)

            """)
    }

    @Test func removedLineBreaksTheChainAtTheNextLine() async throws {
        let series = try await writeSeries()
        var first = try lines(of: series.files[0])
        first.removeLast()
        try write(first, to: series.files[0])

        let result = try await verify(series.files)
        #expect(result.status == 1)
        #expect(result.standardError == """
            \(series.files[1]):1: prev_mismatch: seq 3: prev \(series.records[1].hash) but the previous record's hash is \
            \(series.records[0].hash) (a line was removed, inserted or moved before this one)

            """)
    }

    @Test func filesOutOfOrderFail() async throws {
        let series = try await writeSeries()
        let result = try await verify([series.files[1], series.files[0], series.files[2]])
        #expect(result.status == 1)
        #expect(result.standardError.hasPrefix("\(series.files[1]):1: prev_mismatch: seq 3: "))
    }

    @Test func unreadableFileExitsTwo() async throws {
        let series = try await writeSeries()
        let missing = series.directory.path + "/missing.jsonl"
        let result = try await verify([series.files[0], missing])
        #expect(result.status == 2)
        #expect(result.standardError == "\(missing):0: unreadable: cannot read file\n")
    }

    @Test func prunedSeriesVerifiesFromItsAnchorAndSaysSo() async throws {
        let directory = try TemporaryDirectory()
        let lineBytes = UInt64(AuditRecord.seal(Self.entries[0], after: .genesis).line.count + 1)
        let sink = try RotatingFileSink(directory: directory.path, maxBytes: lineBytes * 2 + lineBytes / 2,
                                        retention: AuditRetention(maxFiles: 2))
        let writer = try AuditWriter.resuming(fileSink: sink, configuration: .init(capacity: 1, sync: .never))
        for entry in Self.entries { try await writer.append(entry) }
        try await writer.close()
        let files = RotatingFileSink.files(directory: directory.path)
        #expect(files.map { ($0 as NSString).lastPathComponent } == ["audit.000002.jsonl", "audit.000003.jsonl"])

        let result = try await verify(files)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput == """
            OK: 3 records from seq 3 (older files deleted by retention, anchor \(directory.path)/audit.anchor.json), \
            head \(writer.head.prevHash)

            """)
        // The anchor covers what retention deleted, not a kept file deleted by hand.
        let gap = try await verify([files[1]])
        #expect(gap.status == 1)
        #expect(gap.standardError.hasPrefix("\(files[1]):1: prev_mismatch: seq 5: "))
    }

    @Test func seriesWithATornTailVerifiesOnceTheWriterRestarted() async throws {
        let series = try await writeSeries()
        let torn = Array(#"{"seq":6,"ts":17000000"#.utf8)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: series.files[2]))
        try handle.seekToEnd()
        try handle.write(contentsOf: torn)
        try handle.close()
        let before = try await verify(series.files)
        #expect(before.status == 1)
        #expect(before.standardError.hasPrefix("\(series.files[2]):2: truncated: "))

        let writer = try AuditWriter.resuming(fileSink: try RotatingFileSink(directory: series.directory.path))
        try await writer.append(Self.entries[0])
        try await writer.close()
        let files = RotatingFileSink.files(directory: series.directory.path)
        let after = try await verify(files)
        #expect(after.status == 0, "\(after.standardError)")
        #expect(after.standardOutput == "OK: 6 records, head \(writer.head.prevHash)\n")
        let names = try FileManager.default.contentsOfDirectory(atPath: series.directory.path)
        let sidecar = try #require(names.first { $0.hasPrefix("audit.000003.jsonl.torn-") })
        #expect(try Data(contentsOf: URL(fileURLWithPath: series.directory.path + "/" + sidecar)) == Data(torn))
    }
}

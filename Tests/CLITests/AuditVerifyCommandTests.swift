import AuditLog
import Foundation
import GatewayTesting
import Testing

/// `rta-gateway audit verify`: the chain written by `AuditWriter` across rotated
/// files verifies; an edited, removed or unreadable line is named as FILE:LINE.
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
}

import AuditLog
import Foundation
import Testing

@Test func tenThousandConcurrentAppendsProduceTenThousandLines() async throws {
    let dir = try ScratchDirectory()
    defer { dir.remove() }
    let sink = try RotatingFileSink(directory: dir.path)
    let writer = AuditWriter(sinks: [sink], configuration: .init(capacity: 64, sync: .interval(milliseconds: 50)))
    try await withThrowingTaskGroup(of: Void.self) { group in
        for worker in 0..<8 {
            group.addTask {
                for index in 0..<1_250 { try await writer.append(sampleEntry(worker * 1_250 + index)) }
            }
        }
        try await group.waitForAll()
    }
    try await writer.close()
    let written = try lines(of: sink.currentPath)
    #expect(written.count == 10_000)
    let records = try written.map { try AuditLine.decode(Array($0.utf8)) }
    #expect(records.map(\.seq) == Array(1...10_000))
    #expect(Set(records.map(\.entry.path)).count == 10_000)
    let summary = try AuditVerifier.verify(files: [sink.currentPath]).get()
    #expect(summary.records == 10_000)
    #expect(writer.head == summary.head)
}

@Test func fullQueueSuspendsAppendUntilTheSinkCatchesUp() async throws {
    let dir = try ScratchDirectory()
    defer { dir.remove() }
    let slow = SlowFileSink(inner: try RotatingFileSink(directory: dir.path), delay: 0.3)
    let writer = AuditWriter(sinks: [slow], configuration: .init(capacity: 2, sync: .never))

    try await writer.append(sampleEntry(1))
    #expect(await eventually { slow.started == 1 })  // the writer is now stuck in a 300 ms write
    try await writer.append(sampleEntry(2))
    try await writer.append(sampleEntry(3))
    #expect(writer.queuedCount == 2)

    let blocked = Task { try await writer.append(sampleEntry(4)) }
    #expect(await eventually { writer.suspendedAppends == 1 })
    #expect(writer.queuedCount == 2)
    try await blocked.value
    #expect(writer.suspendedAppends == 0)
    try await writer.close()
    let written = try lines(of: (slow.inner.currentPath))
    #expect(written.map { try? AuditLine.decode(Array($0.utf8)).entry.path } == (1...4).map { "/orders/\($0)" })
}

/// A revocation's ~1,000 records arrive at once; the writer yields its CPU every few
/// records while sealing them but still writes them as one batch, in order, chained.
@Test func aBatchLongerThanTheYieldIntervalIsWrittenWholeAndInOrder() async throws {
    let dir = try ScratchDirectory()
    defer { dir.remove() }
    let slow = SlowFileSink(inner: try RotatingFileSink(directory: dir.path), delay: 0.2)
    let writer = AuditWriter(sinks: [slow], configuration: .init(capacity: 4_096, sync: .never))
    try await writer.append(sampleEntry(0))
    #expect(await eventually { slow.started == 1 })
    let queued = 1_000
    for index in 1...queued { try await writer.append(sampleEntry(index)) }
    try await writer.close()
    #expect(slow.batches == [1, queued])
    let records = try lines(of: slow.inner.currentPath).map { try AuditLine.decode(Array($0.utf8)) }
    #expect(records.map(\.entry.path) == (0...queued).map { "/orders/\($0)" })
    #expect(try AuditVerifier.verify(files: [slow.inner.currentPath]).get().records == queued + 1)
}

@Test func flushWaitsForWrittenRecordsUnderEveryPolicy() async throws {
    for policy: AuditSyncPolicy in [.never, .everyRecord, .interval(milliseconds: 10_000)] {
        let dir = try ScratchDirectory()
        defer { dir.remove() }
        let sink = try RotatingFileSink(directory: dir.path)
        let writer = AuditWriter(sinks: [sink], configuration: .init(capacity: 8, sync: policy))
        for index in 1...20 { try await writer.append(sampleEntry(index)) }
        try await writer.flush()
        #expect(try lines(of: sink.currentPath).count == 20, "\(policy)")
        #expect(writer.head.nextSeq == 21)
        try await writer.close()
    }
}

/// What the signal receiver's `202` waits for: its records in the file, behind a slow
/// write, with an fsync only where the policy asks for one per record (`flush()`
/// always syncs).
@Test func waitUntilWrittenWaitsForTheWriteAndSyncsOnlyAsThePolicySays() async throws {
    let policies: [(AuditSyncPolicy, syncsPerRecord: Bool)] = [
        (.never, false), (.interval(milliseconds: 10_000), false), (.everyRecord, true),
    ]
    for (policy, syncsPerRecord) in policies {
        let dir = try ScratchDirectory()
        defer { dir.remove() }
        let slow = SlowFileSink(inner: try RotatingFileSink(directory: dir.path), delay: 0.1)
        let writer = AuditWriter(sinks: [slow], configuration: .init(capacity: 64, sync: policy))
        for index in 1...20 { try await writer.append(sampleEntry(index)) }
        try await writer.waitUntilWritten()
        #expect(try lines(of: slow.inner.currentPath).count == 20, "\(policy)")
        #expect((slow.syncs > 0) == syncsPerRecord, "\(policy): \(slow.syncs) syncs")
        let syncsBefore = slow.syncs
        try await writer.flush()
        #expect(syncsPerRecord || slow.syncs > syncsBefore, "\(policy): flush syncs")
        try await writer.close()
    }
}

@Test func closedWriterRefusesAppends() async throws {
    let dir = try ScratchDirectory()
    defer { dir.remove() }
    let writer = AuditWriter(sinks: [try RotatingFileSink(directory: dir.path)])
    try await writer.append(sampleEntry(1))
    try await writer.close()
    await #expect(throws: AuditError(.closed, "audit writer is closed")) {
        try await writer.append(sampleEntry(2))
    }
}

@Test func sinkFailureStopsTheWriterAndFailsAppends() async throws {
    let dir = try ScratchDirectory()
    defer { dir.remove() }
    let sink = try RotatingFileSink(directory: dir.path)
    try sink.close()  // a sink whose descriptor is gone: every write fails
    let writer = AuditWriter(sinks: [sink], configuration: .init(capacity: 4, sync: .never))
    try await writer.append(sampleEntry(1))
    await #expect(throws: AuditError.self) { try await writer.flush() }
    await #expect(throws: AuditError.self) { try await writer.waitUntilWritten() }
    do {
        try await writer.append(sampleEntry(2))
        Issue.record("append after a sink failure succeeded")
    } catch {
        #expect(error.code == .writeFailed)
    }
}

@Test func restartedWriterContinuesTheChain() async throws {
    let dir = try ScratchDirectory()
    defer { dir.remove() }
    let first = AuditWriter(sinks: [try RotatingFileSink(directory: dir.path)])
    for index in 1...3 { try await first.append(sampleEntry(index)) }
    try await first.close()

    let second = try AuditWriter.resuming(fileSink: try RotatingFileSink(directory: dir.path))
    #expect(second.head.nextSeq == 4)
    for index in 4...6 { try await second.append(sampleEntry(index)) }
    try await second.close()
    let files = RotatingFileSink.files(directory: dir.path)
    #expect(try AuditVerifier.verify(files: files).get().records == 6)
}

/// Without `flush`, a record must reach the file both while the writer polls (just after
/// a batch, no wake-up) and after it went back to sleep (woken by the append).
@Test func appendsAreWrittenWithoutFlushWhetherTheWriterPollsOrSleeps() async throws {
    let dir = try ScratchDirectory()
    defer { dir.remove() }
    let sink = try RotatingFileSink(directory: dir.path)
    let writer = AuditWriter(sinks: [sink], configuration: .init(capacity: 16, sync: .never))
    func lineCount() -> Int { (try? lines(of: sink.currentPath).count) ?? 0 }

    try await writer.append(sampleEntry(1))
    #expect(await eventually { lineCount() == 1 })
    try await writer.append(sampleEntry(2))
    #expect(await eventually { lineCount() == 2 })
    // Past the idle looks (8 x 1 ms): the writer sleeps and the next append must wake it.
    try await Task.sleep(for: .milliseconds(100))
    try await writer.append(sampleEntry(3))
    #expect(await eventually { lineCount() == 3 })
    for index in 4...40 {
        try await writer.append(sampleEntry(index))
        if index % 10 == 0 { try await Task.sleep(for: .milliseconds(20)) }
    }
    #expect(await eventually { lineCount() == 40 })
    try await writer.close()
    #expect(try AuditVerifier.verify(files: [sink.currentPath]).get().records == 40)
}

#if os(Linux)
@Test func theWriterThreadCarriesItsNameForProcessTools() async throws {
    let dir = try ScratchDirectory()
    defer { dir.remove() }
    let writer = AuditWriter(sinks: [try RotatingFileSink(directory: dir.path)], configuration: .init(sync: .never))
    let threadNames = {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        return tasks.compactMap { try? String(contentsOfFile: "/proc/self/task/\($0)/comm", encoding: .utf8) }
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
    }
    #expect(await eventually { threadNames().contains(AuditWriter.threadName) })
    try await writer.close()
}
#endif

import Dispatch
import Foundation
import Logging
import Synchronization

/// The single writer of the audit chain. Requests hand it entries; one dedicated
/// thread seals them (seq, prev, hash) in arrival order and writes them to the
/// sinks, so blocking write(2)/fsync(2) never run on the request path or on Swift
/// concurrency's shared threads.
///
/// Backpressure, not loss: the queue holds `capacity` entries. When it is full,
/// `append` suspends until the writer frees a slot, so requests wait for the audit
/// log rather than outrun it, and nothing is ever dropped. Suspended appends are
/// admitted in the order they arrived. `append` ignores task cancellation for the
/// same reason: a decision that was made is recorded.
///
/// Waking the writer costs the request a system call (futex), so under steady load it
/// does not wait to be woken: after writing a batch it looks again every
/// `pollInterval` and only goes back to sleep (and to being woken) after
/// `idlePollsBeforeSleep` empty looks. A record is then written at most one interval
/// after its `append` returned, and requests append without a system call.
///
/// If a sink fails, the writer stops: every pending and later `append` throws, and
/// the caller fails closed. Call `close()` at shutdown; it drains the queue, syncs
/// and closes the sinks.
public final class AuditWriter: Sendable {
    public struct Configuration: Sendable {
        /// Entries the queue holds before `append` suspends.
        public var capacity: Int
        public var sync: AuditSyncPolicy

        public init(capacity: Int = 4_096, sync: AuditSyncPolicy = .interval(milliseconds: 1_000)) {
            self.capacity = max(1, capacity)
            self.sync = sync
        }
    }

    private typealias Completion = CheckedContinuation<Result<Void, AuditError>, Never>

    private struct State {
        var buffer: [AuditEntry] = []
        var waiters: [(entry: AuditEntry, completion: Completion)] = []
        var accepted: UInt64 = 0
        var written: UInt64 = 0
        var synced: UInt64 = 0
        /// `sync`: the waiter also needs the records synced, whatever the policy.
        var flushes: [(target: UInt64, sync: Bool, completion: Completion)] = []
        var closers: [Completion] = []
        var closing = false
        var finished = false
        /// The writer thread looks for entries on its own: appends need not wake it.
        var writerPolling = false
        var failure: AuditError?
        var head: AuditChainHead
    }

    private let sinks: [any AuditSink]
    private let configuration: Configuration
    private let logger: Logger
    private let state: Mutex<State>
    /// Set once, when the writer stops after a sink error; read on every request
    /// (`hasFailed`) without taking the lock appends and the writer thread share.
    private let failed = Atomic<Bool>(false)
    private let wakeup = DispatchSemaphore(value: 0)
    /// 5 ms rather than 1: at one request every ~0.4 ms the writer woke for every second
    /// record and spent 14 µs of CPU per record; at 5 ms it wakes for one in nine, 6.7 µs
    /// (docs/benchmarks.md). Records reach the file at most this much later;
    /// `flush()` and `waitUntilWritten()` (the signal receiver's 202) wake the writer at once.
    static let pollInterval = DispatchTimeInterval.milliseconds(5)
    static let idlePollsBeforeSleep = 8
    /// The writer offers its CPU (`sched_yield`) after every this many records it seals.
    /// A revocation queues ~1,000 records at once, ~3 ms of sealing on a small machine.
    /// Linux (EEVDF) lets a running thread finish its slice before a thread woken onto the
    /// same CPU runs, whatever their nice values, so the QUIC loop woken with a revoked
    /// agent's `401` waited out the whole batch (3.1 ms in a scheduler trace, while the
    /// other CPU sat idle), and so did the rest of the signal's handling. Yielding bounds
    /// that wait to a few records (~25 µs); with no other thread ready `sched_yield`
    /// returns at once, and the writer keeps its share of the CPU. 8 measured better than
    /// 32 and no worse than 2 (docs/benchmarks.md, revocation).
    static let yieldEvery = 8

    /// Starts the writer thread. `head` continues an existing chain (see `resuming`).
    public init(
        sinks: [any AuditSink], configuration: Configuration = Configuration(), head: AuditChainHead = .genesis,
        logger: Logger = Logger(label: "rta.audit")
    ) {
        self.sinks = sinks
        self.configuration = configuration
        self.logger = logger
        self.state = Mutex(State(head: head))
        let thread = Thread { [self] in
            Thread.current.name = Self.threadName
            self.run()
        }
        thread.start()
    }

    /// A writer that continues the chain already in `fileSink`'s files, after
    /// `RotatingFileSink.recover()` set a torn tail aside and checked the file it
    /// continues (a chain that does not verify there throws `chain_broken`).
    public static func resuming(
        fileSink: RotatingFileSink, otherSinks: [any AuditSink] = [], configuration: Configuration = Configuration(),
        logger: Logger = Logger(label: "rta.audit")
    ) throws(AuditError) -> AuditWriter {
        let head = try fileSink.recover()
        return AuditWriter(sinks: [fileSink] + otherSinks, configuration: configuration, head: head, logger: logger)
    }

    /// Queues `entry`; suspends while the queue is full. Returns once the entry is
    /// queued (not yet written: `waitUntilWritten()` and `flush()` wait for that).
    public func append(_ entry: AuditEntry) async throws(AuditError) {
        let capacity = configuration.capacity
        // nil: the queue is full, wait below. Otherwise whether the writer needs waking.
        let immediate: Result<Bool, AuditError>? = state.withLock { state in
            if let failure = state.failure { return .failure(failure) }
            if state.closing { return .failure(AuditError(.closed, "audit writer is closed")) }
            guard state.waiters.isEmpty, state.buffer.count < capacity else { return nil }
            state.buffer.append(entry)
            state.accepted += 1
            return .success(!state.writerPolling)
        }
        if let immediate {
            if try immediate.get() { wakeup.signal() }
            return
        }
        let result = await withCheckedContinuation { (completion: Completion) in
            let now: Result<Void, AuditError>? = state.withLock { state in
                if let failure = state.failure { return .failure(failure) }
                if state.closing { return .failure(AuditError(.closed, "audit writer is closed")) }
                if state.waiters.isEmpty, state.buffer.count < capacity {
                    state.buffer.append(entry)
                    state.accepted += 1
                    return .success(())
                }
                state.waiters.append((entry, completion))
                return nil
            }
            if let now { completion.resume(returning: now) }
        }
        try result.get()
        wakeup.signal()
    }

    /// Waits until every entry whose `append` has returned is written and synced,
    /// whatever the sync policy.
    public func flush() async throws(AuditError) {
        try await waitForWriter(sync: true)
    }

    /// Waits until every entry whose `append` has returned is written to the sinks,
    /// and synced only if the sync policy says so (`.everyRecord`). This is what the
    /// signal receiver's `202` waits for: a transmitter forgets a SET once it is
    /// acknowledged, so its records must be in the log by then, as durable as the
    /// operator chose, without adding an fsync the policy does not ask for.
    public func waitUntilWritten() async throws(AuditError) {
        try await waitForWriter(sync: false)
    }

    private func waitForWriter(sync: Bool) async throws(AuditError) {
        let result = await withCheckedContinuation { (completion: Completion) in
            let now: Result<Void, AuditError>? = state.withLock { state in
                if let failure = state.failure { return .failure(failure) }
                if state.finished { return .success(()) }
                state.flushes.append((state.accepted, sync, completion))
                return nil
            }
            if let now { completion.resume(returning: now) } else { wakeup.signal() }
        }
        try result.get()
    }

    /// Refuses new entries, drains the queue (suspended appends included), syncs and
    /// closes the sinks, and stops the thread.
    public func close() async throws(AuditError) {
        let result = await withCheckedContinuation { (completion: Completion) in
            let now: Result<Void, AuditError>? = state.withLock { state in
                if state.finished { return state.failure.map { .failure($0) } ?? .success(()) }
                state.closing = true
                state.closers.append(completion)
                return nil
            }
            if let now { completion.resume(returning: now) } else { wakeup.signal() }
        }
        try result.get()
    }

    /// True once a sink failed and the writer stopped: nothing more will be recorded,
    /// so the gateway refuses what it would have to audit (fail closed).
    public var hasFailed: Bool { failed.load(ordering: .acquiring) }

    /// Where the chain stands after the last written record.
    public var head: AuditChainHead { state.withLock { $0.head } }
    /// Entries queued and not yet taken by the writer thread.
    public var queuedCount: Int { state.withLock { $0.buffer.count } }
    /// `append` calls suspended because the queue is full (a backpressure gauge).
    public var suspendedAppends: Int { state.withLock { $0.waiters.count } }

    // MARK: Writer thread

    /// What `top -H`, `perf` and `/proc/<pid>/task/*/comm` show for the writer thread.
    /// Set from the thread itself: on Linux, Foundation does not pass a name set before
    /// `start()` on to the thread (which then showed as a Dispatch worker), and the
    /// kernel keeps at most 15 bytes.
    public static let threadName = "rta-audit"

    private func run() {
        var head = state.withLock { $0.head }
        var written: UInt64 = 0
        var unsyncedSince: DispatchTime?
        var idlePolls: Int?
        while true {
            var deadline = idlePolls.map { _ in DispatchTime.now() + Self.pollInterval }
            if case .interval(let milliseconds) = configuration.sync, let since = unsyncedSince {
                let syncAt = since + .milliseconds(Int(clamping: milliseconds))
                deadline = min(deadline ?? syncAt, syncAt)
            }
            if let deadline {
                _ = wakeup.wait(timeout: deadline)
            } else {
                wakeup.wait()
            }
            if case .interval(let milliseconds) = configuration.sync, let since = unsyncedSince,
               DispatchTime.now() >= since + .milliseconds(Int(clamping: milliseconds)) {
                guard syncSinks(written: written) else { return }
                unsyncedSince = nil
            }

            let (batch, admitted) = takeBatch()
            for completion in admitted { completion.resume(returning: .success(())) }
            if !admitted.isEmpty { wakeup.signal() }

            if !batch.isEmpty {
                var lines: [[UInt8]] = []
                lines.reserveCapacity(batch.count)
                for (index, entry) in batch.enumerated() {
                    if index > 0, index % Self.yieldEvery == 0 { sched_yield() }
                    let (record, line) = AuditRecord.sealedLine(entry, after: head)
                    head = AuditChainHead(after: record)
                    lines.append(line)
                }
                do {
                    for sink in sinks { try sink.write(lines: lines) }
                } catch {
                    fail(error)
                    return
                }
                written += UInt64(batch.count)
                state.withLock { state in
                    state.written = written
                    state.head = head
                }
                switch configuration.sync {
                case .never: break
                case .everyRecord:
                    guard syncSinks(written: written) else { return }
                case .interval(let milliseconds):
                    let now = DispatchTime.now()
                    let since = unsyncedSince ?? now
                    if now >= since + .milliseconds(Int(clamping: milliseconds)) {
                        guard syncSinks(written: written) else { return }
                        unsyncedSince = nil
                    } else {
                        unsyncedSince = since
                    }
                }
            }

            idlePolls = nextPollingState(idlePolls, wroteBatch: !batch.isEmpty)
            guard completeFlushes(written: written) else { return }
            if case .interval = configuration.sync, state.withLock({ $0.synced == written }) {
                unsyncedSince = nil
            }
            if state.withLock({ $0.closing && $0.buffer.isEmpty && $0.waiters.isEmpty }) {
                finish()
                return
            }
        }
    }

    /// nil: sleep until woken. Polling starts with a written batch and ends after
    /// `idlePollsBeforeSleep` empty looks, but only if the queue is still empty when the
    /// flag is cleared, under the same lock appends take, so no entry waits unseen.
    private func nextPollingState(_ idlePolls: Int?, wroteBatch: Bool) -> Int? {
        if wroteBatch {
            if idlePolls == nil { state.withLock { $0.writerPolling = true } }
            return 0
        }
        guard let idlePolls else { return nil }
        guard idlePolls + 1 >= Self.idlePollsBeforeSleep else { return idlePolls + 1 }
        let asleep = state.withLock { state in
            guard state.buffer.isEmpty else { return false }
            state.writerPolling = false
            return true
        }
        return asleep ? nil : idlePolls + 1
    }

    /// Takes the queued entries and admits suspended appends into the freed slots.
    private func takeBatch() -> ([AuditEntry], [Completion]) {
        let capacity = configuration.capacity
        return state.withLock { state in
            let batch = state.buffer
            state.buffer.removeAll(keepingCapacity: true)
            var admitted: [Completion] = []
            while state.buffer.count < capacity, !state.waiters.isEmpty {
                let waiter = state.waiters.removeFirst()
                state.buffer.append(waiter.entry)
                state.accepted += 1
                admitted.append(waiter.completion)
            }
            return (batch, admitted)
        }
    }

    private func syncSinks(written: UInt64) -> Bool {
        do {
            for sink in sinks { try sink.sync() }
        } catch {
            fail(error)
            return false
        }
        state.withLock { $0.synced = written }
        return true
    }

    private func completeFlushes(written: UInt64) -> Bool {
        let (due, needsSync) = state.withLock { state -> ([Completion], Bool) in
            let ready = state.flushes.filter { $0.target <= written }
            state.flushes.removeAll { $0.target <= written }
            return (ready.map(\.completion), ready.contains { $0.sync } && state.synced < written)
        }
        guard !due.isEmpty else { return true }
        if needsSync {
            guard syncSinks(written: written) else { return false }
        }
        for completion in due { completion.resume(returning: .success(())) }
        return true
    }

    private func finish() {
        var failure: AuditError?
        for sink in sinks {
            do {
                try sink.close()
            } catch {
                failure = failure ?? error
            }
        }
        if let failure {
            logger.error("audit sink failed to close", metadata: ["error": "\(failure)"])
        }
        let pending = state.withLock { state -> [Completion] in
            state.finished = true
            state.failure = state.failure ?? failure
            let pending = state.closers + state.flushes.map(\.completion)
            state.closers = []
            state.flushes = []
            return pending
        }
        let result: Result<Void, AuditError> = failure.map { .failure($0) } ?? .success(())
        for completion in pending { completion.resume(returning: result) }
    }

    /// Stops the writer after a sink error: everyone waiting learns of it.
    private func fail(_ error: AuditError) {
        logger.critical("audit writer stopped; requests must fail closed", metadata: ["error": "\(error)"])
        failed.store(true, ordering: .releasing)
        let pending = state.withLock { state -> [Completion] in
            state.failure = error
            state.finished = true
            let pending = state.waiters.map(\.completion) + state.flushes.map(\.completion) + state.closers
            state.waiters = []
            state.flushes = []
            state.closers = []
            return pending
        }
        for sink in sinks { try? sink.close() }
        for completion in pending { completion.resume(returning: .failure(error)) }
    }
}

import Dispatch
import Foundation
import Logging
import Synchronization

/// Reloads a `PolicyStore` when its files change (polled) and when the process receives
/// SIGHUP, the operator's "reload now".
///
/// SIGHUP's default action terminates the process. On Darwin a dispatch signal source only
/// observes a signal, so the default must be replaced by `SIG_IGN`; on Linux libdispatch
/// installs its own handler (which forwards to a signalfd) when the source registers, and
/// setting `SIG_IGN` after that would discard the signal. So `start()` and `cancel()` set
/// `SIG_IGN` only while the disposition is still the default, and a process embedding the
/// watcher must not set SIGHUP's disposition itself afterwards. A failed reload is logged
/// by the store and the old set stays.
public final class PolicyWatcher: Sendable {
    private let store: PolicyStore
    private let interval: Duration
    private let poll: Bool
    private let logger: Logger
    private let queue = DispatchQueue(label: "rta.policy.watcher")
    private let running = Mutex<Running?>(nil)

    private struct Running {
        var task: Task<Void, Never>?
        var signalSource: DispatchSourceSignal
    }

    /// - Parameters:
    ///   - interval: time between polls (the config's `policies.reload.interval`).
    ///   - poll: false to reload on SIGHUP only (`policies.reload.watch: false`).
    public init(store: PolicyStore, interval: Duration, poll: Bool = true, logger: Logger = Logger(label: "rta.policy")) {
        self.store = store
        self.logger = logger
        self.interval = interval
        self.poll = poll
    }

    /// Convenience for the values of the store's own configuration.
    public convenience init(store: PolicyStore) {
        self.init(store: store, interval: store.configuration.interval, poll: store.configuration.watch)
    }

    /// Starts polling and SIGHUP handling; calling it twice has no further effect.
    public func start() {
        running.withLock { running in
            guard running == nil else { return }
            Self.ignoreHangupIfDefault()
            let source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: queue)
            let store = self.store
            let logger = self.logger
            source.setEventHandler { Self.reload(store, trigger: "SIGHUP", logger: logger) }
            source.resume()
            var task: Task<Void, Never>?
            if poll {
                let interval = self.interval
                task = Task.detached { await Self.pollLoop(store: store, interval: interval, logger: logger) }
            }
            running = Running(task: task, signalSource: source)
        }
    }

    /// Stops polling and SIGHUP handling. SIGHUP never reverts to its default action
    /// (a late signal would then kill the process).
    public func cancel() {
        running.withLock { running in
            running?.task?.cancel()
            running?.signalSource.cancel()
            running = nil
        }
        Self.ignoreHangupIfDefault()
    }

    /// Makes sure a SIGHUP can never take the default action (terminate), without
    /// replacing a handler libdispatch has installed.
    static func ignoreHangupIfDefault() {
        var current = sigaction()
        guard sigaction(SIGHUP, nil, &current) == 0 else { return }
        if current.__sigaction_handler.sa_handler == nil {
            signal(SIGHUP, SIG_IGN)
        }
    }

    deinit {
        cancel()
    }

    private static func pollLoop(store: PolicyStore, interval: Duration, logger: Logger) async {
        var last = PolicyFileFingerprint(configuration: store.configuration)
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            let now = PolicyFileFingerprint(configuration: store.configuration)
            if now != last {
                last = now
                reload(store, trigger: "file change", logger: logger)
            }
        }
    }

    private static func reload(_ store: PolicyStore, trigger: String, logger: Logger) {
        logger.info("reloading policies", metadata: ["trigger": "\(trigger)"])
        // The store logs the outcome either way; the previous set stays current on failure.
        _ = try? store.reload()
    }
}

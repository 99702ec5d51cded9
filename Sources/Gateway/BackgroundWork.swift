import GatewayPolicy
import Logging
import Synchronization

/// The gateway's periodic and reactive chores besides signals: watching the policy
/// files, carrying each reload to the sessions (`PolicyEpochPropagator`), and
/// purging revoked and expired sessions so the store does not grow without bound.
final class BackgroundWork: Sendable {
    static let purgeInterval = Duration.seconds(60)
    /// Sessions per purge step: about a millisecond under the store's lock.
    static let purgeSlice = 2_000

    private let watcher: PolicyWatcher?
    private let propagator: PolicyEpochPropagator?
    private let enforcement: TokenEnforcement?
    private let logger: Logger
    private let tasks = Mutex<[Task<Void, Never>]>([])

    init(policies: PolicyStore?, enforcement: TokenEnforcement?, metrics: GatewayMetrics, logger: Logger) {
        self.watcher = policies.map { PolicyWatcher(store: $0) }
        self.propagator = zip(policies, enforcement).map { store, enforcement in
            PolicyEpochPropagator(store: store, enforcement: enforcement, metrics: metrics, logger: logger)
        }
        self.enforcement = enforcement
        self.logger = logger
    }

    func start() {
        var started: [Task<Void, Never>] = []
        if let propagator { started.append(Task { await propagator.run() }) }
        if let enforcement {
            let logger = self.logger
            started.append(Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: Self.purgeInterval)
                    guard !Task.isCancelled else { return }
                    do {
                        while try await !enforcement.sessions.purge(limit: Self.purgeSlice).sweepFinished {
                            await Task.yield()
                        }
                    } catch {
                        logger.warning("session purge failed", metadata: ["error": "\(error)"])
                    }
                }
            })
        }
        tasks.withLock { $0 += started }
        watcher?.start()
    }

    func stop() async {
        watcher?.cancel()
        let running = tasks.withLock { tasks in
            defer { tasks = [] }
            return tasks
        }
        for task in running { task.cancel() }
        for task in running { await task.value }
    }
}

/// Both values, or nil.
private func zip<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}

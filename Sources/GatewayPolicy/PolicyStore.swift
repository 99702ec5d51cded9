import Cedar
import GatewayConfig
import Logging
import Synchronization

/// The gateway's current Cedar policy set, reloadable while requests are being decided.
///
/// Readers take `snapshot`, an immutable value swapped under a mutex, so a decision never
/// sees half of a reload. `reload()` is all-or-nothing: when the new files do not parse or
/// validate, the last good snapshot stays in place and the error lists every problem.
/// Each success bumps `epoch` by one and is announced to `updates()` subscribers, which
/// is how sessions learn to rehash their context (PROTOCOL §3).
public final class PolicyStore: Sendable {
    private struct State {
        var current: PolicySnapshot?
        var lastEpoch: UInt64
        var subscribers: [Int: AsyncStream<PolicySnapshot>.Continuation] = [:]
        var nextSubscriber = 0
    }

    public let configuration: PoliciesConfig
    private let loader: PolicyLoader
    private let logger: Logger
    private let state: Mutex<State>
    /// Held for a whole reload so that concurrent triggers (poll and SIGHUP) cannot
    /// publish an older read of the files after a newer one.
    private let reloading = Mutex(())

    /// Does not read any file; call `reload()` to load the first set.
    /// - Parameter initialEpoch: the epoch before the first load, so a restarted gateway
    ///   can continue past epochs it handed out before (the first load gets `initialEpoch + 1`).
    public init(configuration: PoliciesConfig, initialEpoch: UInt64 = 0, logger: Logger = Logger(label: "rta.policy")) {
        self.configuration = configuration
        self.loader = PolicyLoader(configuration: configuration)
        self.logger = logger
        self.state = Mutex(State(lastEpoch: initialEpoch))
    }

    /// The set in force, or nil when no load has succeeded yet (decisions then deny).
    public var snapshot: PolicySnapshot? {
        state.withLock { $0.current }
    }

    /// The epoch of the set in force; `initialEpoch` before the first successful load.
    public var epoch: UInt64 {
        state.withLock { $0.lastEpoch }
    }

    /// Reads every file again and, if all of them parse and validate, makes the result
    /// current with the next epoch.
    /// - Throws: `PolicyLoadError` listing every problem; the previous set stays current.
    @discardableResult
    public func reload() throws(PolicyLoadError) -> PolicySnapshot {
        let outcome = reloading.withLock { _ in publish(loader.attempt()) }
        return try outcome.get()
    }

    /// Makes a successful load current under the next epoch, or logs a failed one.
    private func publish(_ attempt: Result<PolicyLoader.Loaded, PolicyLoadError>) -> Result<PolicySnapshot, PolicyLoadError> {
        let loaded: PolicyLoader.Loaded
        switch attempt {
        case .failure(let error):
            let kept = snapshot.map { "policy reload failed; keeping epoch \($0.epoch)" } ?? "policies do not load"
            logger.error("\(kept)", metadata: ["problems": .array(error.problems.map { .string($0.description) })])
            return .failure(error)
        case .success(let value):
            loaded = value
        }
        let (snapshot, subscribers) = state.withLock { state in
            state.lastEpoch += 1
            let snapshot = PolicySnapshot(
                epoch: state.lastEpoch, policies: loaded.policies, entities: loaded.entities,
                schema: loaded.schema, files: loaded.files)
            state.current = snapshot
            return (snapshot, Array(state.subscribers.values))
        }
        logger.info("policies loaded", metadata: [
            "epoch": "\(snapshot.epoch)", "policies": "\(snapshot.policies.policies.count)",
            "entities": "\(snapshot.entities.count)",
        ])
        for subscriber in subscribers { subscriber.yield(snapshot) }
        return .success(snapshot)
    }

    /// Every snapshot made current after this call, in epoch order. Keeps only the
    /// newest if the consumer falls behind: observers care about the current set.
    public func updates() -> AsyncStream<PolicySnapshot> {
        let (stream, continuation) = AsyncStream.makeStream(of: PolicySnapshot.self, bufferingPolicy: .bufferingNewest(1))
        let id = state.withLock { state in
            let id = state.nextSubscriber
            state.nextSubscriber += 1
            state.subscribers[id] = continuation
            return id
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }
}

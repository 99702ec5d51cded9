import Synchronization

/// Whether the gateway should receive traffic. `/readyz` answers 503 until the QUIC
/// listener is up and calls `markReady()`, and again after `markNotReady()` (drain).
public final class ReadinessFlag: Sendable {
    private let ready = Atomic<Bool>(false)

    public init() {}

    public var isReady: Bool { ready.load(ordering: .acquiring) }
    public func markReady() { ready.store(true, ordering: .releasing) }
    public func markNotReady() { ready.store(false, ordering: .releasing) }
}

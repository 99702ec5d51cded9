/// Delay before the next poll after failures: doubles from `initial` up to `maximum`
/// and returns to zero on the first success, so a transmitter outage costs it one
/// request per `maximum` from us instead of a tight retry loop.
public struct PollBackoff: Sendable, Equatable {
    public let initial: Duration
    public let maximum: Duration
    public private(set) var failures: Int = 0

    public init(initial: Duration = .seconds(1), maximum: Duration = .seconds(60)) {
        self.initial = initial
        self.maximum = max(initial, maximum)
    }

    /// Records a failure and returns how long to wait before the next attempt.
    public mutating func failed() -> Duration {
        failures += 1
        var delay = initial
        for _ in 1..<failures {
            delay = delay * 2
            if delay >= maximum { return maximum }
        }
        return min(delay, maximum)
    }

    public mutating func succeeded() {
        failures = 0
    }
}

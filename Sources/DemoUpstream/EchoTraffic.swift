import Synchronization

/// Running byte counts of an `EchoUpstream`, across all its connections. Tests compare
/// them with what the client side has sent or received to bound how many bytes are in
/// flight inside a proxy at any moment.
public final class EchoTraffic: Sendable {
    private let received = Atomic<Int>(0)
    private let sent = Atomic<Int>(0)
    private let heads = Atomic<Int>(0)

    public init() {}

    /// Request body bytes read from sockets so far.
    public var receivedBodyBytes: Int { received.load(ordering: .relaxed) }
    /// `/bytes/N` body bytes handed to the socket so far.
    public var sentBodyBytes: Int { sent.load(ordering: .relaxed) }
    /// Request heads received so far: lets a test act once a request is known to be in flight.
    public var requestsStarted: Int { heads.load(ordering: .relaxed) }

    func didReceive(_ count: Int) { received.add(count, ordering: .relaxed) }
    func didSend(_ count: Int) { sent.add(count, ordering: .relaxed) }
    func didStartRequest() { heads.add(1, ordering: .relaxed) }
}

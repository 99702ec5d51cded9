/// Transport limits for every connection the listener accepts. The defaults favour
/// bounded memory per stream (a 256 KiB window) over peak single-stream throughput.
public struct QUICServerConfiguration: Sendable {
    public var idleTimeoutNanoseconds: UInt64 = 30_000_000_000
    public var handshakeTimeoutNanoseconds: UInt64 = 10_000_000_000
    public var initialStreamWindow: UInt64 = 256 * 1024
    public var maxStreamWindow: UInt64 = 1024 * 1024
    public var initialConnectionWindow: UInt64 = 8 * 1024 * 1024
    public var maxConnectionWindow: UInt64 = 16 * 1024 * 1024
    public var maxConcurrentStreams: UInt64 = 128

    public init() {}
}

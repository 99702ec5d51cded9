#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Wall-clock time in UNIX milliseconds, injected so expiry is tested (and replayed
/// by tools) without sleeping. A closure rather than a protocol: a test or `rtactl`
/// supplies a different source without declaring a type.
public struct TokenClock: Sendable {
    private let source: @Sendable () -> UInt64

    public init(_ source: @escaping @Sendable () -> UInt64) {
        self.source = source
    }

    public func now() -> UInt64 { source() }

    /// `CLOCK_REALTIME`; tokens are compared across machines, so wall time is right.
    public static let system = TokenClock {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return UInt64(spec.tv_sec) * 1_000 + UInt64(spec.tv_nsec) / 1_000_000
    }

    /// Always `milliseconds`: for checking a token "as of" a given moment.
    public static func fixed(_ milliseconds: UInt64) -> TokenClock {
        TokenClock { milliseconds }
    }
}

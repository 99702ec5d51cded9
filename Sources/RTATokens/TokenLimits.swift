/// The time limits of PROTOCOL.md §1 (`tokens.max_age`, `tokens.clock_skew`), in
/// milliseconds like every wire time.
public struct TokenLimits: Sendable, Equatable {
    public var maxAge: UInt64
    public var clockSkew: UInt64

    public init(maxAge: UInt64 = 300_000, clockSkew: UInt64 = 5_000) {
        self.maxAge = maxAge
        self.clockSkew = clockSkew
    }
}

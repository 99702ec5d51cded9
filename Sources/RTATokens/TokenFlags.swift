/// Token byte 3. Bits 2–7 are reserved and must be zero, so a future meaning can
/// never be silently ignored by this version.
public struct TokenFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8

    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    /// The session has a parent (sub-delegation, PROTOCOL.md §2).
    public static let delegated = TokenFlags(rawValue: 1 << 0)
    /// The session has a PoP key and can re-bind (PROTOCOL.md §4).
    public static let pop = TokenFlags(rawValue: 1 << 1)

    static let known: TokenFlags = [.delegated, .pop]
}

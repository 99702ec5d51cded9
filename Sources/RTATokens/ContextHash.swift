import Sodium

/// SHA-256 of a session's canonical authorization context (PROTOCOL.md §3), carried
/// in token bytes 24..<56. Equal hashes mean "same authorization facts".
public struct ContextHash: Sendable, Hashable, CustomStringConvertible {
    public static let length = 32

    public let bytes: [UInt8]

    public init(bytes: some Collection<UInt8>) throws(TokenError) {
        let raw = Array(bytes)
        guard raw.count == Self.length else {
            throw TokenError(.badLength, "context hash must be 32 bytes, got \(raw.count)")
        }
        self.bytes = raw
    }

    init(validated: [UInt8]) {
        self.bytes = validated
    }

    public var hex: String { Hex.encode(bytes) }
    public var description: String { hex }
}

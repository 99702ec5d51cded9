import Sodium

/// The random 128-bit id of an RTA session (token bytes 8..<24). Printed as 32
/// lowercase hex digits in JSON, headers and the audit log.
///
/// Held as two big-endian words, not a byte array: ids are dictionary keys on every
/// request and a revocation moves thousands of them, and an array costs a heap
/// allocation and reference counting per id. Ordering is the bytes' lexicographic order.
public struct SessionID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public static let length = 16

    private let high: UInt64
    private let low: UInt64

    public init(bytes: some Collection<UInt8>) throws(TokenError) {
        guard bytes.count == Self.length else {
            throw TokenError(.badLength, "session id must be 16 bytes, got \(bytes.count)")
        }
        self.init(validated: bytes)
    }

    public init(hex: String) throws(TokenError) {
        let raw: [UInt8]
        do {
            raw = try Hex.decode(hex)
        } catch {
            throw TokenError(.badEncoding, "session id: \(error.message)")
        }
        try self.init(bytes: raw)
    }

    /// A fresh id from the CSPRNG; 128 bits make collisions and guessing moot.
    public static func random() -> SessionID {
        SessionID(validated: SecureRandom.bytes(count: length))
    }

    /// `bytes` holds exactly `length` bytes.
    init(validated bytes: some Collection<UInt8>) {
        var words: (UInt64, UInt64) = (0, 0)
        for (index, byte) in bytes.enumerated() {
            if index < 8 {
                words.0 = words.0 << 8 | UInt64(byte)
            } else {
                words.1 = words.1 << 8 | UInt64(byte)
            }
        }
        (high, low) = words
    }

    public var bytes: [UInt8] {
        (0..<Self.length).map { index in
            UInt8(truncatingIfNeeded: (index < 8 ? high : low) >> (56 - 8 * UInt64(index % 8)))
        }
    }

    public var hex: String { Hex.encode(bytes) }
    public var description: String { hex }

    public static func < (lhs: SessionID, rhs: SessionID) -> Bool {
        (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }
}

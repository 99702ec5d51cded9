import Sodium
import Synchronization

/// The id of one authorization decision: sent upstream as `RTA-Decision`, returned in a
/// 403 body and written to the audit record, so the three can be joined (PROTOCOL.md §7).
enum DecisionID {
    /// Kernel randomness fetched 4 KiB at a time: one getrandom(2) per 256 ids instead
    /// of one per request (a system call was the largest part of making an id). Each id
    /// uses its own bytes, so ids stay independent and unpredictable from one another.
    private struct Pool {
        var bytes = [UInt8](repeating: 0, count: 4_096)
        var offset = 4_096

        mutating func take16() -> String {
            if offset + 16 > bytes.count {
                bytes = SecureRandom.bytes(count: bytes.count)
                offset = 0
            }
            defer { offset += 16 }
            return Hex.encode(bytes[offset..<offset + 16])
        }
    }

    private static let pool = Mutex(Pool())

    /// 128 random bits, 32 lowercase hex digits.
    static func random() -> String {
        pool.withLock { $0.take16() }
    }
}

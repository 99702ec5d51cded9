import Sodium

/// The id of one authorization decision: sent upstream as `RTA-Decision`, returned in a
/// 403 body and written to the audit record, so the three can be joined (PROTOCOL.md §7).
enum DecisionID {
    /// 128 random bits, 32 lowercase hex digits.
    static func random() -> String {
        SecureRandom.hex(count: 16)
    }
}

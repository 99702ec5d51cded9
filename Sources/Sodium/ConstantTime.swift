/// Comparison of secrets whose timing must not depend on where they differ (MACs,
/// hashes an attacker can probe). Lengths are public: unequal lengths return false
/// at once.
public enum ConstantTime {
    public static func equals(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
        let left = Array(a)
        let right = Array(b)
        guard left.count == right.count else { return false }
        return left.withUnsafeBytes { l in right.withUnsafeBytes { r in LibSodium.memcmp(l, r) } }
    }
}

/// Random bytes from libsodium's CSPRNG (getrandom(2) on Linux); used for session
/// ids, nonces and generated keys.
public enum SecureRandom {
    public static func bytes(count: Int) -> [UInt8] {
        _ = try? LibSodium.ensureInitialized()
        var output = [UInt8](repeating: 0, count: count)
        output.withUnsafeMutableBytes { LibSodium.randomFill($0) }
        return output
    }
}

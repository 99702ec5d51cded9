/// Random bytes from libsodium's CSPRNG (getrandom(2) on Linux); used for session
/// ids, nonces and generated keys.
public enum SecureRandom {
    public static func bytes(count: Int) -> [UInt8] {
        _ = try? LibSodium.ensureInitialized()
        var output = [UInt8](repeating: 0, count: count)
        output.withUnsafeMutableBytes { LibSodium.randomFill($0) }
        return output
    }

    /// `count` random bytes as lowercase hex. The bytes live on the stack and only the
    /// String is allocated: the gateway makes one of these (a decision id) per request.
    public static func hex(count: Int) -> String {
        _ = try? LibSodium.ensureInitialized()
        return withUnsafeTemporaryAllocation(byteCount: count, alignment: 1) { buffer in
            LibSodium.randomFill(buffer)
            return Hex.encode(UnsafeRawBufferPointer(buffer))
        }
    }
}

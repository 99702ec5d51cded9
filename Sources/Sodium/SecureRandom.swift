import Synchronization

/// Random bytes from libsodium's CSPRNG (getrandom(2) on Linux); used for session
/// ids, nonces and generated keys.
public enum SecureRandom {
    public static func bytes(count: Int) -> [UInt8] {
        _ = try? LibSodium.ensureInitialized()
        var output = [UInt8](repeating: 0, count: count)
        output.withUnsafeMutableBytes { LibSodium.randomFill($0) }
        return output
    }

    /// `count` random bytes as lowercase hex: identifiers (the gateway makes one, a
    /// decision id, per request). Taken from a 4 KiB pool of kernel randomness, so one
    /// getrandom(2) serves 256 ids of 16 bytes instead of one system call each (the
    /// largest part of making an id); each call gets bytes no other call saw, so ids stay
    /// independent and unpredictable. Keys and nonces use `bytes(count:)`, unpooled.
    public static func hex(count: Int) -> String {
        guard count <= HexPool.size else { return Hex.encode(bytes(count: count)) }
        return hexPool.withLock { $0.take(count) }
    }

    private struct HexPool {
        static let size = 4_096
        var bytes = [UInt8](repeating: 0, count: size)
        var offset = size

        mutating func take(_ count: Int) -> String {
            if offset + count > bytes.count {
                bytes = SecureRandom.bytes(count: Self.size)
                offset = 0
            }
            defer { offset += count }
            return Hex.encode(bytes[offset..<offset + count])
        }
    }

    private static let hexPool = Mutex(HexPool())
}

import CNgtcp2

/// Connection IDs, stateless-reset secrets and ngtcp2's own randomness come from
/// GnuTLS's CSPRNG: a predictable connection ID would let an off-path attacker inject
/// stateless resets.
enum SecureRandom {
    static func fill(_ pointer: UnsafeMutableRawPointer, count: Int) {
        if gnutls_rnd(GNUTLS_RND_RANDOM, pointer, count) != 0 {
            var generator = SystemRandomNumberGenerator()
            for index in 0..<count {
                pointer.storeBytes(of: UInt8.random(in: 0...255, using: &generator), toByteOffset: index, as: UInt8.self)
            }
        }
    }

    static func bytes(_ count: Int) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: count)
        result.withUnsafeMutableBytes { fill($0.baseAddress!, count: count) }
        return result
    }
}

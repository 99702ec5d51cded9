import CSodium

/// The only file that calls into libsodium. Every other type in this module goes
/// through here, so an audit of the C boundary reads one file (the swift-nio habit).
enum LibSodium {
    /// `sodium_init` runs exactly once: Swift guarantees a `static let` initialiser runs
    /// once even under concurrent first access. libsodium returns 0 on first success,
    /// 1 if already initialised, -1 on failure (no usable entropy source).
    private static let initStatus: Int32 = sodium_init()

    /// Key operations throw on failure. Hashing, base64 and random bytes call this
    /// with `try?`: they still work without it (`sodium_init` only picks CPU-specific
    /// implementations, and `randombytes_buf` initialises itself).
    static func ensureInitialized() throws(SodiumError) {
        if initStatus < 0 {
            throw SodiumError(.initializationFailed, "sodium_init failed (status \(initStatus))")
        }
    }

    static let ed25519SeedBytes = Int(crypto_sign_SEEDBYTES)
    static let ed25519PublicKeyBytes = Int(crypto_sign_PUBLICKEYBYTES)
    static let ed25519SecretKeyBytes = Int(crypto_sign_SECRETKEYBYTES)
    static let ed25519SignatureBytes = Int(crypto_sign_BYTES)
    static let sha256Bytes = Int(crypto_hash_sha256_BYTES)

    // MARK: Guarded secret memory

    /// Allocates `count` bytes with `sodium_malloc` (guard pages, locked when the OS allows).
    static func allocateSecret(count: Int) throws(SodiumError) -> UnsafeMutableRawPointer {
        guard let pointer = sodium_malloc(count) else {
            throw SodiumError(.allocationFailed, "sodium_malloc(\(count)) returned NULL")
        }
        return pointer
    }

    /// Zeroes and frees memory from `allocateSecret`.
    static func freeSecret(_ pointer: UnsafeMutableRawPointer) {
        sodium_free(pointer)
    }

    // MARK: Ed25519

    /// Derives the keypair for `seed` into `secretKey` (64 bytes) and returns the public key.
    static func ed25519SeedKeypair(seed: UnsafeRawBufferPointer, secretKey: UnsafeMutableRawPointer) -> [UInt8] {
        var publicKey = [UInt8](repeating: 0, count: ed25519PublicKeyBytes)
        publicKey.withUnsafeMutableBytes { pk in
            _ = crypto_sign_seed_keypair(
                pk.baseAddress!.assumingMemoryBound(to: UInt8.self),
                secretKey.assumingMemoryBound(to: UInt8.self),
                seed.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        return publicKey
    }

    static func ed25519SignDetached(message: UnsafeRawBufferPointer, secretKey: UnsafeRawPointer) -> [UInt8] {
        var signature = [UInt8](repeating: 0, count: ed25519SignatureBytes)
        signature.withUnsafeMutableBytes { sig in
            _ = crypto_sign_detached(
                sig.baseAddress!.assumingMemoryBound(to: UInt8.self), nil,
                message.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(message.count),
                secretKey.assumingMemoryBound(to: UInt8.self))
        }
        return signature
    }

    /// Sizes are checked by the caller; libsodium rejects non-canonical signatures and
    /// small-order public keys itself.
    static func ed25519VerifyDetached(
        signature: UnsafeRawBufferPointer, message: UnsafeRawBufferPointer, publicKey: UnsafeRawBufferPointer
    ) -> Bool {
        crypto_sign_verify_detached(
            signature.baseAddress!.assumingMemoryBound(to: UInt8.self),
            message.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(message.count),
            publicKey.baseAddress!.assumingMemoryBound(to: UInt8.self)) == 0
    }

    // MARK: Utilities

    static func memcmp(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        precondition(a.count == b.count, "memcmp needs equal lengths")
        if a.isEmpty { return true }
        return sodium_memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0
    }

    static func randomFill(_ buffer: UnsafeMutableRawBufferPointer) {
        guard let base = buffer.baseAddress else { return }
        randombytes_buf(base, buffer.count)
    }

    // MARK: SHA-256

    static func sha256Init(_ state: inout crypto_hash_sha256_state) {
        _ = crypto_hash_sha256_init(&state)
    }

    static func sha256Update(_ state: inout crypto_hash_sha256_state, _ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        _ = crypto_hash_sha256_update(&state, base.assumingMemoryBound(to: UInt8.self), UInt64(bytes.count))
    }

    static func sha256Final(_ state: inout crypto_hash_sha256_state) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: sha256Bytes)
        digest.withUnsafeMutableBytes { out in
            _ = crypto_hash_sha256_final(&state, out.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        return digest
    }

    // MARK: base64url (RFC 4648 §5, no padding)

    static func base64URLEncode(_ bytes: UnsafeRawBufferPointer) -> String {
        // 4 characters per started 3-byte group, minus padding, plus libsodium's NUL.
        let capacity = (bytes.count + 2) / 3 * 4 + 1
        var output = [CChar](repeating: 0, count: capacity)
        output.withUnsafeMutableBufferPointer { out in
            _ = sodium_bin2base64(
                out.baseAddress!, capacity,
                bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count,
                sodium_base64_VARIANT_URLSAFE_NO_PADDING)
        }
        return String(decoding: output.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Returns nil unless the whole input is canonical unpadded base64url: libsodium
    /// stops at the first invalid character (we require it to consume everything) and
    /// rejects non-zero leftover bits.
    static func base64URLDecode(_ text: [UInt8]) -> [UInt8]? {
        var output = [UInt8](repeating: 0, count: text.count * 3 / 4 + 1)
        var decodedLength = 0
        var end: UnsafePointer<CChar>? = nil
        let status = text.withUnsafeBufferPointer { input -> Int32 in
            input.withMemoryRebound(to: CChar.self) { chars in
                output.withUnsafeMutableBytes { out in
                    let result = sodium_base642bin(
                        out.baseAddress!.assumingMemoryBound(to: UInt8.self), out.count,
                        chars.baseAddress, chars.count, nil, &decodedLength, &end,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING)
                    if result == 0, let end, let base = chars.baseAddress, end != base + chars.count {
                        return -1
                    }
                    return result
                }
            }
        }
        guard status == 0 else { return nil }
        return Array(output.prefix(decodedLength))
    }
}

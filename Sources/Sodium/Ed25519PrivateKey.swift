/// An Ed25519 signing key (RFC 8032). The 64-byte libsodium secret key lives in
/// `sodium_malloc` memory that is zeroed when the key is released, so key material
/// never sits in a copy-on-write Swift array the runtime may duplicate.
///
/// Immutable after `init`, hence safe to share across tasks.
public final class Ed25519PrivateKey: @unchecked Sendable {
    public static let seedLength = 32

    private let secretKey: UnsafeMutableRawPointer
    /// The matching public key.
    public let publicKey: Ed25519PublicKey

    /// Derives the keypair from a 32-byte seed (the RFC 8032 "private key").
    public init(seed: some Collection<UInt8>) throws(SodiumError) {
        try LibSodium.ensureInitialized()
        let seedBytes = Array(seed)
        guard seedBytes.count == Self.seedLength else {
            throw SodiumError(.invalidSeedLength, "Ed25519 seed must be 32 bytes, got \(seedBytes.count)")
        }
        secretKey = try LibSodium.allocateSecret(count: LibSodium.ed25519SecretKeyBytes)
        let secretKey = self.secretKey
        let publicBytes = seedBytes.withUnsafeBytes { LibSodium.ed25519SeedKeypair(seed: $0, secretKey: secretKey) }
        publicKey = Ed25519PublicKey(validatedBytes: publicBytes)
    }

    /// A fresh key from libsodium's CSPRNG.
    public static func generate() throws(SodiumError) -> Ed25519PrivateKey {
        try Ed25519PrivateKey(seed: SecureRandom.bytes(count: seedLength))
    }

    deinit {
        LibSodium.freeSecret(secretKey)
    }

    /// The 32-byte seed, for writing a key file. Handle the result as secret.
    public var seed: [UInt8] {
        // libsodium's secret key layout is seed || public key.
        Array(UnsafeRawBufferPointer(start: secretKey, count: Self.seedLength))
    }

    /// A detached 64-byte Ed25519 signature over `message`.
    public func signature(for message: some Collection<UInt8>) -> [UInt8] {
        let secretKey = self.secretKey
        if let signature = message.withContiguousStorageIfAvailable({
            LibSodium.ed25519SignDetached(message: UnsafeRawBufferPointer($0), secretKey: secretKey)
        }) {
            return signature
        }
        return Array(message).withUnsafeBytes { LibSodium.ed25519SignDetached(message: $0, secretKey: secretKey) }
    }
}

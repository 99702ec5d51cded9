/// An Ed25519 verification key (32 bytes). Used for gateway token keys and agents'
/// PoP keys alike.
public struct Ed25519PublicKey: Sendable, Hashable {
    public static let length = 32
    public static let signatureLength = 64

    /// The raw 32 bytes (RFC 8032 encoding).
    public let bytes: [UInt8]

    /// Wraps 32 raw bytes; the length is the only thing checkable before use (libsodium
    /// rejects small-order and non-canonical points at verification).
    public init(bytes: some Collection<UInt8>) throws(SodiumError) {
        let raw = Array(bytes)
        guard raw.count == Self.length else {
            throw SodiumError(.invalidPublicKeyLength, "Ed25519 public key must be 32 bytes, got \(raw.count)")
        }
        self.bytes = raw
    }

    init(validatedBytes: [UInt8]) {
        self.bytes = validatedBytes
    }

    /// True only if `signature` is a valid detached Ed25519 signature by this key over
    /// `message`. A signature of the wrong length is simply invalid, never an error:
    /// callers on the request path want one boolean.
    public func isValidSignature(_ signature: some Collection<UInt8>, for message: some Collection<UInt8>) -> Bool {
        guard (try? LibSodium.ensureInitialized()) != nil else { return false }
        let sig = Array(signature)
        guard sig.count == Self.signatureLength else { return false }
        let verify = { (msg: UnsafeRawBufferPointer) -> Bool in
            sig.withUnsafeBytes { s in
                bytes.withUnsafeBytes { pk in LibSodium.ed25519VerifyDetached(signature: s, message: msg, publicKey: pk) }
            }
        }
        if let result = message.withContiguousStorageIfAvailable({ verify(UnsafeRawBufferPointer($0)) }) {
            return result
        }
        return Array(message).withUnsafeBytes(verify)
    }
}

import CSodium
import Foundation

/// SHA-256 (FIPS 180-4), one-shot or streaming. Streaming lets a body be hashed as it
/// passes through (the DemoUpstream echo server hashes request bodies chunk by chunk)
/// without buffering it.
///
/// A value type: copying a hasher forks its state, and `finalize()` leaves the
/// receiver untouched, so a caller can take an intermediate digest and keep going.
public struct SHA256: Sendable {
    public static let digestLength = 32

    private var state = crypto_hash_sha256_state()

    public init() {
        _ = try? LibSodium.ensureInitialized()
        LibSodium.sha256Init(&state)
    }

    public mutating func update(bytes: UnsafeRawBufferPointer) {
        LibSodium.sha256Update(&state, bytes)
    }

    public mutating func update(bytes: [UInt8]) {
        bytes.withUnsafeBytes { LibSodium.sha256Update(&state, $0) }
    }

    public mutating func update(bytes: some ContiguousBytes) {
        bytes.withUnsafeBytes { LibSodium.sha256Update(&state, $0) }
    }

    /// The 32-byte digest of everything passed to `update` so far.
    public func finalize() -> [UInt8] {
        var copy = state
        return LibSodium.sha256Final(&copy)
    }

    /// The digest of `bytes` in one call.
    public static func hash(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var hasher = SHA256()
        if bytes.withContiguousStorageIfAvailable({ hasher.update(bytes: UnsafeRawBufferPointer($0)) }) == nil {
            hasher.update(bytes: Array(bytes))
        }
        return hasher.finalize()
    }

    /// The digest of the UTF-8 bytes of `text`.
    public static func hash(utf8 text: String) -> [UInt8] {
        hash(Array(text.utf8))
    }
}

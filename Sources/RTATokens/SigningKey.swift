import Foundation
import Sodium

/// A gateway token key: an Ed25519 key plus the `key_id` written into token bytes
/// 4..<8, so verifiers pick the right public key during rotation.
///
/// Key file format (JSON, one key per file, documented in docs/tokens.md):
/// `{"key_id": 1, "seed": "<base64url of 32 bytes>", "retired_at": 1767225600000}`;
/// `retired_at` (UNIX ms) is present only on keys that no longer sign.
public struct SigningKey: Sendable {
    public let keyID: UInt32
    public let privateKey: Ed25519PrivateKey
    /// When this key stopped signing (UNIX ms); nil for the current key.
    public let retiredAt: UInt64?

    public var publicKey: Ed25519PublicKey { privateKey.publicKey }

    public init(keyID: UInt32, privateKey: Ed25519PrivateKey, retiredAt: UInt64? = nil) {
        self.keyID = keyID
        self.privateKey = privateKey
        self.retiredAt = retiredAt
    }

    /// Generates a fresh key (for `rtactl keys generate` and tests).
    public static func generate(keyID: UInt32) throws(KeyFileError) -> SigningKey {
        do {
            return SigningKey(keyID: keyID, privateKey: try Ed25519PrivateKey.generate())
        } catch {
            throw KeyFileError(.badSeed, path: "<generated>", error.message)
        }
    }

    /// This key marked as retired at `time`.
    public func retired(at time: UInt64) -> SigningKey {
        SigningKey(keyID: keyID, privateKey: privateKey, retiredAt: time)
    }

    private struct FileContents: Codable {
        var key_id: UInt32
        var seed: String
        var retired_at: UInt64?
    }

    /// Reads one key file; every failure names the file and what to fix.
    public static func load(path: String) throws(KeyFileError) -> SigningKey {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw KeyFileError(.unreadable, path: path, "cannot read key file: \(error.localizedDescription)")
        }
        return try decode(data, path: path)
    }

    /// Parses key-file JSON (`path` only labels errors).
    public static func decode(_ data: Data, path: String) throws(KeyFileError) -> SigningKey {
        let contents: FileContents
        do {
            contents = try JSONDecoder().decode(FileContents.self, from: data)
        } catch {
            throw KeyFileError(.malformed, path: path,
                               "expected {\"key_id\": <uint32>, \"seed\": \"<base64url>\", \"retired_at\"?: <ms>}: \(error)")
        }
        do {
            let key = try Ed25519PrivateKey(seed: Base64URL.decode(contents.seed))
            return SigningKey(keyID: contents.key_id, privateKey: key, retiredAt: contents.retired_at)
        } catch {
            throw KeyFileError(.badSeed, path: path, "seed: \(error.message)")
        }
    }

    /// The key-file JSON for this key (keys sorted, one line plus newline).
    public func encodedFile() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let contents = FileContents(key_id: keyID, seed: Base64URL.encode(privateKey.seed), retired_at: retiredAt)
        // Encoding a struct of an integer, a string and an optional integer cannot fail.
        return ((try? encoder.encode(contents)) ?? Data()) + Data("\n".utf8)
    }
}

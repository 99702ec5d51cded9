import Foundation
import Sodium
import Testing

/// The RFC 8032 §7.1 and RFC 8037 Appendix A vectors, checked in as a fixture.
struct Ed25519Vectors: Decodable {
    struct RFC8032: Decodable {
        let name: String
        let secret_key: String
        let public_key: String
        let message: String
        let signature: String
    }
    struct RFC8037: Decodable {
        let d: String
        let x: String
        let signing_input: String
        let signature: String
    }
    let rfc8032: [RFC8032]
    let rfc8037: RFC8037

    static func load() throws -> Ed25519Vectors {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/ed25519-vectors.json")
        return try JSONDecoder().decode(Ed25519Vectors.self, from: Data(contentsOf: url))
    }
}

@Test func rfc8032VectorsDeriveKeyAndSignature() throws {
    let vectors = try Ed25519Vectors.load()
    #expect(vectors.rfc8032.count == 3)
    for vector in vectors.rfc8032 {
        let key = try Ed25519PrivateKey(seed: Hex.decode(vector.secret_key))
        #expect(Hex.encode(key.publicKey.bytes) == vector.public_key, "\(vector.name)")
        let signature = key.signature(for: try Hex.decode(vector.message))
        #expect(Hex.encode(signature) == vector.signature, "\(vector.name)")
        #expect(key.seed == (try Hex.decode(vector.secret_key)))
    }
}

@Test func rfc8037JWSVector() throws {
    let vector = try Ed25519Vectors.load().rfc8037
    let key = try Ed25519PrivateKey(seed: Base64URL.decode(vector.d))
    #expect(Base64URL.encode(key.publicKey.bytes) == vector.x)
    let signature = key.signature(for: Array(vector.signing_input.utf8))
    #expect(Base64URL.encode(signature) == vector.signature)
}

@Test func seedOfWrongLengthIsRejected() {
    #expect(throws: SodiumError(.invalidSeedLength, "Ed25519 seed must be 32 bytes, got 31")) {
        try Ed25519PrivateKey(seed: [UInt8](repeating: 1, count: 31))
    }
}

@Test func generatedKeysDiffer() throws {
    let a = try Ed25519PrivateKey.generate()
    let b = try Ed25519PrivateKey.generate()
    #expect(a.publicKey != b.publicKey)
}

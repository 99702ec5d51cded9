import Sodium
import Testing

@Test func rfc8032SignaturesVerifyAndTamperingFails() throws {
    for vector in try Ed25519Vectors.load().rfc8032 {
        let key = try Ed25519PublicKey(bytes: Hex.decode(vector.public_key))
        let message = try Hex.decode(vector.message)
        var signature = try Hex.decode(vector.signature)
        #expect(key.isValidSignature(signature, for: message), "\(vector.name)")
        signature[10] ^= 0x01
        #expect(!key.isValidSignature(signature, for: message), "\(vector.name) flipped bit")
        #expect(!key.isValidSignature(signature.prefix(63), for: message), "\(vector.name) short signature")
    }
}

@Test func rfc8037SignatureVerifies() throws {
    let vector = try Ed25519Vectors.load().rfc8037
    let key = try Ed25519PublicKey(bytes: Base64URL.decode(vector.x))
    #expect(key.isValidSignature(try Base64URL.decode(vector.signature), for: Array(vector.signing_input.utf8)))
    #expect(!key.isValidSignature(try Base64URL.decode(vector.signature), for: Array("other".utf8)))
}

@Test func publicKeyLengthIsChecked() {
    #expect(throws: SodiumError(.invalidPublicKeyLength, "Ed25519 public key must be 32 bytes, got 33")) {
        try Ed25519PublicKey(bytes: [UInt8](repeating: 0, count: 33))
    }
}

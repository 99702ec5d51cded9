import CryptoExtras
import Foundation
import JWTKit
import Sodium

/// The transmitter's RSA-2048 signing key (CAEP Interop §2.6: RS256, ≥ 2048 bits),
/// generated at start or loaded from PEM, with its public JWK for `/jwks.json`.
public struct TransmitterSigningKey: Sendable {
    public let keyID: String
    /// RS256 and PS256 signers over the same key.
    let rs256: any JWTAlgorithm
    let ps256: any JWTAlgorithm
    /// The public JWK (`alg` left out so the receiver's allow-list decides RS256 vs PS256).
    let publicJWK: TransmitterJSON
    /// The public key as PEM: what an algorithm-confusion attacker uses as an HMAC secret.
    public let publicKeyPEM: String
    public let privateKeyPEM: String

    /// A fresh key (RSA generation takes a moment).
    public static func generate(keyID: String) async throws -> TransmitterSigningKey {
        try await make(JWTKit.Insecure.RSA.PrivateKey(backing: _RSA.Signing.PrivateKey(keySize: .bits2048)), keyID: keyID)
    }

    public static func load(pem: String, keyID: String) async throws -> TransmitterSigningKey {
        try await make(JWTKit.Insecure.RSA.PrivateKey(pem: pem), keyID: keyID)
    }

    private static func make(_ key: JWTKit.Insecure.RSA.PrivateKey, keyID: String) async throws -> TransmitterSigningKey {
        let rs = await JWTKeyCollection().add(rsa: key, digestAlgorithm: .sha256)
        let ps = await JWTKeyCollection().add(pss: key, digestAlgorithm: .sha256)
        let primitives = try key.publicKey.getKeyPrimitives()
        let jwk: TransmitterJSON = [
            "kty": "RSA", "use": "sig", "kid": .string(keyID),
            "n": .string(Base64URL.encode(primitives.modulus)),
            "e": .string(Base64URL.encode(primitives.publicExponent)),
        ]
        return TransmitterSigningKey(keyID: keyID, rs256: try await rs.getKey(), ps256: try await ps.getKey(), publicJWK: jwk,
                                     publicKeyPEM: key.publicKey.pemRepresentation, privateKeyPEM: key.pemRepresentation)
    }
}

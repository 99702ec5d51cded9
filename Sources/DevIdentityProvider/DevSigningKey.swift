import CryptoExtras
import Foundation
import JWTKit

/// The dev IdP's signing key: RSA-2048 (RS256, the default every IdP supports) or
/// P-256 (ES256). Generated at start, or loaded from / saved to a PEM file so a demo
/// keeps its key across restarts.
public struct DevSigningKey: Sendable {
    public enum Algorithm: String, Sendable {
        case rs256 = "RS256"
        case es256 = "ES256"
    }

    public let algorithm: Algorithm
    public let keyID: String
    let signer: any JWTAlgorithm
    /// The public JWK served at `/jwks.json`.
    let publicJWK: DevJSON
    let pem: String

    /// A fresh key (RSA generation takes a moment).
    public static func generate(_ algorithm: Algorithm, keyID: String) async throws -> DevSigningKey {
        switch algorithm {
        case .rs256:
            let key = try JWTKit.Insecure.RSA.PrivateKey(backing: _RSA.Signing.PrivateKey(keySize: .bits2048))
            return try await make(rsa: key, keyID: keyID)
        case .es256:
            return try await make(ec: ES256PrivateKey(), keyID: keyID)
        }
    }

    /// Loads a PEM private key (RSA or P-256; the algorithm follows the key type).
    public static func load(pemFile path: String, keyID: String) async throws -> DevSigningKey {
        let pem = try String(contentsOfFile: path, encoding: .utf8)
        if let rsa = try? JWTKit.Insecure.RSA.PrivateKey(pem: pem) {
            return try await make(rsa: rsa, keyID: keyID)
        }
        return try await make(ec: ES256PrivateKey(pem: pem), keyID: keyID)
    }

    /// Loads `path` if it exists, else generates a key and writes it there (mode 0600).
    public static func loadOrGenerate(pemFile path: String, algorithm: Algorithm, keyID: String) async throws -> DevSigningKey {
        if FileManager.default.fileExists(atPath: path) {
            return try await load(pemFile: path, keyID: keyID)
        }
        let key = try await generate(algorithm, keyID: keyID)
        guard FileManager.default.createFile(atPath: path, contents: Data(key.pem.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw DevIdentityProviderError(message: "cannot write the key file \(path)")
        }
        return key
    }

    private static func make(rsa key: JWTKit.Insecure.RSA.PrivateKey, keyID: String) async throws -> DevSigningKey {
        let keys = JWTKeyCollection()
        await keys.add(rsa: key, digestAlgorithm: .sha256, kid: JWKIdentifier(string: keyID))
        let primitives = try key.publicKey.getKeyPrimitives()
        let jwk: DevJSON = .object([
            "kty": .string("RSA"), "use": .string("sig"), "alg": .string("RS256"), "kid": .string(keyID),
            "n": .string(DevBase64URL.encode(primitives.modulus)), "e": .string(DevBase64URL.encode(primitives.publicExponent)),
        ])
        return DevSigningKey(algorithm: .rs256, keyID: keyID, signer: try await keys.getKey(for: JWKIdentifier(string: keyID)),
                             publicJWK: jwk, pem: key.pemRepresentation)
    }

    private static func make(ec key: ES256PrivateKey, keyID: String) async throws -> DevSigningKey {
        let keys = JWTKeyCollection()
        await keys.add(ecdsa: key, kid: JWKIdentifier(string: keyID))
        guard let parameters = key.parameters else {
            throw DevIdentityProviderError(message: "P-256 key has no public parameters")
        }
        let jwk: DevJSON = .object([
            "kty": .string("EC"), "use": .string("sig"), "alg": .string("ES256"), "kid": .string(keyID), "crv": .string("P-256"),
            "x": .string(parameters.x), "y": .string(parameters.y),
        ])
        return DevSigningKey(algorithm: .es256, keyID: keyID, signer: try await keys.getKey(for: JWKIdentifier(string: keyID)),
                             publicJWK: jwk, pem: key.pemRepresentation)
    }
}

import Sodium

/// The gateway's token keys: exactly one current key signs; retired keys keep
/// verifying the tokens they signed until those tokens have aged out, so a rotation
/// never logs anyone out.
///
/// A retired key accepts a token only if the token was issued no later than the
/// retirement (plus clock skew) and the retirement is recent enough that such a
/// token can still be within `max_age`. After that the key is gone for good and
/// its tokens fail `retired_key`.
public struct KeyRing: Sendable {
    public let current: SigningKey
    public let retired: [SigningKey]

    public init(current: SigningKey, retired: [SigningKey] = []) throws(KeyFileError) {
        guard current.retiredAt == nil else {
            throw KeyFileError(.noCurrentKey, path: "<key ring>", "key \(current.keyID) is retired and cannot sign")
        }
        var seen: Set<UInt32> = [current.keyID]
        for key in retired {
            guard key.retiredAt != nil else {
                throw KeyFileError(.severalCurrentKeys, path: "<key ring>",
                                   "keys \(current.keyID) and \(key.keyID) are both unretired")
            }
            guard seen.insert(key.keyID).inserted else {
                throw KeyFileError(.duplicateKeyID, path: "<key ring>", "key_id \(key.keyID) appears twice")
            }
        }
        self.current = current
        self.retired = retired
    }

    /// Loads key files: exactly one without `retired_at` (the signer), any number with.
    public static func load(paths: [String]) throws(KeyFileError) -> KeyRing {
        var current: SigningKey?
        var retired: [SigningKey] = []
        var pathByID: [UInt32: String] = [:]
        for path in paths {
            let key = try SigningKey.load(path: path)
            if let other = pathByID[key.keyID] {
                throw KeyFileError(.duplicateKeyID, path: path, "key_id \(key.keyID) is also used by \(other)")
            }
            pathByID[key.keyID] = path
            if key.retiredAt != nil {
                retired.append(key)
            } else if let existing = current {
                throw KeyFileError(.severalCurrentKeys, path: path,
                                   "key \(key.keyID) has no retired_at but key \(existing.keyID) is already current")
            } else {
                current = key
            }
        }
        guard let current else {
            throw KeyFileError(.noCurrentKey, path: paths.joined(separator: ", "),
                               "every key has retired_at; one key must be current")
        }
        return try KeyRing(current: current, retired: retired)
    }

    /// A ring where `newKey` signs and the previous current key is retired at `time`.
    public func rotated(to newKey: SigningKey, at time: UInt64) throws(KeyFileError) -> KeyRing {
        try KeyRing(current: newKey, retired: [current.retired(at: time)] + retired)
    }

    /// The public key that may verify `token`, or why none may.
    public func verificationKey(for token: RTAToken, now: UInt64, limits: TokenLimits) -> Result<Ed25519PublicKey, TokenError> {
        if token.keyID == current.keyID {
            return .success(current.publicKey)
        }
        guard let key = retired.first(where: { $0.keyID == token.keyID }), let retiredAt = key.retiredAt else {
            return .failure(TokenError(.unknownKey, "key_id \(token.keyID) is not in the key ring"))
        }
        if token.issuedAt > retiredAt &+ limits.clockSkew {
            return .failure(TokenError(.retiredKey, "key_id \(token.keyID) was retired at \(retiredAt) before the token was issued at \(token.issuedAt)"))
        }
        if now > retiredAt &+ limits.maxAge &+ limits.clockSkew {
            return .failure(TokenError(.retiredKey, "key_id \(token.keyID) retired at \(retiredAt); its tokens have aged out"))
        }
        return .success(key.publicKey)
    }
}

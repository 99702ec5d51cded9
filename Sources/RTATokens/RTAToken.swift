import Sodium

/// The 128-byte gateway token of PROTOCOL.md §1: a fixed layout a parser can reject
/// garbage from with one compare, signed by a gateway key.
///
/// ```
/// 0   2  magic "RT"      8  16 session_id      56  8 issued_at (ms, BE)
/// 2   1  version 0x01   24  32 context_hash    64 64 Ed25519 signature over 0..<64
/// 3   1  flags           4   4 key_id (BE)
/// ```
///
/// Decoding checks only structure (length, magic, version, reserved flag bits); the
/// key, age, session, context, binding and signature checks are `TokenChecks`.
public struct RTAToken: Sendable, Hashable {
    public static let length = 128
    public static let signedLength = 64
    public static let magic: [UInt8] = [0x52, 0x54]
    public static let version: UInt8 = 0x01

    public let flags: TokenFlags
    public let keyID: UInt32
    public let sessionID: SessionID
    public let contextHash: ContextHash
    /// UNIX milliseconds.
    public let issuedAt: UInt64
    /// The exact 128 bytes, as received or as issued.
    public let bytes: [UInt8]

    public var signature: ArraySlice<UInt8> { bytes[Self.signedLength...] }
    public var signedBytes: ArraySlice<UInt8> { bytes[..<Self.signedLength] }

    /// Parses the structure; cheapest checks first so garbage costs one length test.
    public init(bytes input: some Collection<UInt8>) throws(TokenError) {
        let raw = Array(input)
        guard raw.count == Self.length else {
            throw TokenError(.badLength, "token must be 128 bytes, got \(raw.count)")
        }
        guard raw[0] == Self.magic[0], raw[1] == Self.magic[1] else {
            throw TokenError(.badMagic, "token does not start with \"RT\"")
        }
        guard raw[2] == Self.version else {
            throw TokenError(.badVersion, "token version \(raw[2]) is not supported (expected 1)")
        }
        let flags = TokenFlags(rawValue: raw[3])
        guard flags.isSubset(of: .known) else {
            throw TokenError(.badFlags, "reserved flag bits set: 0x\(String(raw[3], radix: 16))")
        }
        self.flags = flags
        self.keyID = Self.readBigEndian(raw, at: 4, count: 4).truncatingToUInt32
        self.sessionID = SessionID(validated: Array(raw[8..<24]))
        self.contextHash = ContextHash(validated: Array(raw[24..<56]))
        self.issuedAt = Self.readBigEndian(raw, at: 56, count: 8)
        self.bytes = raw
    }

    /// Parses the `<base64url>` of `Authorization: RTA <base64url>`.
    public init(base64url text: String) throws(TokenError) {
        let raw: [UInt8]
        do {
            raw = try Base64URL.decode(text)
        } catch {
            throw TokenError(.badEncoding, "token is not base64url: \(error.message)")
        }
        try self.init(bytes: raw)
    }

    /// Builds and signs a token with the key ring's current key.
    public static func issue(
        flags: TokenFlags, sessionID: SessionID, contextHash: ContextHash, issuedAt: UInt64, key: SigningKey
    ) -> RTAToken {
        var raw = magic + [version, flags.rawValue]
        appendBigEndian(UInt64(key.keyID), count: 4, to: &raw)
        raw += sessionID.bytes
        raw += contextHash.bytes
        appendBigEndian(issuedAt, count: 8, to: &raw)
        raw += key.privateKey.signature(for: raw)
        return RTAToken(flags: flags, keyID: key.keyID, sessionID: sessionID, contextHash: contextHash,
                        issuedAt: issuedAt, bytes: raw)
    }

    private init(
        flags: TokenFlags, keyID: UInt32, sessionID: SessionID, contextHash: ContextHash, issuedAt: UInt64,
        bytes: [UInt8]
    ) {
        self.flags = flags
        self.keyID = keyID
        self.sessionID = sessionID
        self.contextHash = contextHash
        self.issuedAt = issuedAt
        self.bytes = bytes
    }

    /// 171 characters, the form carried in `Authorization: RTA …` and in JSON.
    public var base64url: String { Base64URL.encode(bytes) }

    private static func readBigEndian(_ raw: [UInt8], at offset: Int, count: Int) -> UInt64 {
        raw[offset..<offset + count].reduce(0) { $0 << 8 | UInt64($1) }
    }

    private static func appendBigEndian(_ value: UInt64, count: Int, to raw: inout [UInt8]) {
        for index in (0..<count).reversed() {
            raw.append(UInt8(truncatingIfNeeded: value >> (UInt64(index) * 8)))
        }
    }
}

extension UInt64 {
    fileprivate var truncatingToUInt32: UInt32 { UInt32(truncatingIfNeeded: self) }
}

import Foundation
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
        var text = text
        self = try text.withUTF8 { utf8 in Result { () throws(TokenError) in try RTAToken(base64url: utf8) } }.get()
    }

    /// As `init(base64url:)`, over the UTF-8 bytes of the text (the request pipeline
    /// reads them straight out of the header value). A token is not a secret from
    /// the client sending it, so the table decoder is used (`Base64URL.decodeNonSecret`).
    public init(base64url utf8: UnsafeBufferPointer<UInt8>) throws(TokenError) {
        let raw: [UInt8]
        do {
            raw = try Base64URL.decodeNonSecret(utf8)
        } catch {
            throw TokenError(.badEncoding, "token is not base64url: \(error.message)")
        }
        try self.init(bytes: raw)
    }

    /// Parses an `Authorization` field value, `RTA <base64url>` (PROTOCOL.md §1): split
    /// once at a space after skipping leading spaces, the scheme compared
    /// case-insensitively, the token trimmed of `CharacterSet.whitespaces`.
    ///
    /// Every protected request pays for this, so an ASCII value (every well-formed one)
    /// is read straight from its UTF-8 bytes, with no substrings, lowercasing or copy
    /// of the text; those rules, applied to ASCII, are byte rules. A value with
    /// non-ASCII bytes (never a valid token) takes the String operations themselves,
    /// so its error stays exactly what it was.
    public init(authorization value: String) throws(TokenError) {
        var text = value
        let parsed = text.withUTF8 { bytes in
            Result { () throws(TokenError) in
                try bytes.allSatisfy { $0 < 0x80 } ? RTAToken(authorizationASCII: bytes) : RTAToken(authorizationText: value)
            }
        }
        self = try parsed.get()
    }

    private static let schemeError = TokenError(.badEncoding, "Authorization must use the RTA scheme")

    private init(authorizationASCII bytes: UnsafeBufferPointer<UInt8>) throws(TokenError) {
        let space = UInt8(ascii: " ")
        var start = bytes.startIndex
        while start < bytes.endIndex, bytes[start] == space { start += 1 }
        var end = start
        while end < bytes.endIndex, bytes[end] != space { end += 1 }
        // The scheme (`| 0x20` lowercases ASCII letters and turns no other byte into
        // one), then one space, then a non-empty rest.
        guard end - start == 3, end + 1 < bytes.endIndex,
              bytes[start] | 0x20 == UInt8(ascii: "r"), bytes[start + 1] | 0x20 == UInt8(ascii: "t"),
              bytes[start + 2] | 0x20 == UInt8(ascii: "a")
        else { throw Self.schemeError }
        var first = end + 1
        var last = bytes.endIndex
        // `CharacterSet.whitespaces` below 0x80: space and tab.
        while first < last, bytes[first] == space || bytes[first] == UInt8(ascii: "\t") { first += 1 }
        while last > first, bytes[last - 1] == space || bytes[last - 1] == UInt8(ascii: "\t") { last -= 1 }
        try self.init(base64url: UnsafeBufferPointer(rebasing: bytes[first..<last]))
    }

    private init(authorizationText value: String) throws(TokenError) {
        let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "rta" else { throw Self.schemeError }
        try self.init(base64url: parts[1].trimmingCharacters(in: .whitespaces))
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

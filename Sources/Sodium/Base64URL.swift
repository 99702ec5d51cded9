/// base64url without padding (RFC 4648 §5), the encoding of every binary value on
/// the RTA wire (tokens, proofs, keys, nonces).
///
/// Decoding is strict, so one value has exactly one accepted spelling: only
/// `A–Z a–z 0–9 - _`, no `=`, no whitespace, no length ≡ 1 (mod 4), and the unused
/// low bits of the last character must be zero.
public enum Base64URL {
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        _ = try? LibSodium.ensureInitialized()
        if let text = bytes.withContiguousStorageIfAvailable({ LibSodium.base64URLEncode(UnsafeRawBufferPointer($0)) }) {
            return text
        }
        return Array(bytes).withUnsafeBytes { LibSodium.base64URLEncode($0) }
    }

    /// libsodium's constant-time decoder: the one for secrets (key seeds). Bytes
    /// above 0x7f are refused before libsodium sees them: its decoder reads them as a
    /// signed `char`, and its constant-time comparisons then take some for `A`.
    public static func decode(_ text: String) throws(SodiumError) -> [UInt8] {
        try LibSodium.ensureInitialized()
        let input = Array(text.utf8)
        if input.isEmpty { return [] }
        guard input.count % 4 != 1, input.allSatisfy({ $0 < 0x80 }), let bytes = LibSodium.base64URLDecode(input) else {
            throw invalid(input.count)
        }
        return bytes
    }

    /// The same strict decoding with the same error, over UTF-8 bytes, through a
    /// lookup table instead of libsodium's constant-time code (about a tenth of the
    /// instructions). For values that are not secret from anyone who could time the
    /// decode: a token or proof arrives from the client that holds it, and what the
    /// gateway does with it next (hash-table lookups) is variable-time anyway. Tokens
    /// are decoded on every request.
    public static func decodeNonSecret(_ input: UnsafeBufferPointer<UInt8>) throws(SodiumError) -> [UInt8] {
        let remainder = input.count % 4
        guard remainder != 1 else { throw invalid(input.count) }
        let groups = input.count / 4
        let count = groups * 3 + (remainder == 0 ? 0 : remainder - 1)
        let decoded = sextets.withUnsafeBufferPointer { table -> [UInt8]? in
            func sextet(_ index: Int) -> UInt32 { UInt32(table[Int(input[index])]) }
            var valid = true
            let output = [UInt8](unsafeUninitializedCapacity: count) { out, initialized in
                var next = 0
                for group in 0..<groups {
                    let at = group * 4
                    let (a, b, c, d) = (sextet(at), sextet(at + 1), sextet(at + 2), sextet(at + 3))
                    // Valid sextets are at most 63; an invalid character's 0xff is not.
                    guard a | b | c | d <= 63 else {
                        valid = false
                        break
                    }
                    let bits = a << 18 | b << 12 | c << 6 | d
                    out[next] = UInt8(truncatingIfNeeded: bits >> 16)
                    out[next + 1] = UInt8(truncatingIfNeeded: bits >> 8)
                    out[next + 2] = UInt8(truncatingIfNeeded: bits)
                    next += 3
                }
                // The last 2 or 3 characters carry 1 or 2 bytes; the bits left over
                // must be zero (canonical form).
                if valid, remainder > 0 {
                    let at = groups * 4
                    let (a, b, c) = (sextet(at), sextet(at + 1), remainder == 3 ? sextet(at + 2) : 0)
                    let spare: UInt32 = remainder == 3 ? c & 0x03 : b & 0x0f
                    if a | b | c > 63 || spare != 0 {
                        valid = false
                    } else if remainder == 2 {
                        out[next] = UInt8(truncatingIfNeeded: a << 2 | b >> 4)
                        next += 1
                    } else {
                        let bits = a << 12 | b << 6 | c
                        out[next] = UInt8(truncatingIfNeeded: bits >> 10)
                        out[next + 1] = UInt8(truncatingIfNeeded: bits >> 2)
                        next += 2
                    }
                }
                initialized = valid ? next : 0
            }
            return valid ? output : nil
        }
        guard let decoded else { throw invalid(input.count) }
        return decoded
    }

    private static func invalid(_ characters: Int) -> SodiumError {
        SodiumError(.invalidBase64URL, "not canonical unpadded base64url (\(characters) characters)")
    }

    private static let invalidSextet: UInt8 = 0xff

    /// The 6-bit value of each byte of the URL-safe alphabet; `invalidSextet` elsewhere.
    private static let sextets: [UInt8] = {
        var table = [UInt8](repeating: invalidSextet, count: 256)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        for (value, char) in alphabet.enumerated() { table[Int(char)] = UInt8(value) }
        return table
    }()
}

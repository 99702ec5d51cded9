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

    public static func decode(_ text: String) throws(SodiumError) -> [UInt8] {
        try LibSodium.ensureInitialized()
        let input = Array(text.utf8)
        if input.isEmpty { return [] }
        guard input.count % 4 != 1, let bytes = LibSodium.base64URLDecode(input) else {
            throw SodiumError(.invalidBase64URL, "not canonical unpadded base64url (\(input.count) characters)")
        }
        return bytes
    }
}

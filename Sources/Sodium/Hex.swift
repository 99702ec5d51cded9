/// Lowercase hexadecimal, the spelling of digests and session ids in JSON, headers
/// and the audit log.
public enum Hex {
    /// Any contiguous bytes (arrays, slices, digests) take the buffer path; others are
    /// copied into an array first.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        if let text = bytes.withContiguousStorageIfAvailable({ encode(UnsafeRawBufferPointer($0)) }) {
            return text
        }
        return Array(bytes).withUnsafeBytes { encode($0) }
    }

    /// Written straight into the String's storage through a 16-entry table: one
    /// allocation (none up to 7 bytes), no intermediate array. Ids and digests are
    /// hex-encoded on every request and every audit record.
    public static func encode(_ bytes: UnsafeRawBufferPointer) -> String {
        let table = digits.utf8Start
        return String(unsafeUninitializedCapacity: bytes.count * 2) { out in
            var index = 0
            for byte in bytes {
                out[index] = table[Int(byte >> 4)]
                out[index + 1] = table[Int(byte & 0x0f)]
                index += 2
            }
            return index
        }
    }

    private static let digits: StaticString = "0123456789abcdef"

    /// Accepts upper- or lowercase digits; anything else, or an odd length, is an error.
    public static func decode(_ text: String) throws(SodiumError) -> [UInt8] {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else {
            throw SodiumError(.invalidHex, "hex string has odd length \(chars.count)")
        }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count / 2)
        var index = 0
        while index < chars.count {
            guard let high = digitValue(chars[index]), let low = digitValue(chars[index + 1]) else {
                throw SodiumError(.invalidHex, "invalid hex digit near offset \(index)")
            }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }

    /// The value of one hex digit (either case), nil for any other byte. Shared with the
    /// percent-decoders of paths and form bodies.
    public static func digitValue(_ char: UInt8) -> UInt8? {
        switch char {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): char - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): char - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): char - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension SHA256 {
    /// The digest so far as lowercase hex.
    public func finalizeHex() -> String {
        Hex.encode(finalize())
    }
}

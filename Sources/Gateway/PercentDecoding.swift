import Sodium

/// RFC 3986 percent-decoding over UTF-8 bytes, for the router's hot path: every
/// request's path is scanned, and Foundation's `removingPercentEncoding` (a CFString
/// round trip) cost more than the rest of route matching together.
enum PercentDecoding {
    /// True when `text` has a `%`: only then can decoding change it.
    static func isEncoded<S: StringProtocol>(_ text: S) -> Bool {
        text.utf8.contains(UInt8(ascii: "%"))
    }

    /// The decoded text, or nil when a `%` is not followed by two hex digits or the
    /// decoded bytes are not UTF-8. (Foundation's `removingPercentEncoding` answers nil
    /// for the same inputs, except that it turns some stray continuation bytes into
    /// U+FFFD; a route parameter is never rewritten like that here.)
    static func decode<S: StringProtocol>(_ text: S) -> String? {
        decodedBytes(text, keepingMalformedEscapes: false).flatMap { String(validating: $0, as: UTF8.self) }
    }

    /// The bytes `text` stands for, whatever they are: a `%` without two hex digits
    /// after it stays as it is, and the result need not be UTF-8. What a path check
    /// must look at, since an upstream may decode the escapes it can and keep the rest.
    static func bytes<S: StringProtocol>(_ text: S) -> [UInt8] {
        decodedBytes(text, keepingMalformedEscapes: true) ?? Array(text.utf8)
    }

    private static func decodedBytes<S: StringProtocol>(_ text: S, keepingMalformedEscapes: Bool) -> [UInt8]? {
        let source = Array(text.utf8)
        var decoded: [UInt8] = []
        decoded.reserveCapacity(source.count)
        var index = 0
        while index < source.count {
            let byte = source[index]
            if byte == UInt8(ascii: "%"), index + 2 < source.count, let high = Hex.digitValue(source[index + 1]),
               let low = Hex.digitValue(source[index + 2]) {
                decoded.append(high << 4 | low)
                index += 3
                continue
            }
            if byte == UInt8(ascii: "%"), !keepingMalformedEscapes { return nil }
            decoded.append(byte)
            index += 1
        }
        return decoded
    }
}

import Foundation
import Sodium

/// An `application/x-www-form-urlencoded` body (RFC 6749 §3.2, WHATWG URL
/// "application/x-www-form-urlencoded parsing"), with the OAuth rules on top:
/// a parameter may appear at most once (RFC 6749 §3.1), and a parameter sent
/// without a value is treated as omitted.
///
/// Decoding is byte-exact: `+` is a space, `%XX` is one byte, and the decoded bytes
/// must be valid UTF-8. A malformed escape is an error rather than passed through,
/// so one value has one meaning.
public enum FormBody {
    /// Far above any real exchange request (a large JWT is ~8 KiB); bounds the work
    /// an unauthenticated body can cause.
    public static let maxBytes = 64 * 1024

    /// True for `application/x-www-form-urlencoded`, any case, any parameters
    /// (`; charset=UTF-8`); the body is UTF-8 regardless (RFC 6749 Appendix B).
    public static func acceptsContentType(_ value: String?) -> Bool {
        guard let value else { return false }
        let mediaType = value.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
        return mediaType.trimmingCharacters(in: .whitespaces).lowercased() == "application/x-www-form-urlencoded"
    }

    public static func parse(_ body: some Collection<UInt8>) throws(OAuthError) -> [String: String] {
        guard body.count <= maxBytes else {
            throw OAuthError(.invalidRequest, .malformedBody, "request body is \(body.count) bytes; at most \(maxBytes) are accepted")
        }
        var parameters: [String: String] = [:]
        var seen: Set<String> = []
        for pair in Array(body).split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let nameBytes: ArraySlice<UInt8>
            let valueBytes: ArraySlice<UInt8>
            if let equals = pair.firstIndex(of: UInt8(ascii: "=")) {
                nameBytes = pair[pair.startIndex..<equals]
                valueBytes = pair[(equals + 1)...]
            } else {
                nameBytes = pair
                valueBytes = []
            }
            let name = try decode(nameBytes, what: "parameter name")
            guard !name.isEmpty else {
                throw OAuthError(.invalidRequest, .malformedBody, "a parameter has an empty name")
            }
            guard seen.insert(name).inserted else {
                throw OAuthError(.invalidRequest, .duplicateParameter, "parameter \(name) appears more than once")
            }
            let value = try decode(valueBytes, what: "value of \(name)")
            if !value.isEmpty { parameters[name] = value }
        }
        return parameters
    }

    /// Serialises parameters in order (for introspection requests and tests).
    public static func encode(_ parameters: [(String, String)]) -> String {
        parameters.map { encodeComponent($0.0) + "=" + encodeComponent($0.1) }.joined(separator: "&")
    }

    /// WHATWG form encoding: `A–Z a–z 0–9 * - . _` as is, space as `+`, every other
    /// byte as `%XX`.
    public static func encodeComponent(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "*"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "):
                out += "+"
            default:
                out += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0x0F, radix: 16, uppercase: true)
            }
        }
        return out
    }

    private static func decode(_ encoded: ArraySlice<UInt8>, what: String) throws(OAuthError) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(encoded.count)
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let byte = encoded[index]
            switch byte {
            case UInt8(ascii: "+"):
                bytes.append(UInt8(ascii: " "))
                index += 1
            case UInt8(ascii: "%"):
                guard index + 2 < encoded.endIndex,
                      let high = Hex.digitValue(encoded[index + 1]), let low = Hex.digitValue(encoded[index + 2])
                else {
                    throw OAuthError(.invalidRequest, .malformedBody, "\(what): '%' must be followed by two hex digits")
                }
                bytes.append(high << 4 | low)
                index += 3
            default:
                bytes.append(byte)
                index += 1
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw OAuthError(.invalidRequest, .malformedBody, "\(what) is not valid UTF-8 after percent-decoding")
        }
        return text
    }
}

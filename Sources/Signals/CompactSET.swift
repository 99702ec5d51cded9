import TokenExchange
import Foundation

/// A SET in JWS compact serialization, split and decoded but NOT verified: the
/// verifier reads the header and the unverified `iss` from it to choose the keys,
/// and trusts nothing else until the signature checks out.
struct CompactSET: Sendable {
    /// The longest body we parse: real SETs are a few KiB; this bounds the CPU an
    /// unauthenticated sender can burn (RFC 8935 §5.4).
    static let maxLength = 64 * 1024

    let header: [String: JSONValue]
    let claims: [String: JSONValue]
    /// `base64url(header) "." base64url(payload)`, the bytes the signature covers.
    let signingInput: [UInt8]
    let signature: [UInt8]

    init(_ text: String) throws(SETError) {
        guard text.utf8.count <= Self.maxLength else {
            throw SETError(.invalidRequest, "SET is longer than \(Self.maxLength) bytes")
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else {
            throw SETError(.invalidRequest,
                           parts.count == 5 ? "encrypted (JWE) SETs are not supported; send a signed JWS"
                                            : "SET must be a JWS in compact serialization (3 dot-separated parts), got \(parts.count)")
        }
        header = try Self.object(parts[0], what: "JOSE header")
        claims = try Self.object(parts[1], what: "claims")
        signingInput = Array(text.utf8.prefix(parts[0].utf8.count + 1 + parts[1].utf8.count))
        guard let signature = Self.base64URLDecode(parts[2]) else {
            throw SETError(.invalidRequest, "signature is not base64url")
        }
        self.signature = signature
    }

    /// `text` without the whitespace around it (a transmitter may end the body with a
    /// newline), then parsed.
    init(trimming text: String) throws(SETError) {
        try self.init(Self.trimmed(text))
    }

    /// Foundation's trimming only when an end of `text` is not a visible ASCII byte:
    /// a SET is ASCII and usually sent bare, and trimming a few KiB costs more than
    /// parsing them.
    static func trimmed(_ text: String) -> String {
        let visible: ClosedRange<UInt8> = 0x21...0x7e
        if let first = text.utf8.first, let last = text.utf8.last, visible.contains(first), visible.contains(last) {
            return text
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func object(_ part: Substring, what: String) throws(SETError) -> [String: JSONValue] {
        guard let bytes = base64URLDecode(part) else {
            throw SETError(.invalidRequest, "\(what) is not base64url")
        }
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)), let object = value.object else {
            throw SETError(.invalidRequest, "\(what) is not a JSON object")
        }
        return object
    }

    /// RFC 4648 §5 without padding, as JWS requires; anything else is refused.
    static func base64URLDecode(_ text: Substring) -> [UInt8]? {
        guard text.utf8.allSatisfy({ byte in
            (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
                || byte == 0x2D || byte == 0x5F
        }) else { return nil }
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        switch standard.utf8.count % 4 {
        case 0: break
        case 2: standard += "=="
        case 3: standard += "="
        default: return nil
        }
        return Data(base64Encoded: standard).map { Array($0) }
    }
}

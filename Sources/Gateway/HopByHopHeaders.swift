import Foundation

/// The one list of connection-specific header fields the proxy never forwards, in
/// either direction (RFC 9110 §7.6.1). HTTP/3 also forbids these in its own messages
/// (RFC 9114 §4.2), so the same list cleans upstream responses before they go to a client.
enum HopByHopHeaders {
    /// Lowercase names; `proxy-*` is matched by prefix in `removing(from:)`. `trailer`
    /// is listed because trailers themselves are not forwarded.
    static let names: Set<String> = [
        "connection", "keep-alive", "te", "transfer-encoding", "upgrade", "trailer",
    ]

    /// The fields to drop from a message: the fixed list, any `proxy-*` field, and every
    /// field the message's own `Connection` header names.
    static func removing(from fields: [(name: String, value: String)]) -> [(name: String, value: String)] {
        var named: Set<String> = []
        for field in fields where field.name.lowercased() == "connection" {
            for token in field.value.split(separator: ",") {
                let name = token.trimmingCharacters(in: .whitespaces).lowercased()
                if !name.isEmpty { named.insert(name) }
            }
        }
        return fields.filter { field in
            let name = field.name.lowercased()
            return !(names.contains(name) || name.hasPrefix("proxy-") || named.contains(name))
        }
    }
}

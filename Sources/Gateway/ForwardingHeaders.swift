import Foundation
import HTTP3
import NIOCore
import NIOHTTP1

/// The one place that rewrites header fields between the HTTP/3 client and an HTTP/1.1
/// upstream, in both directions: hop-by-hop fields go (`HopByHopHeaders`), `Via` and
/// `Forwarded` are appended, and `:authority` becomes `Host`.
enum ForwardingHeaders {
    static let gatewayName = "rta-gateway"

    /// Fields a client may not pass to an upstream: the gateway consumes `authorization`
    /// (PROTOCOL §7), and `rta-*` fields are set only by the gateway, so an upstream can
    /// trust them. `host` and `content-length` are rebuilt from the request itself.
    static func isReservedForGateway(_ name: String) -> Bool {
        name == "authorization" || name == "host" || name == "content-length" || name.hasPrefix("rta-")
    }

    /// Header fields for the upstream request. `added` (the pipeline's `RTA-*` fields)
    /// go last, after the client's fields were filtered.
    static func upstreamRequest(_ request: HTTP3Request, adding added: [(name: String, value: String)]) -> HTTPHeaders {
        let fields = HopByHopHeaders.removing(from: request.headers.map { ($0.name, $0.value) })
        var headers = HTTPHeaders()
        headers.add(name: "host", value: request.authority)
        var cookies: [String] = []
        for field in fields {
            let name = field.name.lowercased()
            if isReservedForGateway(name) { continue }
            // RFC 9114 §4.2.1: split cookie fields are joined with "; " for HTTP/1.1.
            if name == "cookie" { cookies.append(field.value) } else { headers.add(name: name, value: field.value) }
        }
        if !cookies.isEmpty { headers.add(name: "cookie", value: cookies.joined(separator: "; ")) }
        headers.add(name: "via", value: "3 \(gatewayName)")
        headers.add(name: "forwarded", value: forwarded(request))
        for field in added { headers.add(name: field.name, value: field.value) }
        return headers
    }

    /// Header fields for the client. `Via` names the protocol the response arrived in
    /// (RFC 9110 §7.6.3), so it says `1.1` here. Names are lowercased, as HTTP/3 requires.
    static func clientResponse(_ upstream: HTTPHeaders, version: HTTPVersion) -> [HTTP3Header] {
        let fields = HopByHopHeaders.removing(from: upstream.map { ($0.name.lowercased(), $0.value) })
        var headers = fields.map { HTTP3Header($0.name, $0.value) }
        headers.append(HTTP3Header("via", "\(version.major).\(version.minor) \(gatewayName)"))
        return headers
    }

    /// `for=…;proto=…;host=…` (RFC 7239); IPv6 and host:port values are quoted as the
    /// grammar requires.
    static func forwarded(_ request: HTTP3Request) -> String {
        let client: String
        switch (request.connection.remoteAddress, request.connection.remoteAddress?.ipAddress) {
        case (.v4?, let ip?): client = ip
        case (.v6?, let ip?): client = "\"[\(ip)]\""
        default: client = "unknown"
        }
        return "for=\(client);proto=\(request.scheme);host=\(quotedIfNeeded(request.authority))"
    }

    private static func quotedIfNeeded(_ value: String) -> String {
        let token = !value.isEmpty && value.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "!#$%&'*+-.^_`|~".unicodeScalars.contains(scalar))
        }
        if token { return value }
        return "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

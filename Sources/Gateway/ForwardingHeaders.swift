import Foundation
import GatewayConfig
import HTTP3
import NIOCore
import NIOHTTP1

/// The one place that rewrites header fields between the HTTP/3 client and an HTTP/1.1
/// upstream, in both directions: hop-by-hop fields go (`HopByHopHeaders`), fields that say
/// who the caller is or where it connected from are the gateway's to set, `Via` is
/// appended, and `:authority` becomes `Host`.
///
/// Names are compared with `_` read as `-`: CGI/WSGI servers map `RTA-Subject` and
/// `rta_subject` to the same `HTTP_RTA_SUBJECT`, so an underscore spelling of a gateway
/// field is dropped like the field itself.
enum ForwardingHeaders {
    static let gatewayName = "rta-gateway"

    /// Fields a client may never pass to an upstream: the gateway consumes `authorization`
    /// (PROTOCOL §7), and `rta-*` fields are set only by the gateway, so an upstream can
    /// trust them. `host` and `content-length` are rebuilt from the request itself.
    static func isReservedForGateway(_ name: String) -> Bool {
        name == "authorization" || name == "host" || name == "content-length" || name == "rta" || name.hasPrefix("rta-")
    }

    /// Single-address fields that proxies and CDNs use for "the client's IP".
    static let clientAddressNames: Set<String> = [
        "x-real-ip", "true-client-ip", "x-client-ip", "client-ip", "x-cluster-client-ip", "cf-connecting-ip",
        "fastly-client-ip", "x-originating-ip",
    ]

    /// Fields that describe the client's address or the request's origin. From a peer in
    /// `listen.trusted_proxies` they are kept and the chain is extended; from anyone else
    /// they are replaced with what the gateway itself saw.
    static func isAddressField(_ name: String) -> Bool {
        name == "forwarded" || name.hasPrefix("x-forwarded-") || clientAddressNames.contains(name)
    }

    /// Header fields for the upstream request. `added` (the pipeline's `RTA-*` fields)
    /// go last, after the client's fields were filtered.
    static func upstreamRequest(
        _ request: HTTP3Request, trustedProxies: [IPAddressRange], adding added: [(name: String, value: String)]
    ) -> HTTPHeaders {
        let fields = HopByHopHeaders.removing(from: request.headers.map { ($0.name, $0.value) })
        let viaTrustedProxy = isTrusted(request.connection.remoteAddress, by: trustedProxies)
        var headers = HTTPHeaders()
        headers.add(name: "host", value: request.authority)
        var cookies: [String] = []
        var forwardedFor: [String] = []
        for field in fields {
            let name = field.name.lowercased()
            let canonical = name.replacingOccurrences(of: "_", with: "-")
            if isReservedForGateway(canonical) { continue }
            if isAddressField(canonical) {
                // An underscore spelling never comes from a proxy, and would shadow the real field.
                guard viaTrustedProxy, canonical == name else { continue }
                if name == "x-forwarded-for" { forwardedFor.append(field.value); continue }
            }
            // RFC 9114 §4.2.1: split cookie fields are joined with "; " for HTTP/1.1.
            if name == "cookie" { cookies.append(field.value) } else { headers.add(name: name, value: field.value) }
        }
        if !cookies.isEmpty { headers.add(name: "cookie", value: cookies.joined(separator: "; ")) }
        headers.add(name: "via", value: "3 \(gatewayName)")
        headers.add(name: "forwarded", value: forwarded(request))
        if let peer = request.connection.remoteAddress?.ipAddress { forwardedFor.append(peer) }
        if !forwardedFor.isEmpty { headers.add(name: "x-forwarded-for", value: forwardedFor.joined(separator: ", ")) }
        if !headers.contains(name: "x-forwarded-proto") { headers.add(name: "x-forwarded-proto", value: request.scheme) }
        if !headers.contains(name: "x-forwarded-host") { headers.add(name: "x-forwarded-host", value: request.authority) }
        for field in added { headers.add(name: field.name, value: field.value) }
        return headers
    }

    /// Whether the connection's peer is listed in `trusted` (never, when the address is unknown).
    static func isTrusted(_ peer: SocketAddress?, by trusted: [IPAddressRange]) -> Bool {
        guard !trusted.isEmpty, let ip = peer?.ipAddress, let bytes = IPAddressRange.addressBytes(ip) else { return false }
        return trusted.contains { $0.contains(bytes) }
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

import HTTP3

/// The header section checks every request passes before anything else looks at it:
/// size (431), and a `host` that disagrees with `:authority` (RFC 9114 §4.3.1), which
/// would let the route be chosen by one name and the upstream see another. A repeated
/// `host` or `:authority` never gets here (nghttp3 resets the stream as malformed), nor
/// does a field whose value holds CR, LF, NUL or another control (nghttp3 removes it).
///
/// One pass over the fields without allocating: it runs for every request.
enum RequestHeaderCheck {
    /// The refusal and its audit reason, or nil when the header section is acceptable.
    static func refusal(of request: HTTP3Request, maxBytes: Int) -> (error: GatewayErrorResponse, reason: String)? {
        // RFC 9114 §4.2.2: a field's size is its name and value lengths plus 32.
        var size = request.method.utf8.count + request.scheme.utf8.count + request.authority.utf8.count
            + request.path.utf8.count + 4 * 32 + 7 + 7 + 10 + 5
        for field in request.headers {
            size += field.name.utf8.count + field.value.utf8.count + 32
            if field.name == "host", !sameHost(field.value, request.authority) {
                return (.badRequest("host must name the same host as :authority"), "conflicting_host")
            }
        }
        guard size <= maxBytes else {
            return (GatewayErrorResponse(status: 431, code: "request_header_fields_too_large",
                                         message: "the header section is larger than \(maxBytes) bytes"),
                    "header_too_large")
        }
        return nil
    }

    /// `:authority` may be absent (then `host` is the authority) or differ in case.
    private static func sameHost(_ host: String, _ authority: String) -> Bool {
        authority.isEmpty || host == authority || host.lowercased() == authority.lowercased()
    }
}

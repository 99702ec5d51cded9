/// What `EchoUpstream` answers to a plain request: everything the upstream saw, so a
/// test can assert on exactly what the gateway forwarded without trusting the gateway.
public struct EchoReport: Codable, Sendable, Equatable {
    public var method: String
    /// The path without the query.
    public var path: String
    /// The raw query string after `?`, or empty.
    public var query: String
    /// Header fields as received, in order, names as sent.
    public var headers: [[String]]
    /// Lowercase hex SHA-256 of the request body, hashed as it streamed in.
    public var bodySHA256: String
    public var bodyBytes: Int

    enum CodingKeys: String, CodingKey {
        case method, path, query, headers
        case bodySHA256 = "body_sha256"
        case bodyBytes = "body_bytes"
    }

    public init(method: String, path: String, query: String, headers: [[String]], bodySHA256: String, bodyBytes: Int) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.bodySHA256 = bodySHA256
        self.bodyBytes = bodyBytes
    }

    /// All values of a header, matched case-insensitively, in arrival order.
    public func values(of name: String) -> [String] {
        let lower = name.lowercased()
        return headers.compactMap { $0.count == 2 && $0[0].lowercased() == lower ? $0[1] : nil }
    }
}

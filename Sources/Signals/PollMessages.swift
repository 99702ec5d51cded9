/// RFC 8936 §2.2 poll request body.
struct PollRequest: Encodable, Sendable {
    var maxEvents: Int?
    var returnImmediately: Bool
    var ack: [String]
    var setErrs: [String: PollSETError]
}

/// RFC 8936 §2.6: why we refused a SET, keyed by its `jti` in `setErrs`.
struct PollSETError: Codable, Sendable, Equatable {
    var err: String
    var description: String
}

/// RFC 8936 §2.3 poll response body.
struct PollResponse: Decodable, Sendable {
    var sets: [String: String]
    /// Absent means false.
    var moreAvailable: Bool?
}

/// The top-level `limits` section: how large a request may be before the gateway
/// refuses it (431, 413) instead of handing it on. Every key is optional.
public struct LimitsConfig: Sendable, Hashable {
    /// Upper bound on a request's header section, counted as RFC 9114 §4.2.2 does
    /// (name + value + 32 per field, pseudo-headers included): above it, 431.
    public var maxHeaderBytes: Int
    /// Upper bound on a request body forwarded upstream, unless the route sets its own
    /// `max_body_bytes`: a larger `content-length` is 413 before the upstream is
    /// contacted; a streamed body that grows past it is cut off and answered 413.
    public var maxBodyBytes: Int

    public static let defaultMaxHeaderBytes = 32 * 1024
    public static let defaultMaxBodyBytes = 64 * 1024 * 1024

    public init(maxHeaderBytes: Int = defaultMaxHeaderBytes, maxBodyBytes: Int = defaultMaxBodyBytes) {
        self.maxHeaderBytes = maxHeaderBytes
        self.maxBodyBytes = maxBodyBytes
    }
}

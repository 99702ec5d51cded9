/// What `EchoUpstream` does for a path. Tests pick a behaviour by path so one upstream
/// serves every proxy test.
enum EchoBehaviour: Equatable {
    /// Answer with the `EchoReport` JSON.
    case echo(status: Int)
    /// Stream `count` bytes of `BytePattern`, chunked, at the pace the client reads.
    case bytes(count: Int)
    /// Answer the echo after `milliseconds`.
    case slow(milliseconds: Int)
    /// Answer the echo with the query's `name=value` pairs as response header fields,
    /// so tests can send hop-by-hop fields the proxy must strip.
    case responseHeaders

    init(path: String) {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        switch (parts.first, parts.count == 2 ? Int(parts[1]) : nil) {
        case ("bytes", let count?) where count >= 0: self = .bytes(count: count)
        case ("slow", let milliseconds?) where milliseconds >= 0: self = .slow(milliseconds: milliseconds)
        case ("status", let status?) where (200...599).contains(status): self = .echo(status: status)
        default: self = parts.first == "response-headers" ? .responseHeaders : .echo(status: 200)
        }
    }
}

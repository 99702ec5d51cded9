import Yams

/// The `limits` section: request header and body size bounds (docs/configuration.md).
extension ConfigParser {
    static let limitsKeys = ["max_header_bytes", "max_body_bytes"]

    /// Defaults when absent; nil when present and wrong.
    func limits(_ entry: (node: Node, path: ConfigKeyPath)?) -> LimitsConfig? {
        guard let entry else { return LimitsConfig() }
        guard let map = reader.mapping(entry.node, at: entry.path, known: Self.limitsKeys) else { return nil }
        // Below 1 KiB not even a token-bearing request fits.
        let header = map.int("max_header_bytes", in: 1_024...Int.max, default: LimitsConfig.defaultMaxHeaderBytes)
        let body = map.positiveInt("max_body_bytes", default: LimitsConfig.defaultMaxBodyBytes)
        guard let header, let body else { return nil }
        return LimitsConfig(maxHeaderBytes: header, maxBodyBytes: body)
    }
}

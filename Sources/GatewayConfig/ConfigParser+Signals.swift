import Yams

/// The `signals` section (docs/signals.md "Configuration"): the SSF receiver's audience,
/// replay and key-cache timing, and the transmitters it trusts. Transmitter entries are
/// read in `ConfigParser+Transmitter.swift`; issuer uniqueness is checked here because
/// it spans entries.
extension ConfigParser {
    static let signalsKeys = [
        "receiver_audience", "replay_window", "replay_capacity", "clock_skew", "jwks_ttl",
        "jwks_min_refetch_interval", "transmitters",
    ]

    /// `.some(nil)` when absent, nil when present and wrong. `identityIssuers`: the
    /// `identity_providers` issuers transmitters may be bound to (nil if that section is wrong).
    func signals(_ entry: (node: Node, path: ConfigKeyPath)?, identityIssuers: [String]?) -> SignalsSettings?? {
        guard let entry else { return .some(nil) }
        guard let map = reader.mapping(entry.node, at: entry.path, known: Self.signalsKeys) else { return nil }
        let audiences = map.node("receiver_audience", required: true).flatMap {
            stringOrList($0.node, at: $0.path, nonEmpty: "list at least one audience, e.g. [rta-gateway]")
        }
        let window = map.duration("replay_window", default: SignalsSettings.defaultReplayWindow)
        let capacity = map.positiveInt("replay_capacity", default: SignalsSettings.defaultReplayCapacity)
        let skew = map.duration("clock_skew", default: SignalsSettings.defaultClockSkew)
        let ttl = map.duration("jwks_ttl", default: SignalsSettings.defaultJWKSTTL)
        let refetch = map.duration("jwks_min_refetch_interval", default: SignalsSettings.defaultJWKSMinRefetchInterval)
        let transmitters = map.node("transmitters", required: true).flatMap {
            self.transmitters($0.node, at: $0.path, identityIssuers: identityIssuers)
        }
        guard let audiences, let window, let capacity, let skew, let ttl, let refetch, let transmitters else { return nil }
        return .some(SignalsSettings(
            audiences: audiences, transmitters: transmitters, replayWindow: window, replayCapacity: capacity,
            clockSkew: skew, jwksTTL: ttl, jwksMinRefetchInterval: refetch))
    }

    /// Every entry, or nil if any entry is wrong or repeats an earlier issuer. An empty
    /// list is refused: the receiver would answer every SET `invalid_issuer`.
    private func transmitters(_ node: Node, at path: ConfigKeyPath, identityIssuers: [String]?) -> [TransmitterSettings]? {
        guard let items = reader.list(node, at: path) else { return nil }
        guard !items.isEmpty else {
            reader.fail(.badValue, at: node, path,
                        "list at least one transmitter (issuer and jwks_url), or remove the signals section")
            return nil
        }
        let parsed = items.enumerated().map { transmitter($1, at: path.index($0), identityIssuers: identityIssuers) }
        var first: [String: (node: Node, path: ConfigKeyPath)] = [:]
        var unique = true
        for issuer in parsed.compactMap(\.issuer) {
            if let earlier = first[issuer.value] {
                let line = earlier.node.mark.map { ", line \($0.line)" } ?? ""
                reader.fail(.duplicateIssuer, at: issuer.node, issuer.path,
                            "duplicate transmitter issuer \"\(issuer.value)\" (first defined at \(earlier.path)\(line))")
                unique = false
            } else {
                first[issuer.value] = (issuer.node, issuer.path)
            }
        }
        let settings = parsed.compactMap(\.settings)
        return unique && settings.count == parsed.count ? settings : nil
    }
}

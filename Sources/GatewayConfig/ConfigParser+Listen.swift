import Yams

/// The `listen` section: sockets, timeouts, the control listener's limits, and which
/// peers may speak for someone else in forwarding headers (`trusted_proxies`).
extension ConfigParser {
    static let listenKeys = [
        "quic", "cert", "key", "control", "control_tls", "idle_timeout", "grace_period", "quic_thread_nice",
        "trusted_proxies", "control_idle_timeout", "control_max_connections",
    ]

    func listen(_ node: Node, at path: ConfigKeyPath) -> ListenConfig? {
        guard let map = reader.mapping(node, at: path, known: Self.listenKeys) else { return nil }
        let quic = map.address("quic", default: nil)
        let cert = map.string("cert").map(resolve)
        let key = map.string("key").map(resolve)
        let control = map.address("control", default: ListenConfig.defaultControl)
        let controlTLS = map.bool("control_tls", default: false)
        let idle = map.duration("idle_timeout", default: ListenConfig.defaultIdleTimeout)
        let grace = map.duration("grace_period", default: ListenConfig.defaultGracePeriod)
        let nice = map.int("quic_thread_nice", in: ListenConfig.niceRange, default: ListenConfig.defaultQUICThreadNice)
        let trusted: [IPAddressRange]? = map.node("trusted_proxies", required: false)
            .map { trustedProxies($0.node, at: $0.path) } ?? []
        let controlIdle = map.duration("control_idle_timeout", default: ListenConfig.defaultControlIdleTimeout)
        let controlMax = map.positiveInt("control_max_connections", default: ListenConfig.defaultControlMaxConnections)
        guard let quic, let cert, let key, let control, let controlTLS, let idle, let grace, let nice, let trusted,
              let controlIdle, let controlMax
        else { return nil }
        return ListenConfig(
            quic: quic, certificatePath: cert, privateKeyPath: key, control: control, controlTLS: controlTLS,
            idleTimeout: idle, gracePeriod: grace, quicThreadNice: nice, trustedProxies: trusted,
            controlIdleTimeout: controlIdle, controlMaxConnections: controlMax)
    }

    /// A list of CIDR blocks; every bad entry is reported at its own line and column.
    private func trustedProxies(_ node: Node, at path: ConfigKeyPath) -> [IPAddressRange]? {
        guard let items = reader.list(node, at: path) else { return nil }
        let ranges = items.enumerated().map { index, item -> IPAddressRange? in
            guard let text = reader.string(item, at: path.index(index)) else { return nil }
            switch IPAddressRange.parse(text) {
            case .success(let range): return range
            case .failure(let reason):
                reader.fail(.badValue, at: item, path.index(index), "invalid trusted proxy \"\(text)\": \(reason.text)")
                return nil
            }
        }
        return ranges.contains(where: { $0 == nil }) ? nil : ranges.compactMap { $0 }
    }

    /// The admin API can revoke every session, and its bearer token would cross the network
    /// in clear: refuse it on a control address other hosts can reach unless TLS is on.
    func checkAdminExposure(listen: ListenConfig?, admin entry: (node: Node, path: ConfigKeyPath)?) {
        guard let listen, let entry, !listen.controlTLS, !listen.control.isLoopback else { return }
        reader.fail(.insecureAdmin, at: entry.node, entry.path,
                    "the admin API would be served in clear on \(listen.control), which is not a loopback address; "
                        + "set listen.control_tls: true, or bind listen.control to 127.0.0.1 or [::1]")
    }
}

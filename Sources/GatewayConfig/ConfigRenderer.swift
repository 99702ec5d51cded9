import Foundation

extension GatewayConfig {
    /// The configuration as YAML with every default written out, e.g. to show the
    /// effective configuration. Parsing the result gives back an equal value, except that
    /// `signals` and `admin` are left out: they hold secrets read from files, which a
    /// rendering must not print.
    public func renderYAML() -> String {
        var lines = ["listen:"]
        lines.append("  quic: \(Self.quote(listen.quic.description))")
        lines.append("  cert: \(Self.quote(listen.certificatePath))")
        lines.append("  key: \(Self.quote(listen.privateKeyPath))")
        lines.append("  control: \(Self.quote(listen.control.description))")
        if listen.controlTLS { lines.append("  control_tls: true") }
        lines.append("  idle_timeout: \(ConfigDuration.render(listen.idleTimeout))")
        lines.append("  grace_period: \(ConfigDuration.render(listen.gracePeriod))")
        lines.append("  quic_thread_nice: \(listen.quicThreadNice)")
        if !listen.trustedProxies.isEmpty {
            lines.append("  trusted_proxies: [\(listen.trustedProxies.map { Self.quote($0.description) }.joined(separator: ", "))]")
        }
        lines.append("  control_idle_timeout: \(ConfigDuration.render(listen.controlIdleTimeout))")
        lines.append("  control_max_connections: \(listen.controlMaxConnections)")
        lines.append(upstreams.isEmpty ? "upstreams: []" : "upstreams:")
        for upstream in upstreams {
            lines.append("  - name: \(Self.quote(upstream.name))")
            lines.append("    urls: [\(upstream.urls.map { Self.quote($0.description) }.joined(separator: ", "))]")
            lines.append("    connect_timeout: \(ConfigDuration.render(upstream.connectTimeout))")
            lines.append("    response_timeout: \(ConfigDuration.render(upstream.responseTimeout))")
            lines.append("    max_connections: \(upstream.maxConnections)")
        }
        lines.append(routes.isEmpty ? "routes: []" : "routes:")
        for route in routes {
            lines.append("  - name: \(Self.quote(route.name))")
            if let host = route.host { lines.append("    host: \(Self.quote(host.description))") }
            switch route.path {
            case .exact(let path): lines.append("    path: {exact: \(Self.quote(path))}")
            case .prefix(let path): lines.append("    path: {prefix: \(Self.quote(path))}")
            case .template(let template): lines.append("    path: {template: \(Self.quote(template.description))}")
            }
            if let methods = route.methods { lines.append("    methods: [\(methods.joined(separator: ", "))]") }
            lines.append("    upstream: \(Self.quote(route.upstream))")
            lines.append("    strip_prefix: \(route.stripPrefix)")
            lines.append("    public: \(route.isPublic)")
            if !route.audit { lines.append("    audit: false") }
            if route.reachesProtectedPaths { lines.append("    reaches_protected_paths: true") }
            if let bytes = route.maxBodyBytes { lines.append("    max_body_bytes: \(bytes)") }
            if let policy = route.policy {
                var fields = ["resource_type: \(Self.quote(policy.resourceType))"]
                if let action = policy.action { fields.insert("action: \(Self.quote(action))", at: 0) }
                if let id = policy.resourceID { fields.append("resource_id: \(Self.quote(id.description))") }
                lines.append("    policy: {\(fields.joined(separator: ", "))}")
            }
        }
        lines.append("policies:")
        lines.append("  directory: \(Self.quote(policies.directory))")
        if let schema = policies.schemaPath { lines.append("  schema: \(Self.quote(schema))") }
        if let entities = policies.entitiesPath { lines.append("  entities: \(Self.quote(entities))") }
        lines.append("  reload: {watch: \(policies.watch), interval: \(ConfigDuration.render(policies.interval))}")
        lines.append("limits: {max_header_bytes: \(limits.maxHeaderBytes), max_body_bytes: \(limits.maxBodyBytes)}")
        lines += renderSecuritySections()
        return lines.joined(separator: "\n") + "\n"
    }

    private func renderSecuritySections() -> [String] {
        var lines: [String] = []
        if let tokens {
            lines.append("tokens:")
            lines.append("  keys: [\(tokens.keyPaths.map(Self.quote).joined(separator: ", "))]")
            if let id = tokens.currentKeyID { lines.append("  current_key_id: \(id)") }
            lines.append("  max_age: \(ConfigDuration.render(tokens.maxAge))")
            lines.append("  clock_skew: \(ConfigDuration.render(tokens.clockSkew))")
            lines.append("  max_sessions_per_subject: \(tokens.maxSessionsPerSubject)")
            lines.append("  max_exchanges_per_subject: \(tokens.maxExchangesPerSubject)")
        }
        if !identityProviders.isEmpty { lines.append("identity_providers:") }
        for provider in identityProviders {
            lines.append("  - issuer: \(Self.quote(provider.issuer))")
            lines.append("    audience: [\(provider.audiences.map(Self.quote).joined(separator: ", "))]")
            switch provider.validation {
            case .jwks(let url):
                lines.append("    jwks_url: \(Self.quote(url))")
            case .introspection(let url, let clientID, let clientSecret):
                lines.append("    introspection_url: \(Self.quote(url))")
                lines.append("    client_id: \(Self.quote(clientID))")
                lines.append("    client_secret: \(Self.quote(clientSecret))")
            }
            if let algorithms = provider.algorithms { lines.append("    algorithms: [\(algorithms.map(Self.quote).joined(separator: ", "))]") }
            if let secret = provider.hmacSecret { lines.append("    hmac_secret: \(Self.quote(secret))") }
            if let skew = provider.clockSkew { lines.append("    clock_skew: \(ConfigDuration.render(skew))") }
            if let claims = provider.policyClaims { lines.append("    policy_claims: [\(claims.map(Self.quote).joined(separator: ", "))]") }
            if let ttl = provider.jwksCacheTTL { lines.append("    jwks_cache_ttl: \(ConfigDuration.render(ttl))") }
            if let refetch = provider.jwksMinRefetchInterval {
                lines.append("    jwks_min_refetch_interval: \(ConfigDuration.render(refetch))")
            }
            if provider.emailAuthoritative { lines.append("    email_authoritative: true") }
            if !provider.agents.isEmpty {
                lines.append("    agents:")
                for (client, agents) in provider.agents.sorted(by: { $0.key < $1.key }) {
                    lines.append("      \(Self.quote(client)): [\(agents.map(Self.quote).joined(separator: ", "))]")
                }
            }
            if provider.requireVerifiedAgent { lines.append("    require_verified_agent: true") }
        }
        if let audit {
            lines.append("audit:")
            if let file = audit.file { lines.append("  file: \(Self.quote(file))") }
            lines.append("  stdout: \(audit.stdout)")
            lines.append("  fsync: \(audit.sync.rawValue)")
            lines.append("  fsync_interval: \(ConfigDuration.render(audit.syncInterval))")
            if let bytes = audit.rotateBytes { lines.append("  rotate_bytes: \(bytes)") }
            if let retention = audit.retention {
                lines.append("  retention:")
                if let files = retention.maxFiles { lines.append("    max_files: \(files)") }
                if let age = retention.maxAge { lines.append("    max_age: \(ConfigDuration.render(age))") }
            }
        }
        return lines
    }

    /// A double-quoted YAML scalar, so no value is re-read as a number, boolean or null.
    private static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 { out += String(format: "\\x%02X", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}

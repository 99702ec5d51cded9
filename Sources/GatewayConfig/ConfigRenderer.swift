import Foundation

extension GatewayConfig {
    /// The configuration as YAML with every default written out, e.g. to show the
    /// effective configuration. Parsing the result gives back an equal value.
    public func renderYAML() -> String {
        var lines = ["listen:"]
        lines.append("  quic: \(Self.quote(listen.quic.description))")
        lines.append("  cert: \(Self.quote(listen.certificatePath))")
        lines.append("  key: \(Self.quote(listen.privateKeyPath))")
        lines.append("  control: \(Self.quote(listen.control.description))")
        lines.append("  idle_timeout: \(ConfigDuration.render(listen.idleTimeout))")
        lines.append("  grace_period: \(ConfigDuration.render(listen.gracePeriod))")
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
        return lines.joined(separator: "\n") + "\n"
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

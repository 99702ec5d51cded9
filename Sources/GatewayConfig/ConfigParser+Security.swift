import Yams

/// The `tokens` and `identity_providers` sections. Each is optional; a section
/// that is present but wrong records its errors and yields `.none` for the whole parse.
extension ConfigParser {
    static let tokensKeys = [
        "keys", "current_key_id", "max_age", "clock_skew", "session_idle_timeout", "session_lifetime", "exchange_nonce_capacity",
        "max_sessions_per_subject", "max_exchanges_per_subject",
    ]
    static let identityProviderKeys = [
        "issuer", "audience", "jwks_url", "introspection_url", "client_id", "client_secret", "algorithms",
        "hmac_secret", "clock_skew", "policy_claims", "jwks_cache_ttl", "jwks_min_refetch_interval",
        "email_authoritative", "agents", "require_verified_agent",
    ]

    /// `.some(nil)` when absent, nil when present and wrong.
    func tokens(_ entry: (node: Node, path: ConfigKeyPath)?) -> TokensConfig?? {
        guard let entry else { return .some(nil) }
        guard let map = reader.mapping(entry.node, at: entry.path, known: Self.tokensKeys) else { return nil }
        var keys: [String]?
        if let item = map.node("keys", required: true) {
            keys = strings(item.node, at: item.path, nonEmpty: "list at least one key file, e.g. [keys/signing-key-1.json]")
                .map { $0.map(resolve) }
        }
        var currentKeyID: UInt32?? = .some(nil)
        if let item = map.node("current_key_id", required: false) {
            currentKeyID = reader.int(item.node, at: item.path).flatMap { value in
                guard let id = UInt32(exactly: value) else {
                    reader.fail(.badValue, at: item.node, item.path, "key ids are 0…4294967295, found \(value)")
                    return nil
                }
                return .some(id)
            }
        }
        let maxAge = map.duration("max_age", default: TokensConfig.defaultMaxAge)
        let skew = map.duration("clock_skew", default: TokensConfig.defaultClockSkew)
        let idle = map.duration("session_idle_timeout", default: TokensConfig.defaultSessionIdleTimeout)
        let lifetime = map.duration("session_lifetime", default: TokensConfig.defaultSessionLifetime)
        let nonceCapacity = map.positiveInt("exchange_nonce_capacity", default: TokensConfig.defaultExchangeNonceCapacity)
        let maxSessions = map.positiveInt("max_sessions_per_subject", default: TokensConfig.defaultMaxSessionsPerSubject)
        let maxExchanges = map.positiveInt("max_exchanges_per_subject", default: TokensConfig.defaultMaxExchangesPerSubject)
        guard let keys, let currentKeyID, let maxAge, let skew, let idle, let lifetime, let nonceCapacity, let maxSessions,
              let maxExchanges
        else { return nil }
        return .some(TokensConfig(keyPaths: keys, currentKeyID: currentKeyID, maxAge: maxAge, clockSkew: skew,
                                  sessionIdleTimeout: idle, sessionLifetime: lifetime, exchangeNonceCapacity: nonceCapacity,
                                  maxSessionsPerSubject: maxSessions, maxExchangesPerSubject: maxExchanges))
    }

    /// nil when present and wrong; `[]` when absent.
    func identityProviders(_ entry: (node: Node, path: ConfigKeyPath)?) -> [IdentityProviderSettings]? {
        guard let entry else { return [] }
        guard let items = reader.list(entry.node, at: entry.path) else { return nil }
        let parsed = items.enumerated().map { identityProvider($1, at: entry.path.index($0)) }
        return parsed.contains(where: { $0 == nil }) ? nil : parsed.compactMap { $0 }
    }

    private func identityProvider(_ node: Node, at path: ConfigKeyPath) -> IdentityProviderSettings? {
        guard let map = reader.mapping(node, at: path, known: Self.identityProviderKeys) else { return nil }
        let issuer = map.string("issuer")
        let audiences = map.node("audience", required: true).flatMap {
            stringOrList($0.node, at: $0.path, nonEmpty: "list at least one audience, e.g. [rta-gateway]")
        }
        let validation = identityProviderValidation(map, at: path)
        let algorithms = optionalStrings(map, "algorithms")
        let hmacSecret = optionalString(map, "hmac_secret")
        let policyClaims = optionalStrings(map, "policy_claims")
        let skew = optionalDuration(map, "clock_skew")
        let ttl = optionalDuration(map, "jwks_cache_ttl")
        let refetch = optionalDuration(map, "jwks_min_refetch_interval")
        let emailAuthoritative = map.bool("email_authoritative", default: false)
        var agents: [String: [String]]? = [:]
        if let entry = map.node("agents", required: false) { agents = agentRegistry(entry.node, at: entry.path) }
        let requireVerifiedAgent = map.bool("require_verified_agent", default: false)
        guard let issuer, let audiences, let validation, let algorithms, let hmacSecret, let policyClaims,
              let skew, let ttl, let refetch, let emailAuthoritative, let agents, let requireVerifiedAgent
        else { return nil }
        return IdentityProviderSettings(
            issuer: issuer, audiences: audiences, validation: validation, algorithms: algorithms, hmacSecret: hmacSecret,
            clockSkew: skew, policyClaims: policyClaims, jwksCacheTTL: ttl, jwksMinRefetchInterval: refetch,
            emailAuthoritative: emailAuthoritative, agents: agents, requireVerifiedAgent: requireVerifiedAgent)
    }

    /// `agents: {<client_id>: [<agent_id>, …]}`: the agent ids each OAuth client's
    /// tokens may present besides the client id itself.
    private func agentRegistry(_ node: Node, at path: ConfigKeyPath) -> [String: [String]]? {
        guard case .mapping(let mapping) = node else {
            reader.fail(.wrongType, at: node, path, "expected a mapping of client_id to agent ids, e.g. {dev-agent: [planner]}")
            return nil
        }
        var registry: [String: [String]] = [:]
        var ok = true
        for (key, value) in mapping {
            guard let clientID = reader.string(key, at: path) else {
                ok = false
                continue
            }
            let itemPath = path.key(clientID)
            guard let agents = strings(value, at: itemPath, nonEmpty: "list at least one agent id for client \(clientID)") else {
                ok = false
                continue
            }
            registry[clientID] = agents
        }
        return ok ? registry : nil
    }

    private func identityProviderValidation(_ map: MappingReader, at path: ConfigKeyPath) -> IdentityProviderSettings.Validation? {
        let jwks = map.node("jwks_url", required: false)
        let introspection = map.node("introspection_url", required: false)
        switch (jwks, introspection) {
        case (let jwks?, nil):
            return reader.string(jwks.node, at: jwks.path).map { .jwks(url: $0) }
        case (nil, let introspection?):
            let url = reader.string(introspection.node, at: introspection.path)
            let clientID = map.string("client_id")
            let clientSecret = map.string("client_secret")
            guard let url, let clientID, let clientSecret else { return nil }
            return .introspection(url: url, clientID: clientID, clientSecret: clientSecret)
        case (_?, let introspection?):
            reader.fail(.badValue, at: introspection.node, introspection.path,
                        "use either jwks_url (local JWT checks) or introspection_url (RFC 7662), not both")
            return nil
        case (nil, nil):
            reader.fail(.missingKey, at: map.node, path,
                        "missing \"jwks_url\" or \"introspection_url\": say how this issuer's tokens are checked")
            return nil
        }
    }

    /// One string or a non-empty list of them (an `audience`-style key).
    func stringOrList(_ node: Node, at path: ConfigKeyPath, nonEmpty hint: String) -> [String]? {
        if case .scalar = node { return reader.string(node, at: path).map { [$0] } }
        return strings(node, at: path, nonEmpty: hint)
    }

    func strings(_ node: Node, at path: ConfigKeyPath, nonEmpty hint: String) -> [String]? {
        guard let items = reader.list(node, at: path) else { return nil }
        guard !items.isEmpty else {
            reader.fail(.badValue, at: node, path, hint)
            return nil
        }
        let values = items.enumerated().map { reader.string($1, at: path.index($0)) }
        return values.contains(where: { $0 == nil }) ? nil : values.compactMap { $0 }
    }

    func optionalString(_ map: MappingReader, _ key: String) -> String?? {
        guard let item = map.node(key, required: false) else { return .some(nil) }
        return reader.string(item.node, at: item.path).map { .some($0) }
    }

    private func optionalStrings(_ map: MappingReader, _ key: String) -> [String]?? {
        guard let item = map.node(key, required: false) else { return .some(nil) }
        return strings(item.node, at: item.path, nonEmpty: "list at least one value").map { .some($0) }
    }

    private func optionalDuration(_ map: MappingReader, _ key: String) -> Duration?? {
        guard map.node(key, required: false) != nil else { return .some(nil) }
        return map.duration(key, default: .zero).map { .some($0) }
    }
}

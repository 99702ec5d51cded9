import Yams

/// One `signals.transmitters[]` entry. Besides each key's own shape this checks the
/// rules that tie keys together, at the key that breaks them, so `validate` finds them
/// before the receiver's own initialisers would refuse the entry at start-up:
/// HS256 needs `hmac_secret_file`, an asymmetric algorithm needs `jwks_url`, a secret
/// is only given with HS256, poll settings only with `poll_url`, and the issuers it
/// speaks for (`subject_issuers`, default its own) are configured identity providers.
extension ConfigParser {
    static let transmitterKeys = [
        "issuer", "jwks_url", "algorithms", "hmac_secret_file", "bearer_token", "poll_url", "poll_authorization",
        "long_poll", "poll_interval", "subject_issuers",
    ]
    /// What the receiver can verify (`SETAlgorithm`); `none` is deliberately absent.
    static let transmitterAlgorithms = ["RS256", "PS256", "ES256", "HS256"]
    /// The receiver's allow-list when `algorithms` is left out.
    static let defaultTransmitterAlgorithm = "RS256"
    /// RFC 7518 §3.2: an HS256 key at least as long as the hash output.
    static let minimumHMACSecretBytes = 32

    /// An entry as far as it could be read; `settings` is nil if anything was wrong.
    struct Transmitter {
        var settings: TransmitterSettings?
        var issuer: (value: String, node: Node, path: ConfigKeyPath)?
    }

    /// One `algorithms` item with where it was written, for errors that point at it.
    private struct Algorithm {
        var name: String
        var node: Node
        var path: ConfigKeyPath
    }

    /// `identityIssuers`: the `identity_providers` issuers, nil when that section had errors
    /// (then `subject_issuers` is not cross-checked, to avoid a second error for one fault).
    func transmitter(_ node: Node, at path: ConfigKeyPath, identityIssuers: [String]?) -> Transmitter {
        guard let map = reader.mapping(node, at: path, known: Self.transmitterKeys) else { return Transmitter() }
        var result = Transmitter()
        if let entry = map.node("issuer", required: true), let issuer = reader.string(entry.node, at: entry.path) {
            result.issuer = (issuer, entry.node, entry.path)
        }
        let jwksURL = optionalFetchURL(map, "jwks_url")
        let algorithms = transmitterAlgorithms(map)
        let secret = hmacSecret(map)
        let bearer = optionalString(map, "bearer_token")
        let pollURL = optionalFetchURL(map, "poll_url")
        let pollAuthorization = optionalString(map, "poll_authorization")
        let longPoll = map.bool("long_poll", default: true)
        let interval = map.duration("poll_interval", default: TransmitterSettings.defaultPollInterval)
        let keysAgree = algorithms.map { checkKeys(map, at: path, algorithms: $0) } ?? false
        let pollAgrees = checkPollSettings(map)
        let subjectIssuers = self.subjectIssuers(map, transmitter: result.issuer, identityIssuers: identityIssuers)
        guard let issuer = result.issuer?.value, let jwksURL, let algorithms, let secret, let bearer, let pollURL,
              let pollAuthorization, let longPoll, let interval, keysAgree, pollAgrees, let subjectIssuers
        else { return result }
        result.settings = TransmitterSettings(
            issuer: issuer, jwksURL: jwksURL, algorithms: algorithms?.map(\.name), hmacSecret: secret,
            bearerToken: bearer, pollURL: pollURL, pollAuthorization: pollAuthorization, longPoll: longPoll,
            pollInterval: interval, subjectIssuers: subjectIssuers)
        return result
    }

    /// `subject_issuers`: `.some(nil)` when absent and the transmitter's own issuer is a
    /// configured IdP (or none is configured: no exchange session can exist then); nil
    /// (recorded) when an issuer is not a configured IdP, or the default would leave the
    /// transmitter speaking for none, so its revocations would silently apply to nobody.
    private func subjectIssuers(
        _ map: MappingReader, transmitter: (value: String, node: Node, path: ConfigKeyPath)?, identityIssuers: [String]?
    ) -> [String]?? {
        let configured = identityIssuers.map { $0.isEmpty ? "none is configured" : "configured: " + $0.joined(separator: ", ") }
        guard let entry = map.node("subject_issuers", required: false) else {
            guard let transmitter, let identityIssuers, !identityIssuers.isEmpty,
                  !identityIssuers.contains(transmitter.value)
            else { return .some(nil) }
            reader.fail(.missingKey, at: transmitter.node, transmitter.path,
                        "transmitter \"\(transmitter.value)\" is not an identity provider, so it speaks for no subject: "
                            + "add subject_issuers listing the identity_providers issuers whose users it may revoke "
                            + "(\(configured ?? ""))")
            return nil
        }
        guard let items = reader.list(entry.node, at: entry.path) else { return nil }
        guard !items.isEmpty else {
            reader.fail(.badValue, at: entry.node, entry.path,
                        "list at least one identity provider issuer, or leave subject_issuers out for the transmitter's own issuer")
            return nil
        }
        var issuers: [String] = []
        var ok = true
        for (index, item) in items.enumerated() {
            let itemPath = entry.path.index(index)
            guard let issuer = reader.string(item, at: itemPath) else {
                ok = false
                continue
            }
            if let identityIssuers, let configured, !identityIssuers.contains(issuer) {
                reader.fail(.badValue, at: item, itemPath,
                            "\"\(issuer)\" is not an identity_providers issuer (\(configured))")
                ok = false
            } else if issuers.contains(issuer) {
                reader.fail(.badValue, at: item, itemPath, "issuer \"\(issuer)\" is listed twice")
                ok = false
            } else {
                issuers.append(issuer)
            }
        }
        return ok ? .some(issuers) : nil
    }

    /// `.some(nil)` when absent, nil when present and wrong (`none`, `HS384`, repeats, …).
    private func transmitterAlgorithms(_ map: MappingReader) -> [Algorithm]?? {
        guard let entry = map.node("algorithms", required: false) else { return .some(nil) }
        guard let items = reader.list(entry.node, at: entry.path) else { return nil }
        guard !items.isEmpty else {
            reader.fail(.badValue, at: entry.node, entry.path,
                        "list at least one algorithm, or leave algorithms out for the default [RS256]")
            return nil
        }
        var algorithms: [Algorithm] = []
        var ok = true
        for (index, item) in items.enumerated() {
            let itemPath = entry.path.index(index)
            guard let name = reader.string(item, at: itemPath) else {
                ok = false
                continue
            }
            if let problem = Self.algorithmProblem(name) {
                reader.fail(.badValue, at: item, itemPath, problem)
                ok = false
            } else if algorithms.contains(where: { $0.name == name }) {
                reader.fail(.badValue, at: item, itemPath, "algorithm \"\(name)\" is listed twice")
                ok = false
            } else {
                algorithms.append(Algorithm(name: name, node: item, path: itemPath))
            }
        }
        return ok ? .some(algorithms) : nil
    }

    private static func algorithmProblem(_ name: String) -> String? {
        if transmitterAlgorithms.contains(name) { return nil }
        if name.lowercased() == "none" {
            return "algorithm \"none\" is never allowed: an unsigned SET proves nothing"
        }
        let supported = "use RS256, PS256, ES256 or HS256"
        if transmitterAlgorithms.contains(name.uppercased()) {
            return "unsupported algorithm \"\(name)\" (did you mean \"\(name.uppercased())\"?)"
        }
        return "unsupported algorithm \"\(name)\": \(supported)"
    }

    /// The bytes of `hmac_secret_file`: `.some(nil)` when absent, nil when unreadable or short.
    private func hmacSecret(_ map: MappingReader) -> [UInt8]?? {
        guard let entry = map.node("hmac_secret_file", required: false) else { return .some(nil) }
        guard let text = reader.string(entry.node, at: entry.path) else { return nil }
        let path = resolve(text)
        switch ConfigSecretFile.read(path) {
        case .failure(let reason):
            reader.fail(.unreadableFile, at: entry.node, entry.path, "cannot read \"\(path)\": \(reason.text)")
            return nil
        case .success(let secret) where secret.count < Self.minimumHMACSecretBytes:
            reader.fail(.badValue, at: entry.node, entry.path,
                        "the HS256 secret in \"\(path)\" is \(secret.count) bytes; use at least "
                            + "\(Self.minimumHMACSecretBytes) (e.g. openssl rand -hex 32)")
            return nil
        case .success(let secret):
            return .some(secret)
        }
    }

    /// HS256 ⇔ `hmac_secret_file`; any asymmetric algorithm ⇒ `jwks_url`. False if broken (recorded).
    private func checkKeys(_ map: MappingReader, at path: ConfigKeyPath, algorithms: [Algorithm]?) -> Bool {
        let secret = map.node("hmac_secret_file", required: false)
        let hs256 = algorithms?.first { $0.name == "HS256" }
        var ok = true
        if let hs256, secret == nil {
            reader.fail(.missingKey, at: hs256.node, hs256.path,
                        "HS256 needs hmac_secret_file: a file holding the shared secret (at least 32 bytes)")
            ok = false
        }
        if let secret, hs256 == nil {
            reader.fail(.badValue, at: secret.node, secret.path,
                        "hmac_secret_file is used only with HS256: add HS256 to algorithms or remove hmac_secret_file")
            ok = false
        }
        guard map.node("jwks_url", required: false) == nil else { return ok }
        if let algorithms {
            if let asymmetric = algorithms.first(where: { $0.name != "HS256" }) {
                reader.fail(.missingKey, at: asymmetric.node, asymmetric.path,
                            "\(asymmetric.name) is verified with the transmitter's public keys: add jwks_url")
                ok = false
            }
        } else {
            reader.fail(.missingKey, at: map.node, path,
                        "missing \"jwks_url\": the default algorithm \(Self.defaultTransmitterAlgorithm) is verified "
                            + "with the transmitter's public keys (or set algorithms: [HS256] and hmac_secret_file)")
            ok = false
        }
        return ok
    }

    /// `poll_authorization`, `long_poll` and `poll_interval` mean nothing without
    /// `poll_url`; one written alone is most likely a forgotten `poll_url`.
    private func checkPollSettings(_ map: MappingReader) -> Bool {
        guard map.node("poll_url", required: false) == nil else { return true }
        var ok = true
        for key in ["poll_authorization", "long_poll", "poll_interval"] {
            guard let entry = map.node(key, required: false) else { continue }
            reader.fail(.badValue, at: entry.node, entry.path, "\(key) applies only when poll_url is set")
            ok = false
        }
        return ok
    }

    /// `.some(nil)` when absent, nil when present and wrong.
    private func optionalFetchURL(_ map: MappingReader, _ key: String) -> String?? {
        guard let entry = map.node(key, required: false) else { return .some(nil) }
        guard let text = reader.string(entry.node, at: entry.path) else { return nil }
        if let problem = ConfigFetchURL.problem(text) {
            reader.fail(.badValue, at: entry.node, entry.path, "invalid URL \"\(text)\": \(problem.text)")
            return nil
        }
        return .some(text)
    }
}

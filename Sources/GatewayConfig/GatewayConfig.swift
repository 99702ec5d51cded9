import Foundation
import Yams

/// The gateway's whole configuration, read from `gateway.yaml`.
///
/// `load(path:)` and `parse(yaml:fileName:)` are the only way to build one from text,
/// and both start-up and `rta-gateway validate` call them, so a file that validates is a
/// file that starts. A bad file throws `ConfigErrors` listing every problem at once.
public struct GatewayConfig: Sendable, Hashable {
    public var listen: ListenConfig
    public var upstreams: [UpstreamConfig]
    public var routes: [RouteConfig]
    public var policies: PoliciesConfig
    /// nil: no token exchange and no protected routes (`validate` refuses a protected
    /// route without it).
    public var tokens: TokensConfig?
    public var identityProviders: [IdentityProviderSettings]
    /// nil: no audit log.
    public var audit: AuditConfig?
    /// nil: no SSF receiver.
    public var signals: SignalsSettings?
    /// nil: no admin API.
    public var admin: AdminSettings?
    public var limits: LimitsConfig

    public init(
        listen: ListenConfig, upstreams: [UpstreamConfig], routes: [RouteConfig],
        policies: PoliciesConfig = PoliciesConfig(), tokens: TokensConfig? = nil,
        identityProviders: [IdentityProviderSettings] = [], audit: AuditConfig? = nil, signals: SignalsSettings? = nil,
        admin: AdminSettings? = nil, limits: LimitsConfig = LimitsConfig()
    ) {
        self.listen = listen
        self.upstreams = upstreams
        self.routes = routes
        self.policies = policies
        self.tokens = tokens
        self.identityProviders = identityProviders
        self.audit = audit
        self.signals = signals
        self.admin = admin
        self.limits = limits
    }

    public func upstream(named name: String) -> UpstreamConfig? {
        upstreams.first { $0.name == name }
    }

    /// Reads and parses a file. Errors name the file as `path` was given; relative
    /// certificate, key, policy and secret-file paths resolve against the file's folder.
    /// Secret files (`hmac_secret_file`, `admin.token_file`) are read here, so a missing
    /// or short secret is a configuration error, not a failure at the first request.
    public static func load(path: String) throws(ConfigErrors) -> GatewayConfig {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigErrors([ConfigError(
                .unreadableFile, file: path, line: 0, column: 0, keyPath: "",
                message: "cannot read configuration file: \(error.localizedDescription)")])
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return try parse(yaml: text, fileName: path, baseDirectory: folder)
    }

    /// Parses YAML text. `fileName` is used in error messages; `baseDirectory` (default:
    /// the folder part of `fileName`, if any) anchors relative certificate, key and policy paths.
    public static func parse(
        yaml: String, fileName: String, baseDirectory: String? = nil
    ) throws(ConfigErrors) -> GatewayConfig {
        let reader = ConfigReader(file: fileName)
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw ConfigErrors([YAMLSyntaxError.configError(error, file: fileName)])
        }
        guard let root else {
            throw ConfigErrors([ConfigError(
                .missingKey, file: fileName, line: 1, column: 1, keyPath: "",
                message: "the configuration is empty (expected keys: listen, upstreams, routes)")])
        }
        let folder = baseDirectory ?? (fileName.contains("/") ? (fileName as NSString).deletingLastPathComponent : nil)
        let parsed = ConfigParser(reader: reader, baseDirectory: folder).document(root)
        ConfigValidator(reader: reader).validate(
            upstreams: parsed.upstreams, routes: parsed.routes, hasTokens: parsed.tokens.map { $0 != nil } ?? true)
        let upstreams = parsed.upstreams.compactMap(\.config)
        let routes = parsed.routes.compactMap(\.config)
        guard reader.errors.isEmpty, let listen = parsed.listen, let policies = parsed.policies,
              let tokens = parsed.tokens, let identityProviders = parsed.identityProviders, let audit = parsed.audit,
              let signals = parsed.signals, let admin = parsed.admin, let limits = parsed.limits,
              upstreams.count == parsed.upstreams.count, routes.count == parsed.routes.count
        else {
            throw ConfigErrors(sortedByPosition(reader.errors))
        }
        return GatewayConfig(
            listen: listen, upstreams: upstreams, routes: routes, policies: policies, tokens: tokens,
            identityProviders: identityProviders, audit: audit, signals: signals, admin: admin, limits: limits)
    }

    /// Document order, so the first error printed is the first one in the file.
    private static func sortedByPosition(_ errors: [ConfigError]) -> [ConfigError] {
        errors.enumerated().sorted { a, b in
            (a.element.line, a.element.column, a.offset) < (b.element.line, b.element.column, b.offset)
        }.map(\.element)
    }
}

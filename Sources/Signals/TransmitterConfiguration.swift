/// One SSF transmitter this receiver trusts (`signals.transmitters[]` in gateway.yaml).
/// Everything a SET is checked against comes from here, never from the SET itself:
/// the issuer, where its keys live, which algorithms it may use, and how it
/// authenticates its HTTP requests.
public struct TransmitterConfiguration: Sendable {
    /// Exact `iss` of its SETs (SSF §4.1.6).
    public let issuer: String
    /// Its `jwks_uri`; required unless it signs only with a shared secret.
    public let jwksURL: String?
    /// Algorithm allow-list; RS256 unless configured otherwise.
    public let algorithms: Set<SETAlgorithm>
    /// Shared secret for HS256. The only HMAC key ever used: an RSA public key from
    /// the JWKS can never become an HMAC secret (the classic algorithm confusion).
    public let hmacSecret: [UInt8]?
    /// Push: the `Authorization: Bearer <token>` value it must send (SSF §6.1.1
    /// `authorization_header`); nil accepts pushes authenticated by the SET signature alone.
    public let bearerToken: String?
    /// Poll (RFC 8936): the transmitter's poll `endpoint_url`, if we poll it.
    public let pollURL: String?
    /// Poll: the `Authorization` header value we send to the poll endpoint.
    public let pollAuthorization: String?
    /// The IdP issuers whose subjects its SETs may affect (`subject_issuers`): an
    /// `iss_sub` of any other issuer is refused `access_denied`, and emails, phone
    /// numbers and IdP session ids it names apply only to these issuers' sessions and
    /// tokens. Default: its own issuer (an IdP that is its own transmitter).
    public let subjectIssuers: Set<String>

    public init(
        issuer: String, jwksURL: String?, algorithms: Set<SETAlgorithm> = [.rs256], hmacSecret: [UInt8]? = nil,
        bearerToken: String? = nil, pollURL: String? = nil, pollAuthorization: String? = nil,
        subjectIssuers: Set<String>? = nil
    ) throws(SignalsConfigurationError) {
        guard !issuer.isEmpty else {
            throw SignalsConfigurationError(key: "issuer", "transmitter issuer must not be empty")
        }
        guard !algorithms.isEmpty else {
            throw SignalsConfigurationError(key: "algorithms", "transmitter \(issuer) allows no algorithm")
        }
        if algorithms.contains(.hs256) && (hmacSecret?.count ?? 0) < 32 {
            throw SignalsConfigurationError(key: "algorithms",
                                            "transmitter \(issuer) allows HS256 but has no shared secret of at least 32 bytes")
        }
        if algorithms.contains(where: \.isAsymmetric) && jwksURL == nil {
            throw SignalsConfigurationError(key: "jwks_url", "transmitter \(issuer) allows \(algorithms.filter(\.isAsymmetric).map(\.rawValue).sorted()) but has no jwks_url")
        }
        if let bearerToken, bearerToken.isEmpty {
            throw SignalsConfigurationError(key: "bearer_token", "transmitter \(issuer) has an empty bearer_token")
        }
        if let subjectIssuers, subjectIssuers.isEmpty || subjectIssuers.contains("") {
            throw SignalsConfigurationError(key: "subject_issuers",
                                            "transmitter \(issuer) must list at least one non-empty identity provider issuer")
        }
        self.issuer = issuer
        self.subjectIssuers = subjectIssuers ?? [issuer]
        self.jwksURL = jwksURL
        self.algorithms = algorithms
        self.hmacSecret = hmacSecret
        self.bearerToken = bearerToken
        self.pollURL = pollURL
        self.pollAuthorization = pollAuthorization
    }
}

/// A `signals:` configuration the receiver cannot run with; `key` names the offending
/// gateway.yaml key so the config validator can point at it.
public struct SignalsConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public let key: String
    public let message: String

    public init(key: String, _ message: String) {
        self.key = key
        self.message = message
    }

    public var description: String { "signals.\(key): \(message)" }
}

import TokenExchange
import Foundation
import AsyncHTTPClient
import RTATokens

/// Verifies a SET against RFC 8417 and the SSF 1.0 profile before anything acts on
/// it. The checks run cheapest first, and each failure names its RFC 8935 error code:
/// structure and `typ` → issuer → algorithm allow-list → key by `kid` → signature →
/// forbidden claims (`sub`, `exp`) → audience → required claims → exactly one event →
/// subject. Nothing in the token chooses how it is checked: the algorithm must be on
/// the issuer's configured list and the key comes from that issuer's JWKS or secret.
public struct SETVerifier: Sendable {
    public let configuration: ReceiverConfiguration
    private let keys: [String: TransmitterKeys]
    private let clock: TokenClock

    /// `httpClient` fetches the transmitters' JWKS; the caller owns its lifecycle.
    public init(configuration: ReceiverConfiguration, httpClient: HTTPClient, clock: TokenClock = .system) {
        self.configuration = configuration
        self.clock = clock
        keys = configuration.transmitters.mapValues {
            TransmitterKeys(transmitter: $0, httpClient: httpClient, clock: clock, ttl: configuration.jwksTTL,
                            minRefetchInterval: configuration.jwksMinRefetchInterval)
        }
    }

    /// The configured transmitter a SET claims to come from, read WITHOUT verifying
    /// anything: only for choosing which bearer token the push must carry.
    func claimedTransmitter(of parsed: CompactSET) -> TransmitterConfiguration? {
        parsed.claims["iss"]?.string.flatMap { configuration.transmitters[$0] }
    }

    public func verify(_ compact: String) async throws(SignalProcessingError) -> VerifiedSET {
        let parsed: CompactSET
        do {
            parsed = try CompactSET(trimming: compact)
        } catch {
            throw .rejected(error)
        }
        return try await verify(parsed)
    }

    /// A SET the caller already parsed (the push receiver reads its issuer first).
    func verify(_ parsed: CompactSET) async throws(SignalProcessingError) -> VerifiedSET {
        let header: SETHeader
        do {
            header = try SETHeader(parsed.header)
        } catch {
            throw .rejected(error)
        }
        let claims = parsed.claims
        guard let issuer = claims["iss"]?.string else {
            throw .rejected(SETError(.invalidRequest, "SET has no iss"))
        }
        guard let transmitterKeys = keys[issuer] else {
            throw .rejected(SETError(.invalidIssuer, "iss \(issuer) is not a configured transmitter"))
        }
        let verifier = try await transmitterKeys.verifier(for: header.algorithm, keyID: header.keyID)
        let signatureValid = (try? verifier.verify(parsed.signature, signs: parsed.signingInput)) ?? false
        guard signatureValid else {
            throw .rejected(SETError(.invalidKey, "signature does not verify with \(header.algorithm.rawValue) key \(header.keyID ?? "(no kid)") of \(issuer)"))
        }
        do {
            return try checkClaims(claims, issuer: issuer, algorithm: header.algorithm)
        } catch {
            throw .rejected(error)
        }
    }

    private func checkClaims(_ claims: [String: JSONValue], issuer: String, algorithm: SETAlgorithm) throws(SETError) -> VerifiedSET {
        if claims["sub"] != nil {
            throw SETError(.invalidRequest, "SSF SETs must not carry sub (SSF §4.1.2); the subject belongs in sub_id")
        }
        if claims["exp"] != nil {
            throw SETError(.invalidRequest, "SSF SETs must not carry exp (SSF §4.1.7)")
        }
        let audience: [String]
        switch claims["aud"] {
        case .string(let single)?: audience = [single]
        case .array(let items)?: audience = items.compactMap(\.string)
        default: throw SETError(.invalidAudience, "SET has no aud; this receiver is \(configuration.audiences.sorted().joined(separator: ", "))")
        }
        guard audience.contains(where: configuration.audiences.contains) else {
            throw SETError(.invalidAudience, "aud \(audience) does not include \(configuration.audiences.sorted().joined(separator: ", "))")
        }
        guard let jti = claims["jti"]?.string, !jti.isEmpty else {
            throw SETError(.invalidRequest, "SET has no jti")
        }
        guard let issuedAt = claims["iat"]?.numericDateMilliseconds else {
            throw SETError(.invalidRequest, "SET has no iat NumericDate")
        }
        let now = clock.now()
        guard issuedAt &+ configuration.replayWindow >= now else {
            throw SETError(.invalidRequest, "iat \(issuedAt / 1_000) is older than the receiver's replay window of \(configuration.replayWindow / 1_000) s")
        }
        guard let events = claims["events"]?.object else {
            throw SETError(.invalidRequest, "SET has no events object")
        }
        guard events.count == 1, let (type, payload) = events.first else {
            throw SETError(.invalidRequest, "SET must carry exactly one event, got \(events.count)")
        }
        let event = try SecurityEvent(type: type, payload: payload)
        guard let subjectValue = claims["sub_id"] ?? event.legacySubject else {
            throw SETError(.invalidRequest, "SET has no sub_id (SSF §3.1)")
        }
        return VerifiedSET(issuer: issuer, jti: jti, issuedAt: issuedAt, audience: audience, transaction: claims["txn"]?.string,
                           algorithm: algorithm, subject: try SubjectIdentifier(subjectValue), event: event)
    }
}

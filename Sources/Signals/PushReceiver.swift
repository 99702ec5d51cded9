import Foundation
import Sodium

/// The RFC 8935 push endpoint (`POST /ssf/events`) without the HTTP server: the
/// listener hands over the `Authorization` and `Content-Type` values and the body,
/// writes back `response`, and passes `outcome` to the audit log and the event
/// streams. The effect is applied before the answer (PROTOCOL.md §5: 202 only after
/// the effect is applied), so a 202 means the sessions are already revoked.
///
/// Answers: 202 empty (applied, or a duplicate); 400 `{"err","description"}` for a
/// SET the transmitter must not resend; 401 `authentication_failed` when the issuer
/// requires a bearer token that is missing or wrong; 403 `access_denied` when a
/// transmitter's valid token is used to push another issuer's SET; 415 for a wrong
/// media type; 503 when the effect could not be applied yet (JWKS or store down).
public struct PushReceiver: Sendable {
    /// What the listener writes back, and what happened (nil unless a SET was accepted).
    public struct Result: Sendable {
        public let response: PushResponse
        public let outcome: SignalOutcome?
        /// Set when the SET was refused or could not be applied: for the audit log.
        public let failure: SignalProcessingError?
    }

    public let processor: SignalProcessor

    public init(processor: SignalProcessor) {
        self.processor = processor
    }

    public func receive(authorization: String?, contentType: String?, body: [UInt8]) async -> Result {
        guard let contentType, Self.isSecurityEventMediaType(contentType) else {
            let error = SETError(.invalidRequest, "Content-Type must be application/secevent+jwt, got \(contentType ?? "none")")
            return Result(response: .error(error, status: 415), outcome: nil, failure: .rejected(error))
        }
        guard body.count <= CompactSET.maxLength, let text = String(validating: body, as: UTF8.self) else {
            let error = SETError(.invalidRequest, "body must be one compact SET of at most \(CompactSET.maxLength) UTF-8 bytes")
            return Result(response: .error(error), outcome: nil, failure: .rejected(error))
        }
        // Parsed once, for the bearer check and the verification; a SET that does not
        // parse goes on as text so that its rejection names what is wrong with it.
        let parsed = try? CompactSET(trimming: text)
        let claimed = parsed.flatMap(processor.verifier.claimedTransmitter)
        if let refusal = authenticate(authorization: authorization, claimed: claimed) {
            return Result(response: refusal.response, outcome: nil, failure: .rejected(refusal.error))
        }
        do {
            let outcome = if let parsed { try await processor.process(parsed) } else { try await processor.process(text) }
            return Result(response: .accepted, outcome: outcome, failure: nil)
        } catch {
            switch error {
            case .rejected(let reason):
                return Result(response: .error(reason), outcome: nil, failure: error)
            case .unavailable(let reason):
                return Result(response: .unavailable(reason), outcome: nil, failure: error)
            case .inProgress:
                return Result(response: .unavailable(error.description), outcome: nil, failure: error)
            }
        }
    }

    /// Bearer check before any cryptography (RFC 8935 §5.4: invalid SETs must not buy
    /// CPU). The issuer is read unverified only to pick the token to expect; the
    /// signature check that follows uses that same issuer's keys.
    private func authenticate(
        authorization: String?, claimed: TransmitterConfiguration?
    ) -> (response: PushResponse, error: SETError)? {
        let transmitters = processor.verifier.configuration.transmitters.values
        let presented = authorization.flatMap(Self.bearerToken)
        let authenticatedAs = presented.flatMap { token in
            transmitters.first { $0.bearerToken.map { ConstantTime.equals(Array($0.utf8), Array(token.utf8)) } ?? false }
        }
        guard let claimed else {
            return nil
        }
        if let authenticatedAs, authenticatedAs.issuer != claimed.issuer {
            let error = SETError(.accessDenied, "the credentials presented belong to \(authenticatedAs.issuer), not to \(claimed.issuer)")
            return (.error(error, status: 403), error)
        }
        if claimed.bearerToken != nil, authenticatedAs == nil {
            let error = SETError(.authenticationFailed,
                                 presented == nil ? "Authorization: Bearer token required for \(claimed.issuer)"
                                                  : "bearer token is not valid for \(claimed.issuer)")
            return (.error(error, status: 401, extraHeaders: [("www-authenticate", "Bearer realm=\"ssf\"")]), error)
        }
        return nil
    }

    /// `Bearer <token>` (scheme case-insensitive) → token.
    static func bearerToken(_ header: String) -> String? {
        let trimmed = header.trimmingCharacters(in: .whitespaces)
        guard trimmed.count > 7, trimmed.prefix(7).lowercased() == "bearer " else { return nil }
        return trimmed.dropFirst(7).trimmingCharacters(in: .whitespaces)
    }

    /// RFC 8935 §2.1 media type, compared case-insensitively, parameters ignored.
    static func isSecurityEventMediaType(_ value: String) -> Bool {
        let mediaType = value.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        return mediaType.lowercased() == "application/secevent+jwt"
    }
}

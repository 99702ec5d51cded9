import Foundation
import RTATokens
import TokenExchange

/// Maps an SET subject to the sessions it names, through the `SessionStore` indexes
/// (PROTOCOL.md §5): `iss_sub` → (issuer, sub); `email` and `account` → email
/// (case-insensitive); `opaque` → the IdP session id `sid`; `aliases` → the union;
/// `complex` → candidates from its `session` or `user` member, then filtered by every
/// member a session can answer. Members a session cannot answer (`device`, `group`,
/// …) are wildcards, as SSF §8.1.3.1 treats undefined fields, which errs towards
/// revoking more.
///
/// Only sessions of `issuers` (the transmitter's `subject_issuers`) ever match: a
/// transmitter speaks for its own IdPs, and an email or `sid` it names means nothing
/// at another IdP.
struct SubjectResolver: Sendable {
    let store: any SessionStore
    let issuers: Set<String>

    /// The first slice `sessions(for:slices:)` reads; the rest is read as one.
    static let firstSlice = 32

    /// The sessions the subject names, in the store's order, without duplicates.
    func sessions(for subject: SubjectIdentifier) async throws(SessionStoreError) -> [Session] {
        try await sessions(for: subject) { _ in }
    }

    /// The same, read in two slices, each slice's matches handed to `slices` as soon as
    /// it is read. Why: a subject with a thousand sessions takes a millisecond or more to
    /// read and match; the first `firstSlice` agents can be cut off while the rest are
    /// read. Only two: each slice is a write pass over the agents' connections, and in
    /// the revocation benchmark slices doubling in size made the last of 1,000 events
    /// leave 2–3 times later than one batch after the first (docs/benchmarks.md).
    func sessions(
        for subject: SubjectIdentifier, slices: ([Session]) -> Void
    ) async throws(SessionStoreError) -> [Session] {
        let ids = try await candidates(subject)
        var found: [Session] = []
        found.reserveCapacity(ids.count)
        for part in [ids.prefix(Self.firstSlice), ids.dropFirst(Self.firstSlice)] where !part.isEmpty {
            var slice = try await store.sessions(Array(part))
            slice.removeAll { !issuers.contains($0.subject.issuer) || !matches($0, subject) }
            if !slice.isEmpty { slices(slice) }
            found += slice
        }
        return found
    }

    /// True when the subject picks out particular sessions rather than a whole
    /// principal: revoking those must not block the principal's future logins.
    static func isSessionScoped(_ subject: SubjectIdentifier) -> Bool {
        switch subject {
        case .opaque: true
        case .complex(let complex): complex.members.keys.contains { $0 != "user" && $0 != "tenant" }
        default: false
        }
    }

    /// The `iss_sub` issuers the subject names (in aliases and complex members too)
    /// that are not in `permitted`: a SET naming one is refused, not narrowed.
    static func foreignIssuers(in subject: SubjectIdentifier, permitted: Set<String>) -> [String] {
        switch subject {
        case .issuerSubject(let issuer, _): permitted.contains(issuer) ? [] : [issuer]
        case .aliases(let identifiers): identifiers.flatMap { foreignIssuers(in: $0, permitted: permitted) }
        case .complex(let complex): complex.members.values.flatMap { foreignIssuers(in: $0, permitted: permitted) }
        default: []
        }
    }

    /// The keys for `SubjectRevocations`, so a revocation lasts even when no session of
    /// the subject is live: every identifier the SET names, in every format an IdP
    /// token can prove (`iss_sub`; `email` and `account` as an email; `phone_number`;
    /// `opaque` and `complex.session` as an IdP session id), each for every permitted
    /// issuer, plus the (issuer, sub) and email of every matched session, so an
    /// email-keyed signal also stops an exchange whose token names the user only by
    /// `sub`. `did`, `uri`, `jwt_id` and unknown formats name nothing a token proves.
    ///
    /// `principal` false (a session-scoped SET): only the IdP session ids, so the
    /// principal's next login is not blocked.
    static func keys(
        of subject: SubjectIdentifier, sessions: [Session], issuers: Set<String>, principal: Bool = true
    ) -> [RevokedSubject] {
        var keys: [RevokedSubject] = []
        var seen: Set<RevokedSubject> = []
        func add(_ key: RevokedSubject) {
            let normalized = key.normalized
            if seen.insert(normalized).inserted { keys.append(normalized) }
        }
        let permitted = issuers.sorted()
        func named(_ identifier: SubjectIdentifier, member: String? = nil) {
            switch identifier {
            case .issuerSubject(let issuer, let sub):
                if principal { add(.issuerSubject(issuer: issuer, sub: sub)) }
            case .email(let address):
                if principal { for issuer in permitted { add(.issuerEmail(issuer: issuer, email: address)) } }
            case .account(let uri):
                if principal, let address = Self.accountEmail(uri) {
                    for issuer in permitted { add(.issuerEmail(issuer: issuer, email: address)) }
                }
            case .phoneNumber(let number):
                if principal { for issuer in permitted { add(.issuerPhoneNumber(issuer: issuer, phoneNumber: number)) } }
            case .opaque(let id) where member == nil || member == "session":
                for issuer in permitted { add(.identityProviderSession(issuer: issuer, sid: id)) }
            case .aliases(let identifiers):
                identifiers.forEach { named($0) }
            case .complex(let complex):
                if let user = complex.user { named(user, member: "user") }
                if let session = complex.session { named(session, member: "session") }
            default:
                break
            }
        }
        named(subject)
        guard principal else { return keys }
        var seenPrincipals: Set<PrincipalKey> = []
        var previous: PrincipalKey?
        for session in sessions {
            let key = PrincipalKey(issuer: session.subject.issuer, sub: session.subject.sub, email: session.subject.email)
            // A subject's sessions mostly share one principal: comparing with the last
            // one is cheaper than hashing three strings per session.
            guard key != previous, seenPrincipals.insert(key).inserted else { continue }
            previous = key
            add(.issuerSubject(issuer: key.issuer, sub: key.sub))
            if let email = key.email { add(.issuerEmail(issuer: key.issuer, email: email)) }
        }
        return keys
    }

    /// A session's principal as stored: a subject's thousand sessions share one.
    private struct PrincipalKey: Hashable {
        let issuer: String
        let sub: String
        let email: String?
    }

    private func candidates(_ subject: SubjectIdentifier) async throws(SessionStoreError) -> [SessionID] {
        switch subject {
        case .issuerSubject(let issuer, let sub):
            return try await store.sessions(issuer: issuer, subject: sub)
        case .email(let address):
            return try await store.sessions(email: SubjectIdentifier.canonicalEmail(address))
        case .account(let uri):
            guard let address = Self.accountEmail(uri) else { return [] }
            return try await store.sessions(email: address)
        case .opaque(let id):
            return try await store.sessions(sid: id)
        case .aliases(let identifiers):
            // The only union of indexes: each index lists a session once, so only here
            // can an id repeat.
            var all: [SessionID] = []
            for identifier in identifiers { all += try await candidates(identifier) }
            var seen: Set<SessionID> = []
            return all.filter { seen.insert($0).inserted }
        case .complex(let complex):
            if let session = complex.session { return try await candidates(session) }
            if let user = complex.user { return try await candidates(user) }
            return []
        case .did, .phoneNumber, .uri, .jwtID, .other:
            return []
        }
    }

    private func matches(_ session: Session, _ subject: SubjectIdentifier) -> Bool {
        switch subject {
        case .issuerSubject(let issuer, let sub):
            return session.subject.issuer == issuer && session.subject.sub == sub
        case .email(let address):
            return session.subject.email.map(SubjectIdentifier.canonicalEmail) == SubjectIdentifier.canonicalEmail(address)
        case .account(let uri):
            return Self.accountEmail(uri) != nil
                && session.subject.email.map(SubjectIdentifier.canonicalEmail) == Self.accountEmail(uri)
        case .opaque(let id):
            return session.subject.sid == id
        case .aliases(let identifiers):
            return identifiers.contains { matches(session, $0) }
        case .complex(let complex):
            return complex.members.allSatisfy { name, member in matches(session, member: name, member) }
        case .did, .phoneNumber, .uri, .jwtID, .other:
            return false
        }
    }

    private func matches(_ session: Session, member name: String, _ member: SubjectIdentifier) -> Bool {
        switch name {
        case "user", "session":
            return matches(session, member)
        case "tenant":
            guard case .opaque(let tenant) = member,
                  let held = ["tid", "tenant_id", "tenant"].lazy.compactMap({ Self.string(session.claims[$0]) }).first
            else { return true }
            return held == tenant
        default:
            return true
        }
    }

    private static func string(_ value: ClaimValue?) -> String? {
        if case .string(let text)? = value { return text }
        return nil
    }

    /// `acct:user@host` (RFC 7565) read as the email `user@host`, lowercased.
    static func accountEmail(_ uri: String) -> String? {
        guard uri.lowercased().hasPrefix("acct:") else { return nil }
        let address = String(uri.dropFirst(5))
        guard address.contains("@") else { return nil }
        return SubjectIdentifier.canonicalEmail(address.removingPercentEncoding ?? address)
    }
}

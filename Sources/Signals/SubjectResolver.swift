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
struct SubjectResolver: Sendable {
    let store: any SessionStore

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
            slice.removeAll { !matches($0, subject) }
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

    /// The principal-level keys for `SubjectRevocations`: what the SET names plus the
    /// (issuer, sub) and email of every matched session, so an email-keyed signal also
    /// stops an exchange whose token names the user only by `sub`.
    static func principals(of subject: SubjectIdentifier, sessions: [Session]) -> [RevokedSubject] {
        var keys: [RevokedSubject] = []
        func add(_ key: RevokedSubject) {
            let normalized = key.normalized
            if !keys.contains(normalized) { keys.append(normalized) }
        }
        func named(_ identifier: SubjectIdentifier) {
            switch identifier {
            case .issuerSubject(let issuer, let sub): add(.issuerSubject(issuer: issuer, sub: sub))
            case .email(let address): add(.email(SubjectIdentifier.canonicalEmail(address)))
            case .account(let uri): if let address = Self.accountEmail(uri) { add(.email(address)) }
            case .aliases(let identifiers): identifiers.forEach(named)
            case .complex(let complex): if let user = complex.user { named(user) }
            default: break
            }
        }
        named(subject)
        var seen: Set<PrincipalKey> = []
        var previous: PrincipalKey?
        for session in sessions {
            let key = PrincipalKey(issuer: session.subject.issuer, sub: session.subject.sub, email: session.subject.email)
            // A subject's sessions mostly share one principal: comparing with the last
            // one is cheaper than hashing three strings per session.
            guard key != previous, seen.insert(key).inserted else { continue }
            previous = key
            add(.issuerSubject(issuer: key.issuer, sub: key.sub))
            if let email = key.email { add(.email(SubjectIdentifier.canonicalEmail(email))) }
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

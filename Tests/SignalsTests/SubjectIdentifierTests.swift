import TokenExchange
import Foundation
import GatewayTesting
@testable import Signals
import Testing

@Suite struct SubjectIdentifierTests {
    private func parse(_ json: String) throws(SETError) -> SubjectIdentifier {
        let value = (try? JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))) ?? .null
        return try SubjectIdentifier(value)
    }

    @Test func simpleFormats() throws {
        #expect(try parse(#"{"format":"iss_sub","iss":"https://i","sub":"s"}"#) == .issuerSubject(issuer: "https://i", subject: "s"))
        #expect(try parse(#"{"format":"email","email":"A@B.c"}"#) == .email("A@B.c"))
        #expect(try parse(#"{"format":"opaque","id":"x"}"#) == .opaque("x"))
        #expect(try parse(#"{"format":"account","uri":"acct:a@b"}"#) == .account("acct:a@b"))
        #expect(try parse(#"{"format":"did","url":"did:example:1"}"#) == .did("did:example:1"))
        #expect(try parse(#"{"format":"phone_number","phone_number":"+12065550100"}"#) == .phoneNumber("+12065550100"))
        #expect(try parse(#"{"format":"phone","phone_number":"+12065550100"}"#) == .phoneNumber("+12065550100"))
        #expect(try parse(#"{"format":"uri","uri":"https://u"}"#) == .uri("https://u"))
        #expect(try parse(#"{"format":"jwt_id","iss":"https://i","jti":"j"}"#) == .jwtID(issuer: "https://i", jti: "j"))
        #expect(try parse(#"{"format":"ip-addresses","ip-addresses":["10.0.0.1"]}"#) == .other(format: "ip-addresses"))
    }

    @Test func googleSubjectTypeIsReadAsFormat() throws {
        #expect(try parse(#"{"subject_type":"email","email":"a@b.c"}"#) == .email("a@b.c"))
    }

    @Test func aliasesAndComplex() throws {
        let aliases = try parse(#"{"format":"aliases","identifiers":[{"format":"email","email":"a@b.c"},{"format":"opaque","id":"x"}]}"#)
        #expect(aliases == .aliases([.email("a@b.c"), .opaque("x")]))
        let complex = try parse(#"{"format":"complex","user":{"format":"iss_sub","iss":"https://i","sub":"s"},"device":{"format":"opaque","id":"d"}}"#)
        guard case .complex(let members) = complex else { Issue.record("not complex: \(complex)"); return }
        #expect(members.user == .issuerSubject(issuer: "https://i", subject: "s"))
        #expect(members.device == .opaque("d"))
        #expect(members.session == nil)
    }

    @Test func malformedSubjectsNameTheProblem() {
        #expect(throws: SETError(.invalidRequest, "subject format email requires a non-empty string member email")) {
            try parse(#"{"format":"email"}"#)
        }
        #expect(throws: SETError(.invalidRequest, "subject identifier has no format")) { try parse(#"{"email":"a@b"}"#) }
        #expect(throws: SETError(.invalidRequest, "aliases must not be nested in aliases or complex subjects")) {
            try parse(#"{"format":"aliases","identifiers":[{"format":"aliases","identifiers":[]}]}"#)
        }
    }

    @Test func emailRuleIsWholeAddressCaseInsensitive() {
        #expect(SubjectIdentifier.canonicalEmail(" Owner@Example.COM ") == "owner@example.com")
        #expect(SubjectIdentifier.canonicalEmail("a.b+tag@x.io") == "a.b+tag@x.io")
    }

    /// The spec examples beside SIGNALS.md (RFC 9493 / SSF shapes) all parse.
    @Test(arguments: ["session_revoked", "assurance_level_change", "risc_account_disabled", "verification"])
    func specExamplesParse(name: String) throws {
        let path = RepositoryPaths.shared + "/spec/signals-examples/\(name).json"
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let example = try JSONDecoder().decode(JSONValue.self, from: data)
        let claims = try #require(example.object?["claims"]?.object)
        let subject = try SubjectIdentifier(try #require(claims["sub_id"]))
        let events = try #require(claims["events"]?.object)
        #expect(events.count == 1)
        let (type, payload) = try #require(events.first)
        let event = try SecurityEvent(type: type, payload: payload)
        switch name {
        case "session_revoked":
            #expect(event.kind == .sessionRevoked)
            #expect(event.timestamp == 1_767_225_600_000)
            guard case .complex(let complex) = subject else { Issue.record("expected complex"); return }
            #expect(complex.session == .opaque("sess_9QeV2m0Lr8"))
        case "assurance_level_change":
            #expect(event.kind == .assuranceLevelChange(namespace: "NIST-AAL", current: "nist-aal1", previous: "nist-aal2", direction: "decrease"))
        case "risc_account_disabled":
            #expect(event.kind == .accountDisabled(reason: "hijacking"))
            #expect(subject == .email("owner@example.com"))
        default:
            #expect(event.kind == .verification(state: "c3RhdGUtMTIzNDU2"))
        }
    }
}

import TokenExchange
import Foundation

/// An RFC 9493 Subject Identifier, or the SSF 1.0 `complex` form (SSF §3.3): who a
/// SET is about. Parsed strictly enough that a malformed subject is refused
/// (`invalid_request`), leniently enough that extra members are ignored (SSF §4.2.3)
/// and formats we do not know are kept (they simply match no session).
public indirect enum SubjectIdentifier: Sendable, Hashable, CustomStringConvertible {
    case issuerSubject(issuer: String, subject: String)
    /// Stored as received; compare with `canonicalEmail`.
    case email(String)
    case opaque(String)
    /// An `acct:` URI (RFC 7565).
    case account(String)
    case did(String)
    /// E.164; the RISC-era format name `phone` is read as this.
    case phoneNumber(String)
    case uri(String)
    /// SSF §3.5.1: one specific JWT.
    case jwtID(issuer: String, jti: String)
    /// Several identifiers of the same entity (RFC 9493 §3.2.8); never nested.
    case aliases([SubjectIdentifier])
    case complex(ComplexSubject)
    /// A format we do not implement (`ip-addresses`, `saml_assertion_id`, private ones).
    case other(format: String)

    /// Reads a `sub_id` (or legacy in-event `subject`) value.
    init(_ value: JSONValue, nested: Bool = false) throws(SETError) {
        guard let object = value.object else {
            throw SETError(.invalidRequest, "subject identifier must be a JSON object")
        }
        // Google's RISC transmitter sends `subject_type` instead of `format` (RISC §3.1).
        guard let format = object["format"]?.string ?? object["subject_type"]?.string else {
            throw SETError(.invalidRequest, "subject identifier has no format")
        }
        func member(_ name: String) throws(SETError) -> String {
            guard let text = object[name]?.string, !text.isEmpty else {
                throw SETError(.invalidRequest, "subject format \(format) requires a non-empty string member \(name)")
            }
            return text
        }
        switch format {
        case "iss_sub", "iss-sub": self = .issuerSubject(issuer: try member("iss"), subject: try member("sub"))
        case "email": self = .email(try member("email"))
        case "opaque": self = .opaque(try member("id"))
        case "account": self = .account(try member("uri"))
        case "did": self = .did(try member("url"))
        case "phone_number", "phone": self = .phoneNumber(try member("phone_number"))
        case "uri": self = .uri(try member("uri"))
        case "jwt_id": self = .jwtID(issuer: try member("iss"), jti: try member("jti"))
        case "aliases":
            guard !nested else {
                throw SETError(.invalidRequest, "aliases must not be nested in aliases or complex subjects")
            }
            guard case .array(let items)? = object["identifiers"], !items.isEmpty else {
                throw SETError(.invalidRequest, "aliases subject requires a non-empty identifiers array")
            }
            var identifiers: [SubjectIdentifier] = []
            for item in items { identifiers.append(try SubjectIdentifier(item, nested: true)) }
            self = .aliases(identifiers)
        case "complex":
            guard !nested else {
                throw SETError(.invalidRequest, "a complex subject cannot be nested")
            }
            self = .complex(try ComplexSubject(object))
        default:
            self = .other(format: format)
        }
    }

    /// Our email rule (RFC 9493 §3.2.2.1 leaves canonicalization to the receiver): the
    /// whole address compares case-insensitively, like `SessionStore` email lookups and
    /// `RevokedSubject.email`. Surrounding whitespace is dropped; dots and `+tags` are
    /// kept, because providers disagree on them and guessing could hit another person.
    public static func canonicalEmail(_ address: String) -> String {
        // Fast path, checked byte by byte: a revocation canonicalises the address of
        // every session it matches, and Foundation's trimming costs microseconds a call.
        let alreadyCanonical = address.utf8.allSatisfy { byte in
            byte > 0x20 && byte < 0x7F && !(UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
        }
        if alreadyCanonical { return address }
        return address.trimmingCharacters(in: .whitespaces).lowercased()
    }

    public var description: String {
        switch self {
        case .issuerSubject(let issuer, let subject): "iss_sub(\(issuer), \(subject))"
        case .email(let address): "email(\(address))"
        case .opaque(let id): "opaque(\(id))"
        case .account(let uri): "account(\(uri))"
        case .did(let url): "did(\(url))"
        case .phoneNumber(let number): "phone_number(\(number))"
        case .uri(let uri): "uri(\(uri))"
        case .jwtID(let issuer, let jti): "jwt_id(\(issuer), \(jti))"
        case .aliases(let identifiers): "aliases(\(identifiers.map(\.description).joined(separator: ", ")))"
        case .complex(let complex): complex.description
        case .other(let format): "\(format)(unsupported)"
        }
    }
}

import Foundation
import TokenExchange

/// A JSON value the test transmitter puts into SETs, metadata and poll responses: the
/// receiver's own `JSONValue`, so both sides read and write JSON one way. Any shape is
/// allowed on purpose: negative tests need claims the spec forbids.
public typealias TransmitterJSON = JSONValue

extension JSONValue {
    /// Parses JSON text, e.g. a `--claims` or `--subject-json` command-line value.
    public init(parsing text: String) throws {
        self = try JSONDecoder().decode(TransmitterJSON.self, from: Data(text.utf8))
    }

    /// Compact JSON with sorted keys (stable bytes for signing and comparing).
    public var encoded: [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { Array($0) } ?? Array("null".utf8)
    }

    // MARK: RFC 9493 / SSF subject builders

    public static func issSub(_ issuer: String, _ sub: String) -> TransmitterJSON {
        ["format": "iss_sub", "iss": .string(issuer), "sub": .string(sub)]
    }

    public static func email(_ address: String) -> TransmitterJSON {
        ["format": "email", "email": .string(address)]
    }

    public static func opaque(_ id: String) -> TransmitterJSON {
        ["format": "opaque", "id": .string(id)]
    }

    /// SSF §3.3 complex subject, e.g. `["user": .issSub(...), "session": .opaque(sid)]`.
    public static func complex(_ members: [String: TransmitterJSON]) -> TransmitterJSON {
        .object(members.merging(["format": "complex"]) { member, _ in member })
    }
}

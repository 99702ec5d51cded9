import Sodium

/// The random 128-bit id of an RTA session (token bytes 8..<24). Printed as 32
/// lowercase hex digits in JSON, headers and the audit log.
public struct SessionID: Sendable, Hashable, CustomStringConvertible {
    public static let length = 16

    public let bytes: [UInt8]

    public init(bytes: some Collection<UInt8>) throws(TokenError) {
        let raw = Array(bytes)
        guard raw.count == Self.length else {
            throw TokenError(.badLength, "session id must be 16 bytes, got \(raw.count)")
        }
        self.bytes = raw
    }

    public init(hex: String) throws(TokenError) {
        let raw: [UInt8]
        do {
            raw = try Hex.decode(hex)
        } catch {
            throw TokenError(.badEncoding, "session id: \(error.message)")
        }
        try self.init(bytes: raw)
    }

    /// A fresh id from the CSPRNG; 128 bits make collisions and guessing moot.
    public static func random() -> SessionID {
        SessionID(validated: SecureRandom.bytes(count: length))
    }

    init(validated: [UInt8]) {
        self.bytes = validated
    }

    public var hex: String { Hex.encode(bytes) }
    public var description: String { hex }
}

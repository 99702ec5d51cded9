/// Where the hash chain stands: the `seq` the next record gets and the `hash` it
/// must name as `prev`. Lets a restarted writer or a verifier of a later file
/// continue an existing chain.
public struct AuditChainHead: Sendable, Equatable {
    /// `prev` of the very first record: 64 zeros (the hex width of a SHA-256).
    public static let genesisHash = String(repeating: "0", count: 64)
    /// The chain starts at seq 1 with `prev` = `genesisHash`.
    public static let genesis = AuditChainHead(nextSeq: 1, prevHash: genesisHash)

    public var nextSeq: UInt64
    public var prevHash: String

    public init(nextSeq: UInt64, prevHash: String) {
        self.nextSeq = nextSeq
        self.prevHash = prevHash
    }

    /// The head right after `record`.
    public init(after record: AuditRecord) {
        self.init(nextSeq: record.seq + 1, prevHash: record.hash)
    }

    /// 64 lowercase hex digits, the spelling of every `hash` and `prev`.
    static func isHash(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}

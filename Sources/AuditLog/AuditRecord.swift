import Foundation
import Sodium

/// One line of the audit stream (PROTOCOL.md §8): an entry sealed into the hash
/// chain. Serialised by `AuditLine` with a fixed key order, so the same record is
/// always the same bytes and its hash can be recomputed by anyone.
public struct AuditRecord: Sendable, Equatable {
    public let seq: UInt64
    public let entry: AuditEntry
    /// `hash` of the previous record (`AuditChainHead.genesisHash` for the first).
    public let prev: String
    /// Lowercase hex SHA-256 of this record's line serialised with `"hash":""`.
    public let hash: String

    public init(seq: UInt64, entry: AuditEntry, prev: String, hash: String) {
        self.seq = seq
        self.entry = entry
        self.prev = prev
        self.hash = hash
    }

    /// Seals `entry` as the record after `head`.
    public static func seal(_ entry: AuditEntry, after head: AuditChainHead) -> AuditRecord {
        let unsealed = AuditRecord(seq: head.nextSeq, entry: entry, prev: head.prevHash, hash: "")
        return AuditRecord(seq: head.nextSeq, entry: entry, prev: head.prevHash, hash: unsealed.computedHash)
    }

    /// The hash this record should carry, computed from its other fields.
    public var computedHash: String {
        let unsealed = AuditRecord(seq: seq, entry: entry, prev: prev, hash: "")
        return Hex.encode(SHA256.hash(AuditLine.encode(unsealed)))
    }

    /// The line bytes, without the trailing newline.
    public var line: [UInt8] { AuditLine.encode(self) }
}

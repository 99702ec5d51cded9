import Crypto
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
        sealedLine(entry, after: head).record
    }

    /// Seals `entry` as the record after `head` and returns its line, newline included,
    /// from a single encoding: the line with `"hash":""` and the final line share every
    /// byte before the hash's value (`AuditLine.prefix`), so that prefix is written once,
    /// hashed with the empty-hash ending, then finished with the hash. Same bytes and
    /// same hash as `line` and `computedHash` (docs/audit.md is unchanged).
    public static func sealedLine(_ entry: AuditEntry, after head: AuditChainHead) -> (record: AuditRecord, line: [UInt8]) {
        var line = AuditLine.prefix(seq: head.nextSeq, entry: entry, prev: head.prevHash)
        let hash = unsealedHash(prefix: line)
        line.append(UInt8(ascii: "\""))
        line.append(contentsOf: hash.utf8)
        line.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: "}"), UInt8(ascii: "\n")])
        return (AuditRecord(seq: head.nextSeq, entry: entry, prev: head.prevHash, hash: hash), line)
    }

    /// The hash this record should carry, computed from its other fields.
    public var computedHash: String {
        Self.unsealedHash(prefix: AuditLine.prefix(seq: seq, entry: entry, prev: prev))
    }

    /// The line bytes, without the trailing newline.
    public var line: [UInt8] { AuditLine.encode(self) }

    /// SHA-256 of `prefix` followed by `""}`: the line of the record with `"hash":""`.
    /// swift-crypto's (BoringSSL) rather than libsodium's: BoringSSL uses the CPU's SHA
    /// instructions where it has them, libsodium does not, and the writer hashes every
    /// record (~500 bytes; ~1.2 µs less of its CPU per record, docs/benchmarks.md).
    /// Same digest either way.
    private static func unsealedHash(prefix: [UInt8]) -> String {
        var hasher = Crypto.SHA256()
        hasher.update(data: prefix)
        hasher.update(data: AuditLine.unsealedEnding)
        return hasher.finalize().withUnsafeBytes { Hex.encode($0) }
    }
}

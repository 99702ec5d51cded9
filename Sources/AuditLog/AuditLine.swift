import Foundation

/// The one-line JSON form of an `AuditRecord`, written by hand rather than with
/// `JSONEncoder` because the hash chain needs byte-exact output: keys in the fixed
/// order of PROTOCOL.md §8, every key always present (`null` when absent), no
/// whitespace, minimal string escapes, integers in plain decimal. See docs/audit.md.
public enum AuditLine {
    public static let keyOrder = [
        "seq", "ts", "kind", "decision", "decision_id", "reason", "policies", "errors", "session", "subject", "agent", "chain",
        "route", "method", "path", "status", "latency_us", "prev", "hash",
    ]

    public static func encode(_ record: AuditRecord) -> [UInt8] {
        var out = prefix(seq: record.seq, entry: record.entry, prev: record.prev)
        JSONString.append(record.hash, to: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// Every member of the line up to and including `"hash":`. `hash` is the last key,
    /// so a record's line is this prefix followed by its hash as a JSON string and `}`,
    /// and the hash is SHA-256 over this prefix followed by `""}`: one encoding serves
    /// both (`AuditRecord.sealedLine`).
    static func prefix(seq: UInt64, entry e: AuditEntry, prev: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(640)
        func key(_ field: Field) { out.append(contentsOf: fieldPrefixes[field.rawValue]) }
        key(.seq); decimal(seq, into: &out)
        key(.ts); decimal(e.ts, into: &out)
        key(.kind); JSONString.append(e.kind.rawValue, to: &out)
        key(.decision); JSONString.append(e.decision.rawValue, to: &out)
        key(.decisionID); optional(e.decisionID, into: &out)
        key(.reason); optional(e.reason, into: &out)
        key(.policies); list(e.policies, into: &out)
        key(.errors); list(e.errors, into: &out)
        key(.session); optional(e.session, into: &out)
        key(.subject); optional(e.subject, into: &out)
        key(.agent); optional(e.agent, into: &out)
        key(.chain); list(e.chain, into: &out)
        key(.route); optional(e.route, into: &out)
        key(.method); optional(e.method, into: &out)
        key(.path); optional(e.path, into: &out)
        key(.status); optional(e.status, into: &out)
        key(.latencyUs); optional(e.latencyUs, into: &out)
        key(.prev); JSONString.append(prev, to: &out)
        key(.hash)
        return out
    }

    /// What follows `prefix` in the line that is hashed: the empty hash and the end.
    static let unsealedEnding = Array("\"\"}".utf8)

    /// Parses a line back into a record. Succeeds only if the line is exactly the
    /// canonical encoding of the parsed record, so no two spellings of one record
    /// (reordered keys, `\u0041` for `A`, spaces) can both verify.
    public static func decode(_ line: some Collection<UInt8>) throws(AuditLineError) -> AuditRecord {
        let bytes = Array(line)
        let wire: WireRecord
        do {
            wire = try JSONDecoder().decode(WireRecord.self, from: Data(bytes))
        } catch {
            throw AuditLineError(.malformed, "not an audit record: \(error)")
        }
        guard let kind = AuditKind(rawValue: wire.kind), let decision = AuditDecision(rawValue: wire.decision) else {
            throw AuditLineError(.malformed, "unknown kind \"\(wire.kind)\" or decision \"\(wire.decision)\"")
        }
        let entry = AuditEntry(
            ts: wire.ts, kind: kind, decision: decision, reason: wire.reason, policies: wire.policies,
            errors: wire.errors, session: wire.session, subject: wire.subject, agent: wire.agent, chain: wire.chain,
            route: wire.route, method: wire.method, path: wire.path, status: wire.status, latencyUs: wire.latency_us,
            decisionID: wire.decision_id)
        let record = AuditRecord(seq: wire.seq, entry: entry, prev: wire.prev, hash: wire.hash)
        guard encode(record) == bytes else {
            throw AuditLineError(.notCanonical, "line is valid JSON but not in canonical form (key order, spacing or escapes differ)")
        }
        return record
    }

    private struct WireRecord: Decodable {
        let seq: UInt64
        let ts: UInt64
        let kind: String
        let decision: String
        let decision_id: String?
        let reason: String?
        let policies: [String]
        let errors: [String]
        let session: String?
        let subject: String?
        let agent: String?
        let chain: [String]
        let route: String?
        let method: String?
        let path: String?
        let status: Int?
        let latency_us: UInt64?
        let prev: String
        let hash: String
    }

    /// The keys in `keyOrder`'s order; `fieldPrefixes` is indexed by the raw value.
    private enum Field: Int {
        case seq, ts, kind, decision, decisionID, reason, policies, errors, session, subject, agent, chain
        case route, method, path, status, latencyUs, prev, hash
    }

    /// `{"seq":` for the first key, `,"<key>":` for the others, built once.
    private static let fieldPrefixes: [[UInt8]] = keyOrder.enumerated().map { index, name in
        Array(((index == 0 ? "{" : ",") + "\"\(name)\":").utf8)
    }

    private static let null = Array("null".utf8)

    private static func optional(_ value: String?, into out: inout [UInt8]) {
        if let value {
            JSONString.append(value, to: &out)
        } else {
            out.append(contentsOf: null)
        }
    }

    private static func optional(_ value: (some BinaryInteger)?, into out: inout [UInt8]) {
        if let value {
            if value < 0 { out.append(UInt8(ascii: "-")) }
            decimal(UInt64(value.magnitude), into: &out)
        } else {
            out.append(contentsOf: null)
        }
    }

    /// Plain decimal digits, as `String(value)` spells them, without the String.
    private static func decimal(_ value: UInt64, into out: inout [UInt8]) {
        var digits = 1
        var scale = value
        while scale >= 10 {
            scale /= 10
            digits += 1
        }
        out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: digits))
        var rest = value
        var index = out.count
        repeat {
            index -= 1
            out[index] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        } while rest > 0
    }

    private static func list(_ values: [String], into out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            JSONString.append(value, to: &out)
        }
        out.append(UInt8(ascii: "]"))
    }
}

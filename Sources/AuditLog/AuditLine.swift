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
        let e = record.entry
        var out: [UInt8] = []
        out.reserveCapacity(512)
        var first = true
        func key(_ name: String) {
            out.append(first ? UInt8(ascii: "{") : UInt8(ascii: ","))
            first = false
            string(name, into: &out)
            out.append(UInt8(ascii: ":"))
        }
        key("seq"); out += Array(String(record.seq).utf8)
        key("ts"); out += Array(String(e.ts).utf8)
        key("kind"); string(e.kind.rawValue, into: &out)
        key("decision"); string(e.decision.rawValue, into: &out)
        key("decision_id"); optional(e.decisionID, into: &out)
        key("reason"); optional(e.reason, into: &out)
        key("policies"); list(e.policies, into: &out)
        key("errors"); list(e.errors, into: &out)
        key("session"); optional(e.session, into: &out)
        key("subject"); optional(e.subject, into: &out)
        key("agent"); optional(e.agent, into: &out)
        key("chain"); list(e.chain, into: &out)
        key("route"); optional(e.route, into: &out)
        key("method"); optional(e.method, into: &out)
        key("path"); optional(e.path, into: &out)
        key("status"); out += Array((e.status.map { String($0) } ?? "null").utf8)
        key("latency_us"); out += Array((e.latencyUs.map { String($0) } ?? "null").utf8)
        key("prev"); string(record.prev, into: &out)
        key("hash"); string(record.hash, into: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }

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

    private static func optional(_ value: String?, into out: inout [UInt8]) {
        if let value {
            string(value, into: &out)
        } else {
            out += Array("null".utf8)
        }
    }

    private static func list(_ values: [String], into out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            string(value, into: &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// RFC 8259 string: escapes `"` `\` and C0 controls (short forms for \b \f \n
    /// \r \t, else \u00xx); everything else, non-ASCII included, as raw UTF-8.
    private static func string(_ value: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x08: out += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
            case 0x0c: out += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
            case 0x0a: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0d: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0x00..<0x20:
                out += Array("\\u00".utf8)
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0f)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

import AuditLog
import Foundation
import Sodium
import Testing

@Test func lineHasFixedKeyOrderAndNulls() {
    let record = AuditRecord(seq: 7, entry: AuditEntry(ts: 5, kind: .token, decision: .allow), prev: AuditChainHead.genesisHash, hash: "ab")
    let text = String(decoding: record.line, as: UTF8.self)
    #expect(text == #"{"seq":7,"ts":5,"kind":"token","decision":"allow","decision_id":null,"reason":null,"policies":[],"errors":[],"session":null,"subject":null,"agent":null,"chain":[],"route":null,"method":null,"path":null,"status":null,"latency_us":null,"prev":"0000000000000000000000000000000000000000000000000000000000000000","hash":"ab"}"#)
    let keys = AuditLine.keyOrder.map { "\"\($0)\":" }
    var cursor = text.startIndex
    for key in keys {
        let range = text.range(of: key, range: cursor..<text.endIndex)
        #expect(range != nil, "\(key) missing or out of order")
        cursor = range?.upperBound ?? cursor
    }
}

@Test func stringsAreEscapedMinimally() {
    var entry = AuditEntry(ts: 1, kind: .request, decision: .block)
    entry.path = "/a\"b\\c\n\u{01}é/\u{7f}"
    let text = String(decoding: AuditRecord(seq: 1, entry: entry, prev: "p", hash: "").line, as: UTF8.self)
    #expect(text.contains(#""path":"/a\"b\\c\n\u0001é/"# + "\u{7f}\""))
}

@Test func hashIsSHA256OfTheLineWithEmptyHash() {
    let record = AuditRecord.seal(sampleEntry(1), after: .genesis)
    let unsealed = AuditRecord(seq: 1, entry: sampleEntry(1), prev: AuditChainHead.genesisHash, hash: "")
    #expect(record.hash == Hex.encode(SHA256.hash(unsealed.line)))
    #expect(String(decoding: unsealed.line, as: UTF8.self).hasSuffix(#","hash":""}"#))
    #expect(record.hash.count == 64)
}

@Test func decodeRoundTripsAndRejectsOtherSpellings() throws {
    let record = AuditRecord.seal(sampleEntry(3), after: .genesis)
    #expect(try AuditLine.decode(record.line) == record)
    let text = String(decoding: record.line, as: UTF8.self)
    let spaced = text.replacingOccurrences(of: #""ts":"#, with: #""ts": "#)
    let escaped = text.replacingOccurrences(of: #""agent":"agent-1""#, with: #""agent":"\u0061gent-1""#)
    for variant in [spaced, escaped] {
        do {
            _ = try AuditLine.decode(Array(variant.utf8))
            Issue.record("accepted \(variant)")
        } catch {
            #expect(error.code == .notCanonical)
        }
    }
    #expect(throws: AuditLineError.self) { try AuditLine.decode(Array("{\"seq\":1}".utf8)) }
}

@Test func sealedLineIsTheRecordLineAndItsHashIsOverTheEmptyHashLine() throws {
    var entry = sampleEntry(9)
    entry.ts = 0
    entry.path = "\"/a\u{1f}\\\\\n"
    entry.subject = "é|\u{0}"
    entry.status = -1
    entry.latencyUs = .max
    let head = AuditChainHead(nextSeq: 42, prevHash: String(repeating: "a", count: 64))
    let (record, line) = AuditRecord.sealedLine(entry, after: head)
    #expect(line == record.line + [UInt8(ascii: "\n")])
    let unsealed = AuditRecord(seq: 42, entry: entry, prev: head.prevHash, hash: "")
    #expect(record.hash == Hex.encode(SHA256.hash(unsealed.line)))
    #expect(record.computedHash == record.hash)
    #expect(try AuditLine.decode(line.dropLast()) == record)
    let text = String(decoding: line, as: UTF8.self)
    for member in [#""seq":42,"ts":0,"#, #""path":"\"/a\u001f\\\\\n""#, #""subject":"é|\u0000""#, #""status":-1,"#,
                   #""latency_us":18446744073709551615,"#] {
        #expect(text.contains(member), "\(member)")
    }
}

/// The one JSON string escaper: short forms where JSON has them, `\u00xx` for the other
/// controls, `/` and non-ASCII as they are.
@Test func jsonStringQuotesLikeTheAuditLine() {
    #expect(JSONString.quoted("a\"b\\c/d") == #""a\"b\\c/d""#)
    #expect(JSONString.quoted("\u{08}\u{0c}\n\r\t\u{01}\u{1f}") == #""\b\f\n\r\t\u0001\u001f""#)
    #expect(JSONString.quoted("é ✓") == "\"é ✓\"")
    #expect(JSONString.quoted("") == "\"\"")
}

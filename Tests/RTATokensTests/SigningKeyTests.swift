import Foundation
import RTATokens
import Sodium
import Testing

@Test func keyFileRoundTrips() throws {
    let key = try SigningKey.generate(keyID: 42).retired(at: 99)
    let decoded = try SigningKey.decode(key.encodedFile(), path: "mem")
    #expect(decoded.keyID == 42)
    #expect(decoded.retiredAt == 99)
    #expect(decoded.publicKey == key.publicKey)
}

@Test func devKeyFilesLoad() throws {
    let ring = try devKeyRing()
    #expect(ring.current.keyID == 2)
    #expect(ring.retired.map(\.keyID) == [1])
    #expect(ring.retired.first?.retiredAt == 1_767_225_600_000)
}

@Test func badKeyFilesNameTheProblem() {
    let cases: [(String, KeyFileError.Code)] = [
        (#"{"key_id": 1}"#, .malformed),
        (#"{"key_id": 1, "seed": "AAAA"}"#, .badSeed),
        (#"{"key_id": -1, "seed": "AAAA"}"#, .malformed),
        ("not json", .malformed),
    ]
    for (text, code) in cases {
        do {
            _ = try SigningKey.decode(Data(text.utf8), path: "keys/x.json")
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.code == code, "\(text)")
            #expect(error.path == "keys/x.json")
        }
    }
}

@Test func missingKeyFileIsUnreadable() {
    #expect(throws: KeyFileError.self) { try SigningKey.load(path: "/nonexistent/key.json") }
    do {
        _ = try SigningKey.load(path: "/nonexistent/key.json")
    } catch {
        #expect(error.code == .unreadable)
    }
}

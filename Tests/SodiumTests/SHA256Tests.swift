import Foundation
import Sodium
import Testing

// FIPS 180-4 / NIST CSRC example digests.
private let emptyDigest = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
private let abcDigest = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
private let twoBlockDigest = "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
private let twoBlockInput = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"

@Test func oneShotMatchesKnownDigests() {
    #expect(Hex.encode(SHA256.hash([UInt8]())) == emptyDigest)
    #expect(Hex.encode(SHA256.hash(utf8: "abc")) == abcDigest)
    #expect(Hex.encode(SHA256.hash(utf8: twoBlockInput)) == twoBlockDigest)
}

@Test func streamingAcceptsEveryInputShape() {
    let bytes = Array(twoBlockInput.utf8)
    var hasher = SHA256()
    hasher.update(bytes: Array(bytes[0..<5]))
    bytes[5..<20].withUnsafeBytes { hasher.update(bytes: $0) }
    hasher.update(bytes: Data(bytes[20...]))
    #expect(hasher.finalizeHex() == twoBlockDigest)
}

@Test func finalizeLeavesHasherUsable() {
    var hasher = SHA256()
    hasher.update(bytes: Array("ab".utf8))
    let fork = hasher
    _ = hasher.finalize()
    hasher.update(bytes: Array("c".utf8))
    #expect(hasher.finalizeHex() == abcDigest)
    #expect(fork.finalize() == SHA256.hash(utf8: "ab"))
}

@Test func streamingOverManyChunksEqualsOneShot() {
    let data = SecureRandom.bytes(count: 100_000)
    var hasher = SHA256()
    var offset = 0
    while offset < data.count {
        let end = min(offset + 1_337, data.count)
        hasher.update(bytes: Array(data[offset..<end]))
        offset = end
    }
    #expect(hasher.finalize() == SHA256.hash(data))
}

import CNgtcp2

/// A QUIC connection ID (at most 20 bytes) as an inline hashable key, so routing a
/// datagram to its connection allocates nothing.
struct ConnectionID: Hashable, CustomStringConvertible {
    private var a: UInt64 = 0
    private var b: UInt64 = 0
    private var c: UInt32 = 0
    private var length: UInt8 = 0

    init(_ pointer: UnsafePointer<UInt8>, count: Int) {
        let count = min(count, 20)
        length = UInt8(count)
        var a: UInt64 = 0, b: UInt64 = 0, c: UInt32 = 0
        withUnsafeMutableBytes(of: &a) { Self.copy(pointer, count, from: 0, into: $0) }
        withUnsafeMutableBytes(of: &b) { Self.copy(pointer, count, from: 8, into: $0) }
        withUnsafeMutableBytes(of: &c) { Self.copy(pointer, count, from: 16, into: $0) }
        (self.a, self.b, self.c) = (a, b, c)
    }

    init(_ cid: ngtcp2_cid) {
        var cid = cid
        let count = Int(cid.datalen)
        self = withUnsafeBytes(of: &cid.data) {
            ConnectionID($0.baseAddress!.assumingMemoryBound(to: UInt8.self), count: count)
        }
    }

    private static func copy(_ source: UnsafePointer<UInt8>, _ count: Int, from start: Int, into target: UnsafeMutableRawBufferPointer) {
        guard count > start else { return }
        let n = min(target.count, count - start)
        target.copyMemory(from: UnsafeRawBufferPointer(start: source + start, count: n))
    }

    var description: String {
        var copy = self
        let bytes = withUnsafeBytes(of: &copy) { Array($0.prefix(20)) }
        return bytes.prefix(Int(length)).map { String(format: "%02x", $0) }.joined()
    }
}

import CNghttp3

/// Builds the `nghttp3_nv` array for a header block in one scratch allocation.
/// nghttp3 copies the fields when a response is submitted, so the bytes only need to
/// live for the call.
enum HTTP3HeaderList {
    static func withNV<R>(_ fields: [(String, String)], _ body: (UnsafePointer<nghttp3_nv>, Int) -> R) -> R {
        let total = fields.reduce(0) { $0 + $1.0.utf8.count + $1.1.utf8.count }
        let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: max(total, 1))
        defer { bytes.deallocate() }
        var nva: [nghttp3_nv] = []
        nva.reserveCapacity(fields.count)
        var offset = 0
        func place(_ text: String) -> (UnsafeMutablePointer<UInt8>, Int) {
            let start = bytes + offset
            for byte in text.utf8 {
                bytes[offset] = byte
                offset += 1
            }
            return (start, offset - (start - bytes))
        }
        for (name, value) in fields {
            let (namePointer, nameLength) = place(name)
            let (valuePointer, valueLength) = place(value)
            nva.append(nghttp3_nv(
                name: namePointer, value: valuePointer, namelen: nameLength, valuelen: valueLength,
                flags: UInt8(NGHTTP3_NV_FLAG_NONE)))
        }
        return nva.withUnsafeBufferPointer { body($0.baseAddress!, $0.count) }
    }
}

import Foundation
import Sodium

/// The deterministic content of `/bytes/N`: byte `i` is `i % 251`. A prime period means
/// a dropped, repeated or reordered chunk changes the digest, which a test can compute
/// itself without downloading anything twice.
public enum BytePattern {
    public static let period = 251

    public static func byte(at offset: Int) -> UInt8 {
        UInt8(offset % period)
    }

    /// One period plus the largest chunk, so any chunk is a contiguous slice of it.
    static func table(chunkSize: Int) -> [UInt8] {
        (0..<(period + chunkSize)).map(byte(at:))
    }
}

extension BytePattern {
    /// Lowercase hex SHA-256 of the first `count` pattern bytes, computed in chunks, so a
    /// test can check a large transfer against the digest `EchoUpstream` reports.
    public static func sha256Hex(count: Int) -> String {
        var hasher = SHA256()
        var offset = 0
        while offset < count {
            let size = min(sliceSize, count - offset)
            let start = offset % period
            sharedTable[start..<(start + size)].withUnsafeBytes { hasher.update(bytes: $0) }
            offset += size
        }
        return hasher.finalizeHex()
    }
}

extension BytePattern {
    /// Largest slice served from `sharedTable`; also `/bytes/N`'s chunk size.
    static let sliceSize = 64 * 1024
    static let sharedTable = table(chunkSize: sliceSize)

    /// `count` pattern bytes starting at `offset`, for feeding uploads.
    public static func bytes(at offset: Int, count: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count)
        var position = offset
        while position < offset + count {
            let size = min(sliceSize, offset + count - position)
            let start = position % period
            out += sharedTable[start..<(start + size)]
            position += size
        }
        return out
    }

    /// True when `bytes` equal the pattern starting at `offset` (a memcmp per 64 KiB slice,
    /// fast enough to check every byte of a large download).
    public static func matches(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Bool {
        sharedTable.withUnsafeBytes { table in
            guard let base = bytes.baseAddress, let tableBase = table.baseAddress else { return bytes.isEmpty }
            var checked = 0
            while checked < bytes.count {
                let size = min(sliceSize, bytes.count - checked)
                let start = (offset + checked) % period
                if memcmp(base + checked, tableBase + start, size) != 0 { return false }
                checked += size
            }
            return true
        }
    }
}

/// A value of Cedar's `ipaddr` extension type: one IPv4/IPv6 address or a CIDR range.
///
/// Parsing follows the reference implementation (Rust `std::net` syntax plus Cedar's own
/// limits) so that a policy accepted or rejected here is accepted or rejected there too:
/// IPv4 octets are decimal without leading zeros, IPv6 groups are 1–4 hex digits with at
/// most one `::`, IPv4 embedded in IPv6 (`::ffff:1.2.3.4`) is refused, the prefix has no
/// leading zeros and is at most 32 / 128, and the whole string is at most 43 bytes.
///
/// Equality is structural on (address, prefix), as in Cedar: `10.0.0.1/24` and
/// `10.0.0.0/24` are different values even though they denote the same network.
public struct IPAddr: Hashable, Sendable, CustomStringConvertible {
    /// The address bits. IPv4 addresses live in the low 32 bits of `low`.
    let high: UInt64
    let low: UInt64
    /// True for an IPv4 address.
    public let isIpv4: Bool
    /// CIDR prefix length; 32 or 128 for a single address.
    public let prefix: UInt8

    static let maxStringLength = 43

    public var isIpv6: Bool { !isIpv4 }

    /// `127.0.0.0/8` for IPv4 (with prefix ≥ 8) and exactly `::1/128` for IPv6.
    public var isLoopback: Bool {
        if isIpv4 { return (low >> 24) & 0xff == 127 && prefix >= 8 }
        return high == 0 && low == 1 && prefix >= 128
    }

    /// `224.0.0.0/4` for IPv4 and `ff00::/8` for IPv6, with a prefix at least that long.
    public var isMulticast: Bool {
        if isIpv4 { return (low >> 24) & 0xf0 == 0xe0 && prefix >= 4 }
        return high >> 56 == 0xff && prefix >= 8
    }

    /// True when every address of `self` lies inside `range`; always false across IPv4/IPv6.
    public func isInRange(_ range: IPAddr) -> Bool {
        guard isIpv4 == range.isIpv4 else { return false }
        let width = isIpv4 ? 32 : 128
        let (selfLow, selfHigh) = bounds(width: width)
        let (rangeLow, rangeHigh) = range.bounds(width: width)
        return !Self.less(selfLow, rangeLow) && !Self.less(rangeHigh, selfHigh)
    }

    /// First and last address of the network, as (high, low) pairs.
    private func bounds(width: Int) -> ((UInt64, UInt64), (UInt64, UInt64)) {
        let hostBits = width - Int(prefix)
        let (maskHigh, maskLow) = Self.hostMask(bits: hostBits)
        return ((high & ~maskHigh, low & ~maskLow), (high | maskHigh, low | maskLow))
    }

    private static func hostMask(bits: Int) -> (UInt64, UInt64) {
        if bits <= 0 { return (0, 0) }
        if bits < 64 { return (0, (UInt64(1) << UInt64(bits)) - 1) }
        if bits == 64 { return (0, .max) }
        if bits < 128 { return ((UInt64(1) << UInt64(bits - 64)) - 1, .max) }
        return (.max, .max)
    }

    private static func less(_ a: (UInt64, UInt64), _ b: (UInt64, UInt64)) -> Bool {
        a.0 != b.0 ? a.0 < b.0 : a.1 < b.1
    }

    /// Parses Cedar's `ip("...")` argument; nil when Cedar would raise an extension error.
    public static func parse(_ s: String) -> IPAddr? {
        if let v4 = plainIPv4(s.utf8) { return IPAddr(high: 0, low: UInt64(v4), isIpv4: true, prefix: 32) }
        let bytes = Array(s.utf8)
        guard bytes.count <= maxStringLength else { return nil }
        let colons = bytes.filter { $0 == UInt8(ascii: ":") }.count
        let dots = bytes.filter { $0 == UInt8(ascii: ".") }.count
        if colons >= 2 && dots >= 2 { return nil }
        let slash = bytes.firstIndex(of: UInt8(ascii: "/"))
        let addressBytes = slash.map { Array(bytes[..<$0]) } ?? bytes
        if let v4 = parseIPv4(addressBytes) {
            var prefix: UInt8 = 32
            if let slash {
                guard let p = parsePrefix(Array(bytes[(slash + 1)...]), max: 32, maxLength: 2) else { return nil }
                prefix = p
            }
            return IPAddr(high: 0, low: UInt64(v4), isIpv4: true, prefix: prefix)
        }
        guard let groups = parseIPv6(addressBytes) else { return nil }
        var prefix: UInt8 = 128
        if let slash {
            guard let p = parsePrefix(Array(bytes[(slash + 1)...]), max: 128, maxLength: 3) else { return nil }
            prefix = p
        }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for i in 0..<4 { high = high << 16 | UInt64(groups[i]) }
        for i in 4..<8 { low = low << 16 | UInt64(groups[i]) }
        return IPAddr(high: high, low: low, isIpv4: false, prefix: prefix)
    }

    private static func parsePrefix(_ bytes: [UInt8], max: UInt8, maxLength: Int) -> UInt8? {
        guard !bytes.isEmpty, bytes.count <= maxLength else { return nil }
        guard bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        if bytes[0] == 0x30 && bytes.count > 1 { return nil }
        let value = bytes.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        return value <= Int(max) ? UInt8(value) : nil
    }

    /// A dotted quad and nothing else (the gateway's client address on every request),
    /// read in one pass without allocating; nil for anything else, which `parse` then
    /// reads the general way with the same rules as `parseIPv4`.
    private static func plainIPv4(_ utf8: String.UTF8View) -> UInt32? {
        var result: UInt32 = 0
        var octet: UInt32 = 0
        var digits = 0
        var dots = 0
        for byte in utf8 {
            if byte == UInt8(ascii: ".") {
                guard digits > 0, dots < 3 else { return nil }
                result = result << 8 | octet
                (octet, digits, dots) = (0, 0, dots + 1)
                continue
            }
            guard byte >= 0x30, byte <= 0x39, digits < 3, !(digits == 1 && octet == 0) else { return nil }
            octet = octet * 10 + UInt32(byte - 0x30)
            digits += 1
            guard octet <= 255 else { return nil }
        }
        guard dots == 3, digits > 0 else { return nil }
        return result << 8 | octet
    }

    /// Dotted quad, each octet 1–3 decimal digits, no leading zeros, ≤ 255.
    private static func parseIPv4(_ bytes: [UInt8]) -> UInt32? {
        let parts = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var result: UInt32 = 0
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
            if part.first == 0x30 && part.count > 1 { return nil }
            let value = part.reduce(0) { $0 * 10 + Int($1 - 0x30) }
            guard value <= 255 else { return nil }
            result = result << 8 | UInt32(value)
        }
        return result
    }

    /// Eight groups of 1–4 hex digits, with at most one `::` standing for one or more zero groups.
    private static func parseIPv6(_ bytes: [UInt8]) -> [UInt16]? {
        let text = String(decoding: bytes, as: UTF8.self)
        let halves = text.split(separator: "::", omittingEmptySubsequences: false).map(String.init)
        guard halves.count <= 2 else { return nil }
        guard let head = parseGroups(halves[0]) else { return nil }
        if halves.count == 1 {
            return head.count == 8 ? head : nil
        }
        guard let tail = parseGroups(halves[1]), head.count + tail.count <= 7 else { return nil }
        return head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
    }

    private static func parseGroups(_ text: String) -> [UInt16]? {
        if text.isEmpty { return [] }
        var groups: [UInt16] = []
        for group in text.split(separator: ":", omittingEmptySubsequences: false) {
            guard (1...4).contains(group.utf8.count),
                  group.utf8.allSatisfy({ isHexDigit($0) }),
                  let value = UInt16(group, radix: 16) else { return nil }
            groups.append(value)
        }
        return groups
    }

    private static func isHexDigit(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)
    }

    /// `address/prefix`, with IPv6 written as Rust's `std::net` does (RFC 5952 compression,
    /// IPv4-mapped addresses as `::ffff:a.b.c.d`), so messages match the reference engine.
    public var description: String {
        if isIpv4 { return "\(Self.dottedQuad(UInt32(truncatingIfNeeded: low)))/\(prefix)" }
        return "\(ipv6Text)/\(prefix)"
    }

    private static func dottedQuad(_ v: UInt32) -> String {
        "\(v >> 24 & 0xff).\(v >> 16 & 0xff).\(v >> 8 & 0xff).\(v & 0xff)"
    }

    private var ipv6Text: String {
        if high == 0 && low >> 32 == 0xffff {
            return "::ffff:" + Self.dottedQuad(UInt32(truncatingIfNeeded: low))
        }
        let segments = (0..<8).map { i -> UInt16 in
            let word = i < 4 ? high : low
            return UInt16(truncatingIfNeeded: word >> UInt64(48 - 16 * (i % 4)))
        }
        var bestStart = 0, bestLength = 0, currentStart = 0, currentLength = 0
        for (i, segment) in segments.enumerated() {
            if segment == 0 {
                if currentLength == 0 { currentStart = i }
                currentLength += 1
                if currentLength > bestLength { bestStart = currentStart; bestLength = currentLength }
            } else {
                currentLength = 0
            }
        }
        let hex = { (s: ArraySlice<UInt16>) in s.map { String($0, radix: 16) }.joined(separator: ":") }
        if bestLength > 1 {
            return hex(segments[..<bestStart]) + "::" + hex(segments[(bestStart + bestLength)...])
        }
        return hex(segments[...])
    }
}

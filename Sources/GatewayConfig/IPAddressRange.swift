#if canImport(Glibc)
import Glibc
#endif

/// A CIDR block, `10.0.0.0/8` or `2001:db8::/32` (a bare address means one host), as
/// `listen.trusted_proxies` lists them. Matching works on raw address bytes so the
/// forwarding code asks "is this peer trusted?" without parsing text per request twice.
public struct IPAddressRange: Sendable, Hashable, CustomStringConvertible {
    /// Network address: 4 bytes for IPv4, 16 for IPv6, host bits zero.
    public let network: [UInt8]
    public let prefixLength: Int

    /// Parses `address/prefix` or a bare address. Host bits must be zero, so a typo such as
    /// `10.0.0.1/8` is reported instead of silently trusting all of `10.0.0.0/8`.
    static func parse(_ text: String) -> Result<IPAddressRange, ReasonText> {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let bytes = Self.addressBytes(String(parts[0])) else {
            return .failure(ReasonText(#"expected an IPv4 or IPv6 address or CIDR block, e.g. "10.0.0.0/8" or "fd00::/8""#))
        }
        let maximum = bytes.count * 8
        var length = maximum
        if parts.count == 2 {
            guard !parts[1].isEmpty, parts[1].count <= 3, parts[1].allSatisfy({ $0.isASCII && $0.isNumber }),
                  let value = Int(parts[1]), value <= maximum
            else {
                return .failure(ReasonText("the prefix length must be a number from 0 to \(maximum)"))
            }
            length = value
        }
        let network = Self.masked(bytes, to: length)
        guard network == bytes else {
            let suggestion = IPAddressRange(network: network, prefixLength: length)
            return .failure(ReasonText("host bits are set after /\(length); did you mean \"\(suggestion)\"?"))
        }
        return .success(IPAddressRange(network: network, prefixLength: length))
    }

    init(network: [UInt8], prefixLength: Int) {
        self.network = network
        self.prefixLength = prefixLength
    }

    /// The bytes of a textual IPv4 or IPv6 address (no brackets, no zone), or nil.
    public static func addressBytes(_ text: String) -> [UInt8]? {
        if text.contains(":") {
            var address = in6_addr()
            guard inet_pton(AF_INET6, text, &address) == 1 else { return nil }
            return withUnsafeBytes(of: &address) { Array($0) }
        }
        var address = in_addr()
        guard inet_pton(AF_INET, text, &address) == 1 else { return nil }
        return withUnsafeBytes(of: &address) { Array($0) }
    }

    /// True when `address` (4 or 16 bytes) lies in the block. An IPv4-mapped IPv6 address
    /// (`::ffff:10.0.0.1`, how a dual-stack socket reports IPv4 peers) matches IPv4 blocks.
    public func contains(_ address: [UInt8]) -> Bool {
        var address = address
        let mappedPrefix: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF]
        if network.count == 4, address.count == 16, Array(address.prefix(12)) == mappedPrefix {
            address = Array(address.suffix(4))
        }
        guard address.count == network.count else { return false }
        return Self.masked(address, to: prefixLength) == network
    }

    private static func masked(_ bytes: [UInt8], to length: Int) -> [UInt8] {
        bytes.enumerated().map { index, byte in
            let bits = min(max(length - index * 8, 0), 8)
            return bits == 8 ? byte : byte & ~(UInt8(0xFF) >> bits)
        }
    }

    public var description: String {
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        var bytes = network
        let family = network.count == 4 ? AF_INET : AF_INET6
        _ = inet_ntop(family, &bytes, &text, socklen_t(text.count))
        let address = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return "\(address)/\(prefixLength)"
    }
}

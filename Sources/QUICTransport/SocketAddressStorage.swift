import CNgtcp2
import NIOCore
#if canImport(Glibc)
import Glibc
#endif

/// A socket address in the C layout ngtcp2 wants for `ngtcp2_path`, built once per
/// address change rather than per packet, next to the `SocketAddress` it came from.
struct SocketAddressStorage {
    let address: SocketAddress
    private var storage = sockaddr_storage()
    private var length: socklen_t = 0

    init(_ address: SocketAddress) {
        var storage = sockaddr_storage()
        var length: socklen_t = 0
        address.withSockAddr { pointer, size in
            withUnsafeMutableBytes(of: &storage) { target in
                target.copyMemory(from: UnsafeRawBufferPointer(start: pointer, count: size))
            }
            length = socklen_t(size)
        }
        self.address = address
        self.storage = storage
        self.length = length
    }

    /// The address ngtcp2 holds in a path (IPv4 or IPv6; nil for anything else).
    init?(_ address: ngtcp2_addr) {
        guard let pointer = address.addr else { return nil }
        switch Int32(pointer.pointee.sa_family) {
        case AF_INET where Int(address.addrlen) >= MemoryLayout<sockaddr_in>.size:
            self.init(SocketAddress(UnsafeRawPointer(pointer).loadUnaligned(as: sockaddr_in.self)))
        case AF_INET6 where Int(address.addrlen) >= MemoryLayout<sockaddr_in6>.size:
            self.init(SocketAddress(UnsafeRawPointer(pointer).loadUnaligned(as: sockaddr_in6.self)))
        default:
            return nil
        }
    }

    /// Same bytes as the address ngtcp2 holds: lets the write loop reuse a known
    /// `SocketAddress` instead of building one per packet.
    func matches(_ other: ngtcp2_addr) -> Bool {
        guard let pointer = other.addr, other.addrlen == length else { return false }
        return withUnsafeBytes(of: storage) { memcmp($0.baseAddress!, pointer, Int(length)) == 0 }
    }

    func withSockaddr<R>(_ body: (UnsafeMutablePointer<sockaddr>, socklen_t) -> R) -> R {
        var copy = storage
        return withUnsafeMutablePointer(to: &copy) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, length) }
        }
    }
}

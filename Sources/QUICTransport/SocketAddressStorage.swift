import NIOCore
#if canImport(Glibc)
import Glibc
#endif

/// A socket address in the C layout ngtcp2 wants for `ngtcp2_path`, built once per
/// address change rather than per packet.
struct SocketAddressStorage {
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
        self.storage = storage
        self.length = length
    }

    func withSockaddr<R>(_ body: (UnsafeMutablePointer<sockaddr>, socklen_t) -> R) -> R {
        var copy = storage
        return withUnsafeMutablePointer(to: &copy) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, length) }
        }
    }
}

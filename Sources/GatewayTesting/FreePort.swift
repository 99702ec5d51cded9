import NIOCore
import NIOPosix

/// Free loopback ports for tests that must pass a port to a child process before it
/// starts (servers in this process should bind port 0 instead). The port is found by
/// binding port 0 and closing, so another process could take it in between; tests
/// accept that small race for the simplicity of a fixed argument.
public enum FreePort {
    public static func tcp(host: String = "127.0.0.1") async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: host, port: 0).get()
        let port = channel.localAddress?.port ?? 0
        try await channel.close()
        return port
    }

    /// For QUIC listeners.
    public static func udp(host: String = "127.0.0.1") async throws -> Int {
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: host, port: 0).get()
        let port = channel.localAddress?.port ?? 0
        try await channel.close()
        return port
    }
}

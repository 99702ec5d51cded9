import Foundation
import NIOCore
import NIOPosix

/// A minimal HTTP/1.1 client over a real TCP socket, for tests of plain-HTTP listeners
/// (the control server). Each call opens one connection, sends `Connection: close` and
/// reads until the server closes, so the response is exactly what went over the wire.
public enum LoopbackHTTP1 {
    public struct Response: Sendable {
        public var status: Int
        /// Field names lowercased, in arrival order.
        public var headers: [(name: String, value: String)]
        public var body: String

        public func header(_ name: String) -> String? {
            headers.first { $0.name == name.lowercased() }?.value
        }
    }

    public struct MalformedResponse: Error, CustomStringConvertible {
        public var raw: String
        public var description: String { "malformed HTTP/1.1 response: \(raw.prefix(200))" }
    }

    /// `headers` are sent as given; a non-empty `body` gets its `Content-Length`.
    public static func request(
        _ path: String, method: String = "GET", host: String = "127.0.0.1", port: Int,
        headers: [(String, String)] = [], body: String = ""
    ) async throws -> Response {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let raw = try await channel.executeThenClose { inbound, outbound in
            var head = "\(method) \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nConnection: close\r\n"
            for (name, value) in headers { head += "\(name): \(value)\r\n" }
            if !body.isEmpty { head += "Content-Length: \(body.utf8.count)\r\n" }
            try await outbound.write(ByteBuffer(string: head + "\r\n" + body))
            var received = ByteBuffer()
            for try await chunk in inbound { received.writeImmutableBuffer(chunk) }
            return String(buffer: received)
        }
        return try parse(raw)
    }

    static func parse(_ raw: String) throws -> Response {
        guard let split = raw.range(of: "\r\n\r\n") else { throw MalformedResponse(raw: raw) }
        let lines = raw[..<split.lowerBound].components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw MalformedResponse(raw: raw) }
        let headers = lines.dropFirst().compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (line[..<colon].lowercased(), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        return Response(status: status, headers: headers, body: String(raw[split.upperBound...]))
    }
}

import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A bare RFC 8935 push endpoint for `ssf-transmitter send` tests: a blocking TCP
/// listener on 127.0.0.1 that records each HTTP/1.1 request exactly as it arrived and
/// answers every one with the same status and body. Plain sockets, so the test needs
/// nothing beyond Foundation and sees the bytes the command really sent.
final class SSFTransmitterTestReceiver: @unchecked Sendable {
    struct Request: Sendable {
        var method: String
        var path: String
        /// Field names lowercased.
        var headers: [String: String]
        var body: String
    }

    let port: Int
    private let listener: Int32
    private let status: Int
    private let responseBody: String
    private let lock = NSLock()
    private var recorded: [Request] = []
    private var stopped = false

    init(status: Int, body: String = "") throws {
        self.status = status
        responseBody = body
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(listener, socketAddress, length) == 0 && listen(listener, 8) == 0
                    && getsockname(listener, socketAddress, &length) == 0
            }
        }
        guard listener >= 0, bound else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "cannot listen: errno \(errno)"])
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    var url: String { "http://127.0.0.1:\(port)/ssf/events" }

    var requests: [Request] { lock.withLock { recorded } }

    /// Wakes the blocked `accept` (shutdown does on Linux) and closes the listener. The
    /// accept thread holds the receiver, so tests call this rather than rely on release.
    func stop() {
        let first = lock.withLock { () -> Bool in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            if let request = read(connection) {
                lock.withLock { recorded.append(request) }
            }
            let reason = [202: "Accepted", 400: "Bad Request", 401: "Unauthorized"][status] ?? "Status"
            let response = "HTTP/1.1 \(status) \(reason)\r\nContent-Type: application/json\r\n"
                + "Content-Length: \(responseBody.utf8.count)\r\nConnection: close\r\n\r\n" + responseBody
            _ = Array(response.utf8).withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            close(connection)
        }
    }

    /// Reads the head, then `Content-Length` bytes of body.
    private func read(_ connection: Int32) -> Request? {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        var headEnd: Int?
        var expected = Int.max
        while bytes.count < expected {
            let count = chunk.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { break }
            bytes += chunk[..<count]
            if headEnd == nil, let end = Self.headEnd(bytes) {
                headEnd = end
                let head = String(decoding: bytes[..<end], as: UTF8.self)
                let length = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                    .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
                expected = end + 4 + length
            }
        }
        guard let headEnd else { return nil }
        let lines = String(decoding: bytes[..<headEnd], as: UTF8.self).components(separatedBy: "\r\n")
        let requestLine = lines[0].split(separator: " ")
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return Request(method: String(requestLine.first ?? ""), path: String(requestLine.dropFirst().first ?? ""),
                       headers: headers, body: String(decoding: bytes[(headEnd + 4)...], as: UTF8.self))
    }

    private static func headEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4) where bytes[index..<(index + 4)].elementsEqual([13, 10, 13, 10]) {
            return index
        }
        return nil
    }
}

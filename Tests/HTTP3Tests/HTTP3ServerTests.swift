import Foundation
import GatewayTesting
import HTTP3
import Logging
import NIOCore
import NIOPosix
import QUICTransport
import Testing

/// Drives the in-process HTTP/3 server with real clients: Debian's ngtcp2 `gtlsclient`
/// and aioquic. Nothing here is simulated: packets cross the loopback interface.
@Suite(.serialized)
struct HTTP3ServerTests {
    @Test func hundredConcurrentStreamsOnOneConnection() async throws {
        try await withServer { port in
            let directory = try TemporaryDirectory()
            let uris = (0..<100).map { "https://localhost/r/\($0)" }
            let result = try await runProcess(
                "gtlsclient",
                ["-q", "--exit-on-all-streams-close", "--download", directory.path, "127.0.0.1", "\(port)"] + uris)
            #expect(result.status == 0)
            for index in 0..<100 {
                let body = try String(contentsOfFile: "\(directory.path)/\(index)", encoding: .utf8)
                #expect(body == "GET /r/\(index) 0 \(Checksum.empty)\n")
            }
        }
    }

    @Test func uploadIsStreamedAndCountedExactly() async throws {
        try await withServer { port in
            let directory = try TemporaryDirectory()
            var bytes = [UInt8](repeating: 0, count: 3_000_000)
            for index in bytes.indices { bytes[index] = UInt8(truncatingIfNeeded: index &* 31 &+ 7) }
            let upload = directory.path + "/upload.bin"
            try Data(bytes).write(to: URL(fileURLWithPath: upload))
            let result = try await runProcess(
                "gtlsclient",
                ["-q", "--exit-on-all-streams-close", "-m", "POST", "-d", upload, "--download", directory.path,
                 "127.0.0.1", "\(port)", "https://localhost/upload"])
            #expect(result.status == 0)
            let body = try String(contentsOfFile: "\(directory.path)/upload", encoding: .utf8)
            #expect(body == "POST /upload \(bytes.count) \(Checksum.of(bytes))\n")
        }
    }

    @Test func fiftyConnectionsInParallel() async throws {
        try await withServer { port in
            let results = try await withThrowingTaskGroup(of: Int32.self) { group in
                for index in 0..<50 {
                    group.addTask {
                        try await runProcess(
                            "gtlsclient",
                            ["-q", "--exit-on-all-streams-close", "-n", "4", "127.0.0.1", "\(port)",
                             "https://localhost/c/\(index)"]).status
                    }
                }
                var statuses: [Int32] = []
                for try await status in group { statuses.append(status) }
                return statuses
            }
            #expect(results.count == 50)
            #expect(results.allSatisfy { $0 == 0 })
        }
    }

    @Test func malformedHeadersResetOnlyTheirStream() async throws {
        try await withServer { port in
            let run = try await H3Client.run(port: port, plan: [
                ["path": "/ok-before"],
                ["raw_headers": [[":method", "GET"], [":scheme", "https"], [":authority", "localhost"]],
                 "expect_stream_reset": true],
                ["raw_headers": [[":method", "GET"], [":scheme", "https"], [":authority", "localhost"],
                                 [":path", "/upper"], ["X-Upper", "1"]],
                 "expect_stream_reset": true],
                ["path": "/ok-after"],
            ])
            #expect(run.exitStatus == 0, "\(run.standardError)")
            #expect(run.responses.count == 4)
            #expect(run.responses.allSatisfy { $0.error == nil })
            #expect(run.responses[0].status == 200)
            #expect(run.responses[1].resetCode == 0x10e)
            #expect(run.responses[2].resetCode == 0x10e)
            #expect(run.responses[3].status == 200)
            #expect(run.responses[3].bodyText == "GET /ok-after 0 \(Checksum.empty)\n")
        }
    }

    /// A request whose handler asks for the connection's loop executor is handled on
    /// the QUIC loop that read it; any other request is not.
    @Test func requestsTheHandlerClaimsRunOnTheConnectionLoop() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        try await withServer(handler: LoopReportingHandler(loop: group.next()), group: group) { port in
            let directory = try TemporaryDirectory()
            let result = try await runProcess(
                "gtlsclient",
                ["-q", "--exit-on-all-streams-close", "--download", directory.path, "127.0.0.1", "\(port)",
                 "https://localhost/claimed", "https://localhost/other"])
            #expect(result.status == 0)
            #expect(try String(contentsOfFile: directory.path + "/claimed", encoding: .utf8) == "on the connection loop")
            #expect(try String(contentsOfFile: directory.path + "/other", encoding: .utf8) == "elsewhere")
        }
        try await group.shutdownGracefully()
    }
}

/// Answers where it ran: on `loop` (the server's only QUIC loop) or elsewhere. Asks
/// for the connection's loop for `/claimed`, for the global executor otherwise.
struct LoopReportingHandler: HTTP3RequestHandler {
    let loop: any EventLoop

    func executor(for request: HTTP3Request) -> (any TaskExecutor)? {
        request.path == "/claimed" ? request.connection.loopExecutor : nil
    }

    func handle(_ request: HTTP3Request, response: HTTP3ResponseWriter) async {
        let body = loop.inEventLoop ? "on the connection loop" : "elsewhere"
        try? await response.writeResponse(status: 200, headers: [], body: ByteBuffer(string: body))
    }
}

/// Answers every request with "METHOD PATH BYTES CHECKSUM\n" after reading the whole body.
struct CountingHandler: HTTP3RequestHandler {
    func handle(_ request: HTTP3Request, response: HTTP3ResponseWriter) async {
        var checksum = Checksum()
        var count = 0
        do {
            for try await chunk in request.body {
                chunk.withUnsafeReadableBytes { checksum.add($0) }
                count += chunk.readableBytes
            }
            try await response.writeHead(status: 200, headers: [HTTP3Header("content-type", "text/plain")])
            try await response.writeBody(ByteBuffer(string: "\(request.method) \(request.path) \(count) \(checksum.value)\n"))
            try await response.finish()
        } catch {
            response.reset(errorCode: 0x102)
        }
    }
}

/// FNV-1a: enough to tell that every byte arrived in order.
struct Checksum {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325
    static let empty = Checksum().value

    mutating func add(_ bytes: UnsafeRawBufferPointer) {
        for byte in bytes {
            value ^= UInt64(byte)
            value = value &* 0x100_0000_01b3
        }
    }

    static func of(_ bytes: [UInt8]) -> UInt64 {
        var checksum = Checksum()
        bytes.withUnsafeBytes { checksum.add($0) }
        return checksum.value
    }
}

func withServer(
    handler: any HTTP3RequestHandler = CountingHandler(),
    group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
    _ body: (Int) async throws -> Void
) async throws {
    let fixtures = RepositoryPaths.fixtures
    let tls = try TLSServerContext(
        certificatePath: fixtures + "/dev-cert.pem", privateKeyPath: fixtures + "/dev-key.pem")
    let server = try await HTTP3Server.start(
        host: "127.0.0.1", port: 0, group: group, tls: tls, handler: handler, logger: Logger(label: "test.http3"))
    do {
        try await body(server.localAddress.port!)
    } catch {
        await server.shutdown(gracePeriod: .milliseconds(100))
        throw error
    }
    await server.shutdown(gracePeriod: .milliseconds(100))
}

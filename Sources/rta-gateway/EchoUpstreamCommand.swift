import ArgumentParser
import DemoUpstream
import NIOPosix

/// The demo upstream the README's first command starts behind the gateway.
struct EchoUpstreamCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "echo-upstream",
        abstract: "Run a demo HTTP/1.1 upstream that echoes each request as JSON.",
        discussion: """
            Every request is answered with {method, path, query, headers, body_sha256, body_bytes}. \
            Special paths: /bytes/N streams N bytes, /slow/MS waits MS milliseconds before \
            answering, /status/CODE answers with that status. Runs until interrupted.
            """)

    @Option(help: "Address to listen on.")
    var host: String = "127.0.0.1"

    @Option(help: "TCP port to listen on (0 picks a free one and prints it).")
    var port: Int = 8081

    func run() async throws {
        let upstream = EchoUpstream(host: host, port: port, eventLoopGroup: MultiThreadedEventLoopGroup.singleton)
        let bound = try await upstream.start()
        print("echo upstream listening on http://\(host):\(bound)")
        while !Task.isCancelled {
            try await Task.sleep(for: .seconds(3600))
        }
    }
}

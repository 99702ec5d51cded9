import Foundation
import NIOCore
import NIOPosix

/// A long-running child process for integration tests (a gateway, an upstream, a
/// peer): launched with arguments and environment, its stdout and stderr captured to
/// a log file that survives for the failure message, and stopped with SIGTERM then
/// SIGKILL so a hung child never outlives the test.
public final class ManagedProcess: @unchecked Sendable {
    // @unchecked: `process` is only mutated before `launch` returns; Foundation's
    // Process is thread-safe for the read-only calls made afterwards.
    private let process = Process()
    public let logPath: String

    public enum Failure: Error, CustomStringConvertible {
        case exitedEarly(status: Int32, log: String)
        case timedOut(waitingFor: String, log: String)
        case cannotCreateLog(String)

        public var description: String {
            switch self {
            case .exitedEarly(let status, let log): "process exited with status \(status) before it was ready; log:\n\(log)"
            case .timedOut(let what, let log): "timed out waiting for \(what); log:\n\(log)"
            case .cannotCreateLog(let path): "cannot create log file \(path)"
            }
        }
    }

    /// Starts `executable` (an absolute path). `environment` entries are added to this
    /// process's environment. Output goes to `logPath` (a temporary file by default).
    public init(
        executable: String, arguments: [String] = [], environment: [String: String] = [:],
        logPath: String? = nil
    ) throws {
        let path = logPath ?? NSTemporaryDirectory() + "rta-process-\(UUID().uuidString).log"
        guard FileManager.default.createFile(atPath: path, contents: nil) else { throw Failure.cannotCreateLog(path) }
        self.logPath = path
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    public var processIdentifier: Int32 { process.processIdentifier }
    public var isRunning: Bool { process.isRunning }

    /// Everything the process has written so far.
    public func log() -> String {
        (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    }

    /// Waits until the log contains `text` (a readiness line such as "listening").
    public func waitForLine(containing text: String, timeout: Duration = .seconds(30)) async throws {
        try await poll(what: "log line containing \"\(text)\"", timeout: timeout) { self.log().contains(text) }
    }

    /// Waits until a TCP connection to `host:port` succeeds.
    public func waitForPort(_ port: Int, host: String = "127.0.0.1", timeout: Duration = .seconds(30)) async throws {
        try await poll(what: "TCP port \(host):\(port)", timeout: timeout) {
            guard let channel = try? await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.milliseconds(200)).connect(host: host, port: port).get()
            else { return false }
            try? await channel.close()
            return true
        }
    }

    /// SIGTERM, then SIGKILL if the process is still running after `grace`.
    /// Returns the exit status (the signal number for a killed process).
    @discardableResult
    public func terminate(grace: Duration = .seconds(5)) async -> Int32 {
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            let deadline = ContinuousClock.now + grace
            while process.isRunning && ContinuousClock.now < deadline {
                try? await Task.sleep(for: .milliseconds(20))
            }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        process.waitUntilExit()
        return process.terminationStatus
    }

    private func poll(what: String, timeout: Duration, _ ready: () async -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await ready() { return }
            if !process.isRunning { throw Failure.exitedEarly(status: process.terminationStatus, log: log()) }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw Failure.timedOut(waitingFor: what, log: log())
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

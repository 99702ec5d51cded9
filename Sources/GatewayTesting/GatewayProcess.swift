import Foundation

/// The real `rta-gateway serve` binary as a child process on ephemeral ports, for tests
/// that need process-level facts: peak memory, signals, exit status.
public final class GatewayProcess: Sendable {
    public let quicPort: Int
    public let controlPort: Int
    public let process: ManagedProcess
    private let directory: TemporaryDirectory

    /// Writes `configYAML` (listening on port 0) and waits for the "gateway ready" log line.
    public static func start(configYAML: String, timeout: Duration = .seconds(30)) async throws -> GatewayProcess {
        let directory = try TemporaryDirectory()
        let configPath = directory.path + "/gateway.yaml"
        try configYAML.write(toFile: configPath, atomically: true, encoding: .utf8)
        let process = try ManagedProcess(
            executable: try executablePath(), arguments: ["serve", "--config", configPath],
            logPath: directory.path + "/gateway.log")
        try await process.waitForLine(containing: "gateway ready", timeout: timeout)
        guard let ports = readyPorts(in: process.log()) else {
            throw GatewayProcessError(description: "cannot read the bound ports from:\n\(process.log())")
        }
        return GatewayProcess(quicPort: ports.quic, controlPort: ports.control, process: process, directory: directory)
    }

    private init(quicPort: Int, controlPort: Int, process: ManagedProcess, directory: TemporaryDirectory) {
        self.quicPort = quicPort
        self.controlPort = controlPort
        self.process = process
        self.directory = directory
    }

    /// The `rta-gateway` built next to the test bundle (`swift build --build-tests` builds both).
    public static func executablePath() throws -> String {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = testBinary.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("rta-gateway").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        let fallback = RepositoryPaths.root + "/.build/debug/rta-gateway"
        if FileManager.default.isExecutableFile(atPath: fallback) { return fallback }
        throw GatewayProcessError(description: "rta-gateway binary not found near \(testBinary.path); run swift build first")
    }

    /// Resident memory now and at its peak (VmRSS, VmHWM), in kibibytes.
    public func memoryKiB() throws -> (current: Int, peak: Int) {
        let status = try String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)
        func field(_ name: String) -> Int {
            for line in status.split(separator: "\n") where line.hasPrefix(name + ":") {
                return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "0") ?? 0
            }
            return 0
        }
        return (field("VmRSS"), field("VmHWM"))
    }

    static func readyPorts(in log: String) -> (quic: Int, control: Int)? {
        guard let line = log.split(separator: "\n").first(where: { $0.contains("gateway ready") }) else { return nil }
        func port(after key: String) -> Int? {
            guard let range = line.range(of: " \(key)=") else { return nil }
            let value = line[range.upperBound...].prefix { $0 != " " }
            return value.split(separator: ":").last.flatMap { Int($0) }
        }
        guard let quic = port(after: "quic"), let control = port(after: "control") else { return nil }
        return (quic, control)
    }
}

public struct GatewayProcessError: Error, CustomStringConvertible {
    public var description: String
}

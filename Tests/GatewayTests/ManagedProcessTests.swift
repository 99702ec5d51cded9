import Glibc
import GatewayTesting
import Testing

/// `ManagedProcess` (GatewayTesting) against real child processes.
@Suite struct ManagedProcessTests {
    @Test func waitsForALogLineAndStopsWithSIGTERM() async throws {
        let process = try ManagedProcess(
            executable: "/bin/sh", arguments: ["-c", "echo \"starting $GREETING\"; sleep 0.2; echo ready >&2; exec sleep 30"],
            environment: ["GREETING": "hello"])
        try await process.waitForLine(containing: "ready", timeout: .seconds(10))
        #expect(process.log().contains("starting hello"))
        let started = ContinuousClock.now
        let status = await process.terminate(grace: .seconds(5))
        #expect(status == SIGTERM)
        #expect(started.duration(to: .now) < .seconds(3))
        #expect(!process.isRunning)
    }

    @Test func escalatesToSIGKILLWhenTermIsIgnored() async throws {
        let process = try ManagedProcess(
            executable: "/bin/sh", arguments: ["-c", "trap '' TERM; echo armed; while true; do sleep 0.05; done"])
        try await process.waitForLine(containing: "armed", timeout: .seconds(10))
        let status = await process.terminate(grace: .milliseconds(300))
        #expect(status == SIGKILL)
    }

    @Test func reportsAnEarlyExitWithTheLog() async throws {
        let process = try ManagedProcess(executable: "/bin/sh", arguments: ["-c", "echo broken config; exit 2"])
        await #expect(throws: ManagedProcess.Failure.self) {
            try await process.waitForLine(containing: "ready", timeout: .seconds(10))
        }
        #expect(await process.terminate() == 2)
    }

    @Test func waitsForATCPPort() async throws {
        let port = try await FreePort.tcp()
        let process = try ManagedProcess(
            executable: "/usr/bin/python3",
            arguments: ["-c", "import socket,time; s=socket.socket(); s.bind(('127.0.0.1', \(port))); s.listen(); time.sleep(30)"])
        try await process.waitForPort(port, timeout: .seconds(10))
        await process.terminate()
    }
}

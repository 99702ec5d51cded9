import Foundation

/// The outcome of a finished child process.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var standardOutput: String
    public var standardError: String
}

/// Runs a program to completion (looked up on PATH when not absolute), feeding it
/// `input` on stdin, and kills it after `timeout` so a hung client fails the test
/// instead of hanging CI.
public func runProcess(
    _ program: String, _ arguments: [String], input: String? = nil, timeout: Duration = .seconds(120)
) async throws -> ProcessResult {
    let process = Process()
    if program.hasPrefix("/") {
        process.executableURL = URL(fileURLWithPath: program)
    } else {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments
    }
    if process.arguments == nil { process.arguments = arguments }
    let directory = try TemporaryDirectory()
    let outPath = directory.path + "/out", errPath = directory.path + "/err"
    FileManager.default.createFile(atPath: outPath, contents: nil)
    FileManager.default.createFile(atPath: errPath, contents: nil)
    process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
    process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
    let stdin = Pipe()
    process.standardInput = stdin
    let watchdog = WatchdogBox()
    let status: Int32 = try await withCheckedThrowingContinuation { continuation in
        process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
        do {
            try process.run()
        } catch {
            continuation.resume(throwing: error)
            return
        }
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try? stdin.fileHandleForWriting.close()
        let pid = process.processIdentifier
        watchdog.task = Task {
            try await Task.sleep(for: timeout)
            kill(pid, SIGKILL)
        }
    }
    watchdog.task?.cancel()
    return ProcessResult(
        status: status,
        standardOutput: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
        standardError: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
}

/// Holds the timeout task so it is cancelled once the process has exited (its pid could
/// otherwise be reused by the time the timer fires).
private final class WatchdogBox: @unchecked Sendable {
    var task: Task<Void, any Error>?
}

import Foundation

/// Output and lifetime shared by the development servers (`dev-idp`,
/// `ssf-transmitter`). Lines are written unbuffered: `print` to a pipe or file is
/// block-buffered, and a script or test waiting for the URLs would never see them.
enum DevServerConsole {
    static func announce(_ lines: [String]) {
        FileHandle.standardOutput.write(Data(lines.map { $0 + "\n" }.joined().utf8))
    }

    /// Sleeps until the process is interrupted (SIGINT/SIGTERM end it).
    static func runUntilInterrupted() async throws {
        while !Task.isCancelled {
            try await Task.sleep(for: .seconds(3600))
        }
    }
}

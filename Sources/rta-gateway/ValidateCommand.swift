import ArgumentParser
import GatewayConfig

/// Runs exactly the configuration code path of `serve`, without starting anything.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check gateway.yaml and report every problem with file, line, column and key.",
        discussion: """
            Exit status: 0 when the file is valid, 1 when it has errors (all of them are \
            printed, one per line, as FILE:LINE:COLUMN: KEY: MESSAGE).
            """)

    @Argument(help: "The configuration file to check.")
    var file: String = "gateway.yaml"

    func run() throws {
        do {
            let config = try GatewayConfig.load(path: file)
            print("\(file): OK (\(config.routes.count) routes, \(config.upstreams.count) upstreams)")
        } catch {
            printError(error.description)
            throw ExitCode(1)
        }
    }
}

func printError(_ text: String) {
    var standardError = StandardErrorStream()
    print(text, to: &standardError)
}

struct StandardErrorStream: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandleWriter.standardError(string)
    }
}

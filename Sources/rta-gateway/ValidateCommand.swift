import ArgumentParser
import Gateway
import GatewayConfig
import GatewayPolicy

/// Runs exactly the configuration and policy loading of `serve`, without starting anything.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check gateway.yaml and its policies; report every problem with file, line and column.",
        discussion: """
            Runs the start-up checks of `serve`: the configuration file, then (when it has a \
            tokens section) the Cedar policies, schema and entities it names.

            Exit status: 0 when both are valid, 1 when either has errors (all of them are \
            printed, one per line, as FILE:LINE:COLUMN: KEY: MESSAGE).
            """)

    @Argument(help: "The configuration file to check.")
    var file: String = "gateway.yaml"

    func run() throws {
        let config: GatewayConfig
        let policies: PolicySnapshot?
        do {
            config = try GatewayConfig.load(path: file)
            policies = try GatewayService.checkPolicies(config)
        } catch {
            printError("\(error)")
            throw ExitCode(1)
        }
        let policyCount = policies.map { ", \($0.policies.policies.count) policies" } ?? ""
        print("\(file): OK (\(config.routes.count) routes, \(config.upstreams.count) upstreams\(policyCount))")
        if let policies, policies.policies.policies.isEmpty {
            printError("\(file): warning: no policies in \(config.policies.directory): every protected request is denied")
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

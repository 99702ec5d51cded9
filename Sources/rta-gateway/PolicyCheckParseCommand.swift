import ArgumentParser
import Cedar

/// `policy check-parse`: syntax only, no schema. Reports every syntax error in the file
/// (the parser recovers at policy boundaries), each with line, column, what was found and
/// what was expected.
struct PolicyCheckParseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-parse",
        abstract: "Check that policies parse; report every syntax error with its position.",
        discussion: """
            Errors go to standard error as FILE:LINE:COLUMN: MESSAGE, followed by what was \
            found and expected when the message does not say it.

            Exit status: 0 when the file parses, 1 otherwise (also for duplicate policy ids).
            """)

    @Option(name: [.short, .customLong("policies")], help: ArgumentHelp(
        "File with the Cedar policies and templates (standard input when absent).", valueName: "FILE"))
    var policiesFile: String?

    @Flag(name: .customLong("no-id-annotations"), help: """
        Name policies policy0, policy1, … in file order, ignoring @id annotations (the corpus convention).
        """)
    var noIDAnnotations = false

    func run() throws {
        let policies: PolicySet
        do {
            policies = try PolicyInputs.policies(at: policiesFile, useIDAnnotations: !noIDAnnotations)
        } catch {
            printError(error.description)
            throw PolicyExitStatus.failure
        }
        let file = policiesFile ?? PolicyInputs.standardInputName
        print("\(file): OK (\(policies.policies.count) policies, \(policies.templates.count) templates)")
    }
}

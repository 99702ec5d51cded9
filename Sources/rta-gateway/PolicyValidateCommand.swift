import ArgumentParser
import Cedar

/// `policy validate`: strict validation of every policy and template against a schema,
/// each error pointing at FILE:LINE:COLUMN of the expression it concerns.
struct PolicyValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Validate policies against a schema (strict mode).",
        discussion: """
            Errors go to standard error, one per line, as \
            FILE:LINE:COLUMN: policy `ID`: MESSAGE [code].

            Exit status: 0 when the policies validate, 3 when they do not, 1 when the policy \
            or schema file cannot be read or parsed.
            """)

    @Option(name: [.short, .customLong("policies")], help: ArgumentHelp(
        "File with the Cedar policies and templates (standard input when absent).", valueName: "FILE"))
    var policiesFile: String?

    @Option(name: [.short, .customLong("schema")], help: ArgumentHelp("Schema file.", valueName: "FILE"))
    var schemaFile: String

    @Option(name: .customLong("schema-format"), help: "Format of the --schema file.")
    var schemaFormat: PolicySchemaFormat = .cedar

    @Flag(name: .customLong("no-id-annotations"), help: """
        Name policies policy0, policy1, … in file order, ignoring @id annotations (the corpus convention).
        """)
    var noIDAnnotations = false

    func validate() throws {
        if policiesFile == nil || policiesFile == "-", schemaFile == "-" {
            throw ArgumentParser.ValidationError("standard input can carry only one input; --policies defaults to it, so give --policies FILE")
        }
    }

    func run() throws {
        let schema: Schema
        let policies: PolicySet
        do {
            schema = try PolicyInputs.schema(at: schemaFile, format: schemaFormat)
            policies = try PolicyInputs.policies(at: policiesFile, useIDAnnotations: !noIDAnnotations)
        } catch {
            printError(error.description)
            throw PolicyExitStatus.failure
        }
        let all = (policies.policies + policies.templates.values).sorted { $0.span.offset < $1.span.offset }
        let errors = Validator(schema: schema).validate(all)
        let file = policiesFile ?? PolicyInputs.standardInputName
        guard errors.isEmpty else {
            for error in errors {
                printError("\(file):\(error.span.line):\(error.span.column): policy `\(error.policyID)`: \(error.message) [\(error.code.rawValue)]")
            }
            printError("policy set validation failed: \(errors.count) error\(errors.count == 1 ? "" : "s")")
            throw PolicyExitStatus.validationFailed
        }
        print("policy set validation passed: \(all.count) polic\(all.count == 1 ? "y" : "ies") in \(file)")
    }
}

import ArgumentParser
import Cedar

/// `policy authorize`: one request (from flags or a request JSON file) or a batch of them,
/// decided by the same `Authorizer` the gateway runs per request.
struct PolicyAuthorizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "authorize",
        abstract: "Decide an authorization request: prints ALLOW or DENY.",
        discussion: """
            Give the request as --principal/--action/--resource (with an optional --context \
            file), as --request-json FILE, or many at once with --batch FILE (or - for stdin): \
            one Cedar request JSON object per line in, one JSON line \
            {"decision","reasons","errors"} out.

            Exit status: 0 ALLOW, 2 DENY, 1 when an input cannot be read or parsed. With \
            --batch: 0 when every line was decided (whatever the decisions), 1 when any line failed.
            """)

    @Option(name: [.short, .customLong("policies")], help: ArgumentHelp(
        "File with the Cedar policies (standard input when absent).", valueName: "FILE"))
    var policiesFile: String?

    @Option(name: .customLong("entities"), help: ArgumentHelp(
        "File with the entities, in Cedar's entity JSON format.", valueName: "FILE"))
    var entitiesFile: String

    @Option(name: [.customShort("l"), .long], help: "The principal, e.g. 'User::\"alice\"'.")
    var principal: String?

    @Option(name: [.short, .long], help: "The action, e.g. 'Action::\"view\"'.")
    var action: String?

    @Option(name: [.short, .long], help: "The resource, e.g. 'Photo::\"vacation.jpg\"'.")
    var resource: String?

    @Option(name: [.short, .customLong("context")], help: ArgumentHelp(
        "File with the request's context as a JSON object (empty when absent).", valueName: "FILE"))
    var contextFile: String?

    @Option(name: .customLong("request-json"), help: ArgumentHelp(
        "File with the whole request as JSON: principal, action, resource, context.", valueName: "FILE"))
    var requestJSONFile: String?

    @Option(name: .customLong("batch"), help: ArgumentHelp(
        "File (or - for stdin) with one request JSON object per line; prints one JSON result per line.",
        valueName: "FILE"))
    var batchFile: String?

    @Option(name: [.short, .customLong("schema")], help: ArgumentHelp(
        "Schema file: adds the schema's action hierarchy and decodes implicit entity and extension values.",
        valueName: "FILE"))
    var schemaFile: String?

    @Option(name: .customLong("schema-format"), help: "Format of the --schema file.")
    var schemaFormat: PolicySchemaFormat = .cedar

    @Flag(name: .customLong("no-id-annotations"), help: """
        Name policies policy0, policy1, … in file order, ignoring @id annotations (the corpus convention).
        """)
    var noIDAnnotations = false

    @Flag(name: .shortAndLong, help: "Also print the policies that determined the decision.")
    var verbose = false

    func validate() throws {
        let literals = [principal, action, resource].compactMap { $0 }.count
        let modes = [requestJSONFile != nil, batchFile != nil, literals > 0 || contextFile != nil].filter { $0 }.count
        guard modes == 1 else {
            throw ArgumentParser.ValidationError(
                "give exactly one of --principal/--action/--resource, --request-json or --batch")
        }
        if literals > 0 || contextFile != nil, literals != 3 {
            throw ArgumentParser.ValidationError("--principal, --action and --resource must be given together")
        }
        let files: [String?] = [policiesFile ?? "-", entitiesFile, contextFile, requestJSONFile, batchFile, schemaFile]
        guard files.filter({ $0 == "-" }).count <= 1 else {
            throw ArgumentParser.ValidationError("standard input can carry only one input; --policies defaults to it, so give --policies FILE")
        }
    }

    func run() throws {
        let schema: Schema?
        let policies: PolicySet
        let entities: Entities
        do {
            (schema, policies, entities) = try load()
        } catch {
            printError(error.description)
            throw PolicyExitStatus.failure
        }
        if let batchFile {
            let runner = PolicyBatchRunner(policies: policies, entities: entities, schema: schema)
            guard runner.run(inputPath: batchFile) else { throw PolicyExitStatus.failure }
            return
        }
        let request: Request
        do {
            request = try oneRequest(schema: schema)
        } catch {
            printError(error.description)
            throw PolicyExitStatus.failure
        }
        let response = Authorizer.isAuthorized(request, policies: policies, entities: entities)
        print(report(response, policies: policies))
        if response.decision == .deny { throw PolicyExitStatus.deny }
    }

    /// Loads every input and reports all failures together, as upstream does, so one run
    /// shows everything to fix.
    private func load() throws(PolicyCLIError) -> (Schema?, PolicySet, Entities) {
        var failures: [PolicyCLIError] = []
        var schema: Schema?
        if let schemaFile {
            do { schema = try PolicyInputs.schema(at: schemaFile, format: schemaFormat) } catch { failures.append(error) }
        }
        var policies = PolicySet()
        do {
            policies = try PolicyInputs.policies(at: policiesFile, useIDAnnotations: !noIDAnnotations)
        } catch {
            failures.append(error)
        }
        var entities = Entities.empty
        do { entities = try PolicyInputs.entities(at: entitiesFile, schema: schema) } catch { failures.append(error) }
        if let first = failures.first {
            throw PolicyCLIError(first.code, failures.map(\.message).joined(separator: "\n"))
        }
        return (schema, policies, entities)
    }

    private func oneRequest(schema: Schema?) throws(PolicyCLIError) -> Request {
        if let requestJSONFile {
            let (name, text) = try PolicyInputs.text(of: requestJSONFile, what: "request")
            return try PolicyInputs.request(json: text, source: name, schema: schema)
        }
        guard let principal, let action, let resource else {
            throw PolicyCLIError(.request, "no request given")
        }
        return try PolicyInputs.request(
            principal: principal, action: action, resource: resource, contextPath: contextFile, schema: schema)
    }

    /// Upstream's layout: the decision, then evaluation errors, then (verbose) the reasons.
    private func report(_ response: Response, policies: PolicySet) -> String {
        var lines = [response.decision == .allow ? "ALLOW" : "DENY"]
        if !response.errors.isEmpty {
            lines.append("")
            let file = policiesFile ?? PolicyInputs.standardInputName
            for failure in response.errors {
                let span = failure.error.span
                lines.append("\(file):\(span.line):\(span.column): error while evaluating policy `\(failure.policyID)`: \(failure.error.message)")
            }
        }
        if verbose {
            lines.append("")
            if response.reason.isEmpty {
                lines.append("note: no policies applied to this request")
            } else {
                lines.append("note: this decision was due to the following policies:")
                lines += response.reason.sorted().map { "  \($0)" }
            }
        }
        return lines.joined(separator: "\n")
    }
}

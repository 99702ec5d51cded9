import Cedar
import Foundation
import GatewayConfig

/// Reads the configured policy files into a policy set, collecting every problem instead
/// of stopping at the first, so one failed reload shows the operator everything to fix.
///
/// Stages run in order — read, parse, ids, schema validation, entities — and a stage runs
/// only when the ones before it succeeded, since validating a half-parsed set would
/// report errors that are not there.
struct PolicyLoader: Sendable {
    let configuration: PoliciesConfig

    /// What one successful load produced, before the store gives it an epoch.
    struct Loaded: Sendable {
        var policies: PolicySet
        var entities: Entities
        var schema: Schema?
        var files: [PolicyID: String]
    }

    /// `load()` as a value, for callers that hand the outcome on.
    func attempt() -> Result<Loaded, PolicyLoadError> {
        do {
            return .success(try load())
        } catch {
            return .failure(error)
        }
    }

    func load() throws(PolicyLoadError) -> Loaded {
        var problems: [PolicyProblem] = []
        let schema = configuration.schemaPath.flatMap { readSchema($0, into: &problems) }
        var policies: [Policy] = []
        var files: [PolicyID: String] = [:]
        var firstSeen: [PolicyID: (file: String, line: Int)] = [:]
        for path in policyFiles(into: &problems) {
            for policy in parse(path, into: &problems) {
                if let earlier = firstSeen[policy.id] {
                    problems.append(PolicyProblem(
                        .duplicatePolicyID, file: path, line: policy.span.line, column: policy.span.column,
                        policyID: policy.id.rawValue,
                        message: "duplicate policy id (first defined at \(earlier.file):\(earlier.line))"))
                    continue
                }
                firstSeen[policy.id] = (path, policy.span.line)
                files[policy.id] = path
                policies.append(policy)
            }
        }
        guard problems.isEmpty else { throw PolicyLoadError(problems) }
        if let schema {
            for error in Validator(schema: schema).validate(policies) {
                problems.append(PolicyProblem(
                    .validation, file: files[error.policyID] ?? "", line: error.span.line, column: error.span.column,
                    policyID: error.policyID.rawValue, message: error.message))
            }
        }
        let entities = configuration.entitiesPath.map { readEntities($0, schema: schema, into: &problems) } ?? .empty
        let set: PolicySet
        do {
            set = try PolicySet(policies)
        } catch {
            problems.append(PolicyProblem(.duplicatePolicyID, file: configuration.directory, message: error.message))
            throw PolicyLoadError(problems)
        }
        guard problems.isEmpty else { throw PolicyLoadError(problems) }
        return Loaded(policies: set, entities: entities, schema: schema, files: files)
    }

    /// Every `*.cedar` file in the directory, sorted by name so load order (and so policy
    /// ids and error order) does not depend on the file system.
    func policyFiles(into problems: inout [PolicyProblem]) -> [String] {
        let directory = configuration.directory
        do {
            let names = try FileManager.default.contentsOfDirectory(atPath: directory)
            return names.filter { $0.hasSuffix(".cedar") }.sorted().map { (directory as NSString).appendingPathComponent($0) }
        } catch {
            problems.append(PolicyProblem(
                .unreadableFile, file: directory, message: "cannot list policy directory: \(error.localizedDescription)"))
            return []
        }
    }

    /// The file's policies with their final ids: `@id("…")` when annotated, otherwise
    /// `<file name>:policyN` so ids stay unique across files and name their file.
    private func parse(_ path: String, into problems: inout [PolicyProblem]) -> [Policy] {
        guard let text = read(path, into: &problems) else { return [] }
        let fileName = (path as NSString).lastPathComponent
        let set: PolicySet
        do {
            set = try PolicySet.parse(text: text, fileName: path)
        } catch {
            switch error {
            case .syntax(let errors):
                problems += errors.errors.map {
                    PolicyProblem(.syntax, file: path, line: $0.line, column: $0.column, message: $0.message)
                }
            case .policySet(let error):
                problems.append(PolicyProblem(.duplicatePolicyID, file: path, message: error.message))
            }
            return []
        }
        for template in set.templates.values.sorted(by: { $0.span.offset < $1.span.offset }) {
            problems.append(PolicyProblem(
                .templateNotSupported, file: path, line: template.span.line, column: template.span.column,
                message: "templates (policies with ?principal or ?resource) are not supported; write a static policy"))
        }
        return set.policies.map { policy in
            var renamed = policy
            renamed.id = PolicyID(policy.annotation("id") ?? "\(fileName):\(policy.id.rawValue)")
            return renamed
        }
    }

    private func readSchema(_ path: String, into problems: inout [PolicyProblem]) -> Schema? {
        guard let text = read(path, into: &problems) else { return nil }
        do {
            return path.hasSuffix(".json") ? try Schema.parse(json: text) : try Schema.parse(cedarSchema: text)
        } catch {
            problems.append(PolicyProblem(.schema, file: path, line: error.line, column: error.column, message: error.message))
            return nil
        }
    }

    private func readEntities(_ path: String, schema: Schema?, into problems: inout [PolicyProblem]) -> Entities {
        guard let text = read(path, into: &problems) else { return .empty }
        do {
            return try Entities.fromJSON(text, schema: schema)
        } catch {
            problems.append(PolicyProblem(.entities, file: path, message: error.description))
            return .empty
        }
    }

    private func read(_ path: String, into problems: inout [PolicyProblem]) -> String? {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            problems.append(PolicyProblem(.unreadableFile, file: path, message: "cannot read file: \(error.localizedDescription)"))
            return nil
        }
    }
}

import Cedar
import Foundation

/// One policy set with its entities and the requests asked against it, as text, so the
/// same bytes can be handed to the Swift engine and (via `export`) to cedarpy.
struct Scenario {
    var name: String
    var policies: String
    /// Entities JSON (an array).
    var entities: String
    /// Cedar-syntax schema, when the data relies on it (implicit entity/extension forms).
    var schema: String?
    /// Request JSON documents.
    var requests: [String]
}

/// Why a scenario could not be loaded; names the scenario and the stage.
struct ScenarioError: Error, CustomStringConvertible {
    var scenario: String
    var stage: String
    var message: String
    var description: String { "\(scenario): cannot load \(stage): \(message)" }
}

/// A scenario parsed into engine objects, ready to authorize.
struct LoadedScenario {
    var policies: PolicySet
    var entities: Entities
    var requests: [Request]

    init(_ s: Scenario) throws(ScenarioError) {
        let schema: Schema?
        do {
            schema = try s.schema.map { text throws in try Schema.parse(cedarSchema: text) }
        } catch {
            throw ScenarioError(scenario: s.name, stage: "schema", message: "\(error)")
        }
        do {
            policies = try PolicySet.parse(text: s.policies, fileName: s.name)
        } catch {
            throw ScenarioError(scenario: s.name, stage: "policies", message: "\(error)")
        }
        do {
            entities = try Entities.fromJSON(s.entities, schema: schema)
            requests = try s.requests.map { text throws(EntitiesError) in try Request.fromJSON(text, schema: schema) }
        } catch {
            throw ScenarioError(scenario: s.name, stage: "entities or requests", message: "\(error)")
        }
    }
}

/// A named benchmark case: one or more scenarios whose requests are timed together.
struct Workload {
    var name: String
    var label: String
    var scenarios: [Scenario]

    var requestCount: Int { scenarios.reduce(0) { $0 + $1.requests.count } }

    /// Writes `<directory>/<name>/<i>/{policies.cedar, entities.json, schema.cedarschema,
    /// requests.json, decisions.json}`: the input of `cedarpy_bench.py`. `decisions.json`
    /// holds the Swift engine's decisions so the Python side can check it measured the
    /// same work.
    func export(to directory: URL) throws {
        for (i, s) in scenarios.enumerated() {
            let dir = directory.appendingPathComponent(name).appendingPathComponent(String(i))
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try Data(s.policies.utf8).write(to: dir.appendingPathComponent("policies.cedar"))
            try Data(s.entities.utf8).write(to: dir.appendingPathComponent("entities.json"))
            if let schema = s.schema { try Data(schema.utf8).write(to: dir.appendingPathComponent("schema.cedarschema")) }
            try Data(("[" + s.requests.joined(separator: ",\n") + "]").utf8).write(to: dir.appendingPathComponent("requests.json"))
            let loaded = try LoadedScenario(s)
            let decisions = loaded.requests.map {
                "\"" + Authorizer.isAuthorized($0, policies: loaded.policies, entities: loaded.entities).decision.rawValue + "\""
            }
            try Data(("[" + decisions.joined(separator: ",") + "]").utf8).write(to: dir.appendingPathComponent("decisions.json"))
        }
    }
}

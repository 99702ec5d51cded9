import Foundation

/// Workload (a): the hand-written `tests/example_use_cases` of the Cedar integration
/// corpus (photo-sharing policies over `sample-data/sandbox_*`), with the requests the
/// corpus asks. Small policy sets, realistic conditions: the gateway's common case.
enum ExampleUseCases {
    static func workload(corpus: URL) throws -> Workload {
        let dir = corpus.appendingPathComponent("tests/example_use_cases")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".json") }.sorted()
        var scenarios: [Scenario] = []
        for file in files {
            let data = try Data(contentsOf: dir.appendingPathComponent(file))
            guard let test = try JSONSerialization.jsonObject(with: data) as? [String: Any],
                let policies = test["policies"] as? String, let entities = test["entities"] as? String,
                let requests = test["requests"] as? [[String: Any]]
            else {
                throw ScenarioError(scenario: file, stage: "test file", message: "missing policies, entities or requests")
            }
            func read(_ path: String) throws -> String {
                try String(contentsOf: corpus.appendingPathComponent(path), encoding: .utf8)
            }
            let requestTexts = try requests.map { r in
                let fields = r.filter { ["principal", "action", "resource", "context"].contains($0.key) }
                return String(decoding: try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]), as: UTF8.self)
            }
            scenarios.append(Scenario(
                name: file, policies: try read(policies), entities: try read(entities),
                schema: try (test["schema"] as? String).map(read), requests: requestTexts))
        }
        return Workload(name: "example_use_cases", label: "(a) corpus example_use_cases", scenarios: scenarios)
    }
}

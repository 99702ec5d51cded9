import Foundation
import GatewayConfig

/// A real folder of policy files under the system temp directory, removed by `remove()`.
/// Tests write, rewrite and delete files in it exactly as an operator would.
struct PolicyFolder {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "rta-policy-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ text: String) throws {
        try text.write(toFile: file(name), atomically: true, encoding: .utf8)
    }

    func file(_ name: String) -> String { path + "/" + name }

    func configuration(schema: String? = nil, entities: String? = nil) -> PoliciesConfig {
        PoliciesConfig(directory: path, schemaPath: schema.map(file), entitiesPath: entities.map(file))
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// The checkout's root, found from this file even when the tests folder is symlinked.
    static var repositoryRoot: String {
        URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path
    }

    /// The schema used by the store tests: one action on documents.
    static let schema = """
        entity User;
        entity Agent in [User];
        entity Doc;
        action Read appliesTo { principal: [Agent], resource: [Doc], context: { scopes: Set<String> } };
        """
}

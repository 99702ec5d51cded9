import Yams

/// Reads typed values out of composed YAML nodes. Every problem becomes a `ConfigError`
/// at the node's line and column, and reading carries on, so one pass finds them all.
/// Each accessor returns nil exactly when it has recorded an error.
final class ConfigReader {
    let file: String
    private(set) var errors: [ConfigError] = []

    init(file: String) {
        self.file = file
    }

    func fail(_ code: ConfigError.Code, at node: Node?, _ path: ConfigKeyPath, _ message: String) {
        let mark = node?.mark
        errors.append(ConfigError(
            code, file: file, line: mark?.line ?? 1, column: mark?.column ?? 1,
            keyPath: path.description, message: message))
    }

    /// A mapping whose keys must all be in `known`; unknown keys are reported (with the
    /// closest known key) and skipped.
    func mapping(_ node: Node, at path: ConfigKeyPath, known: [String]) -> MappingReader? {
        guard case .mapping(let mapping) = node else {
            fail(.wrongType, at: node, path, "expected a mapping, found \(Self.describe(node))")
            return nil
        }
        var entries: [String: (key: Node, value: Node)] = [:]
        for (key, value) in mapping {
            guard let name = key.scalar?.string else {
                fail(.wrongType, at: key, path, "keys must be strings, found \(Self.describe(key))")
                continue
            }
            guard known.contains(name) else {
                let hint = KeySuggestion.closest(to: name, in: known).map { "did you mean \"\($0)\"?" }
                    ?? "known keys: " + known.joined(separator: ", ")
                fail(.unknownKey, at: key, path.key(name), "unknown key \"\(name)\" (\(hint))")
                continue
            }
            entries[name] = (key, value)
        }
        return MappingReader(reader: self, node: node, path: path, entries: entries)
    }

    func list(_ node: Node, at path: ConfigKeyPath) -> [Node]? {
        guard case .sequence(let sequence) = node else {
            fail(.wrongType, at: node, path, "expected a list, found \(Self.describe(node))")
            return nil
        }
        return Array(sequence)
    }

    func string(_ node: Node, at path: ConfigKeyPath) -> String? {
        let tag = Resolver.default.resolveTag(of: node)
        guard let scalar = node.scalar, tag == .str || tag == .int || tag == .float else {
            fail(.wrongType, at: node, path, "expected a string, found \(Self.describe(node))")
            return nil
        }
        guard !scalar.string.isEmpty else {
            fail(.badValue, at: node, path, "must not be empty")
            return nil
        }
        return scalar.string
    }

    func bool(_ node: Node, at path: ConfigKeyPath) -> Bool? {
        guard Resolver.default.resolveTag(of: node) == .bool, let value = node.bool else {
            fail(.wrongType, at: node, path, "expected true or false, found \(Self.describe(node))")
            return nil
        }
        return value
    }

    func int(_ node: Node, at path: ConfigKeyPath) -> Int? {
        guard Resolver.default.resolveTag(of: node) == .int, let value = node.int else {
            fail(.wrongType, at: node, path, "expected a whole number, found \(Self.describe(node))")
            return nil
        }
        return value
    }

    /// How a node is named in "expected …, found …" messages.
    static func describe(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let scalar):
            switch Resolver.default.resolveTag(of: node) {
            case .null: return "null"
            case .bool: return "a boolean (\(scalar.string))"
            case .int, .float: return "a number (\(scalar.string))"
            default: return "a string (\"\(scalar.string)\")"
            }
        }
    }
}

import Yams

/// The keys of one YAML mapping, already checked against the known set. Reading a
/// required key that is absent records a `missing_key` error at the mapping itself.
struct MappingReader {
    let reader: ConfigReader
    let node: Node
    let path: ConfigKeyPath
    let entries: [String: (key: Node, value: Node)]

    /// The value node of `key` and its path, or nil when absent (recorded if `required`).
    func node(_ key: String, required: Bool) -> (node: Node, path: ConfigKeyPath)? {
        if let entry = entries[key] { return (entry.value, path.key(key)) }
        if required {
            reader.fail(.missingKey, at: node, path, "missing required key \"\(key)\"")
        }
        return nil
    }

    func string(_ key: String) -> String? {
        node(key, required: true).flatMap { reader.string($0.node, at: $0.path) }
    }

    /// `fallback` when absent; nil only when present and wrong.
    func bool(_ key: String, default fallback: Bool) -> Bool? {
        guard let entry = node(key, required: false) else { return fallback }
        return reader.bool(entry.node, at: entry.path)
    }

    /// `fallback` when absent; nil when present and not a whole number of at least 1.
    func positiveInt(_ key: String, default fallback: Int) -> Int? {
        int(key, in: 1...Int.max, default: fallback)
    }

    /// `fallback` when absent; nil when present and not a whole number in `range`.
    func int(_ key: String, in range: ClosedRange<Int>, default fallback: Int) -> Int? {
        guard let entry = node(key, required: false) else { return fallback }
        guard let value = reader.int(entry.node, at: entry.path) else { return nil }
        guard range.contains(value) else {
            let bounds = range.upperBound == .max
                ? "at least \(range.lowerBound)" : "from \(range.lowerBound) to \(range.upperBound)"
            reader.fail(.badValue, at: entry.node, entry.path, "must be \(bounds), found \(value)")
            return nil
        }
        return value
    }

    func duration(_ key: String, default fallback: Duration) -> Duration? {
        guard let entry = node(key, required: false) else { return fallback }
        guard let text = reader.string(entry.node, at: entry.path) else { return nil }
        guard let duration = ConfigDuration.parse(text), duration > .zero else {
            reader.fail(.badValue, at: entry.node, entry.path,
                        "invalid duration \"\(text)\": \(ConfigDuration.formatHint)")
            return nil
        }
        return duration
    }

    func address(_ key: String, default fallback: ConfigAddress?) -> ConfigAddress? {
        guard let entry = node(key, required: fallback == nil) else { return fallback }
        guard let text = reader.string(entry.node, at: entry.path) else { return nil }
        guard let address = ConfigAddress(parsing: text) else {
            reader.fail(.badValue, at: entry.node, entry.path,
                        #"invalid address "\#(text)": expected host:port, e.g. "127.0.0.1:4433" or "[::1]:4433""#)
            return nil
        }
        return address
    }
}
